// A strict JSON parser (RFC 8259) that remembers where every value starts, so errors about a
// lock can name `file:line: json.path`. JSON.parse gives no positions and silently keeps the
// last of duplicate keys; this one reports both.
import { fail, type GoshErrorCode } from './errors.js';
import type { SourceFile } from './source.js';
import { LazyJsonPositions } from './json-positions.js';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** 1-based line and column (UTF-16 code units) */
export interface JsonPosition {
  readonly line: number;
  readonly column: number;
}

export interface ParsedJson {
  readonly value: JsonValue;
  /** JSON path → position of an object member's key, or of an array element's value; "" is the root */
  readonly positions: ReadonlyMap<string, JsonPosition>;
}

/** `packages[3].checksums`: a member of `path`. */
export function memberPath(path: string, key: string): string {
  if (isIdentifier(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** [A-Za-z_$][A-Za-z0-9_$]* (a loop: paths are built for every member of a large lock) */
function isIdentifier(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const letter = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x24;
    if (!letter && (i === 0 || c < 0x30 || c > 0x39)) return false;
  }
  return true;
}

export function elementPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** The path as shown to users: the root is `$`. */
export function displayPath(path: string): string {
  return path === '' ? '$' : path;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isJsonArray(value: JsonValue | undefined): value is readonly JsonValue[] {
  return Array.isArray(value);
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * Parses `file.text`. Rejects a byte-order mark, trailing data, duplicate keys, control
 * characters in strings and anything else RFC 8259 does not allow.
 * @throws GoshError `code` (SBOM_INVALID by default) located at the offending line and column
 */
export function parseJsonText(file: SourceFile, code: GoshErrorCode = 'SBOM_INVALID'): ParsedJson {
  // JSON.parse accepts exactly RFC 8259 but for a byte-order mark and duplicate keys (it keeps
  // the last): with neither, its value is ours and positions are found when asked for; anything
  // else goes through the located parser, which reports the problem.
  const text = file.text;
  if (text.charCodeAt(0) !== 0xfeff) {
    let value: JsonValue | undefined;
    try {
      value = JSON.parse(text) as JsonValue;
    } catch {
      value = undefined;
    }
    if (value !== undefined && memberCount(text) === keyCount(value)) {
      return { value, positions: new LazyJsonPositions(text, () => parseLocated(file, code).positions) };
    }
  }
  return parseLocated(file, code);
}

/** How many object members the (valid) text has: strings followed by ":". */
function memberCount(text: string): number {
  let count = 0;
  for (let q = text.indexOf('"'); q >= 0; q = text.indexOf('"', q + 1)) {
    // q opens a string; find its closing quote (one not escaped by an odd run of backslashes)
    for (q = text.indexOf('"', q + 1); ; q = text.indexOf('"', q + 1)) {
      let backslashes = 0;
      while (text.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++;
      if (backslashes % 2 === 0) break;
    }
    let after = q + 1;
    for (let c = text.charCodeAt(after); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++after));
    if (text.charCodeAt(after) === 0x3a) count++;
  }
  return count;
}

/** How many own keys the objects in a parsed value have, all together. */
function keyCount(value: JsonValue): number {
  let count = 0;
  const stack: JsonValue[] = [value];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (const item of v as readonly JsonValue[]) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    const obj = v as JsonObject;
    const keys = Object.keys(obj);
    count += keys.length;
    for (const key of keys) {
      const item = obj[key];
      if (typeof item === 'object' && item !== null) stack.push(item);
    }
  }
  return count;
}

/** The strict parser that records every position: the reference, and the error path. */
function parseLocated(file: SourceFile, code: GoshErrorCode): ParsedJson {
  const text = file.text;
  const positions = new Map<string, JsonPosition>();
  let at = 0;
  let line = 1;
  let lineStart = 0;

  const position = (): JsonPosition => ({ line, column: at - lineStart + 1 });
  const error = (message: string, where: JsonPosition = position()): never =>
    fail(code, `invalid JSON: ${message} (column ${where.column})`, { file: file.name, range: { startLine: where.line, endLine: where.line, startColumn: where.column } });

  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(at);
      if (c === 0x0a) {
        at++;
        line++;
        lineStart = at;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d) {
        at++;
      } else {
        return;
      }
    }
  };

  const parseString = (): string => {
    at++; // opening quote
    let out = '';
    let chunk = at;
    for (;;) {
      if (at >= text.length) error('unterminated string');
      const c = text.charCodeAt(at);
      if (c === 0x22) {
        out += text.slice(chunk, at);
        at++;
        return out;
      }
      if (c < 0x20) error('control character in string (escape it)');
      if (c !== 0x5c) {
        at++;
        continue;
      }
      out += text.slice(chunk, at);
      const e = text[at + 1] ?? '';
      if (e === 'u') {
        const hex = text.slice(at + 2, at + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) error('bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        at += 6;
      } else {
        const decoded = ESCAPES[e];
        if (decoded === undefined) error(`bad escape \\${e}`);
        out += decoded;
        at += 2;
      }
      chunk = at;
    }
  };

  const parseValue = (path: string): JsonValue => {
    skipSpace();
    const c = text[at];
    if (c === '{') return parseObject(path);
    if (c === '[') return parseArray(path);
    if (c === '"') return parseString();
    if (text.startsWith('true', at)) return ((at += 4), true);
    if (text.startsWith('false', at)) return ((at += 5), false);
    if (text.startsWith('null', at)) return ((at += 4), null);
    NUMBER_RE.lastIndex = at;
    const number = NUMBER_RE.exec(text);
    if (number !== null) {
      at += number[0].length;
      return Number(number[0]);
    }
    return error(at >= text.length ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`);
  };

  const parseObject = (path: string): JsonObject => {
    at++;
    const out: Record<string, JsonValue> = {};
    const seen = new Set<string>();
    skipSpace();
    if (text[at] === '}') return ((at += 1), out);
    for (;;) {
      skipSpace();
      if (text[at] !== '"') error('expected a string key');
      const keyAt = position();
      const key = parseString();
      const child = memberPath(path, key);
      if (seen.has(key)) error(`duplicate key ${JSON.stringify(key)} in ${displayPath(path)}`, keyAt);
      seen.add(key);
      positions.set(child, keyAt);
      skipSpace();
      if (text[at] !== ':') error('expected ":"');
      at++;
      // defineProperty: a "__proto__" key must become data, not the prototype
      Object.defineProperty(out, key, { value: parseValue(child), enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === '}') return ((at += 1), out);
      error('expected "," or "}"');
    }
  };

  const parseArray = (path: string): JsonValue[] => {
    at++;
    const out: JsonValue[] = [];
    skipSpace();
    if (text[at] === ']') return ((at += 1), out);
    for (;;) {
      skipSpace();
      const child = elementPath(path, out.length);
      positions.set(child, position());
      out.push(parseValue(child));
      skipSpace();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === ']') return ((at += 1), out);
      error('expected "," or "]"');
    }
  };

  if (text.charCodeAt(0) === 0xfeff) error('byte-order mark at the start of the file');
  skipSpace();
  positions.set('', position());
  const value = parseValue('');
  skipSpace();
  if (at < text.length) error('unexpected data after the JSON value');
  return { value, positions };
}
