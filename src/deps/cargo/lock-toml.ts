// The TOML subset Cargo writes in Cargo.lock, read with line numbers: `key = value` lines,
// `[table]` and `[[array-of-tables]]` headers (dotted), basic and literal strings, integers,
// booleans and arrays (one line or several, trailing comma). Anything else is a located error:
// a Cargo.lock is generated, so other syntax means the file is not one.
import { GoshError, diagnostic } from '../../core/errors.js';
import type { SourceFile } from '../../core/source.js';

export type TomlValue = string | number | boolean | readonly TomlValue[];

/** One `key = value` with the line it starts on. */
export interface TomlEntry {
  readonly value: TomlValue;
  readonly line: number;
}

/** A `[header]` or `[[header]]` section (the document's top is the section with path ""). */
export interface TomlSection {
  /** dotted header path, "" for the top of the file */
  readonly path: string;
  readonly arrayItem: boolean;
  /** the header's line; 1 for the top */
  readonly line: number;
  /** the last line that belongs to the section's entries */
  readonly endLine: number;
  readonly entries: ReadonlyMap<string, TomlEntry>;
}

const BARE_KEY_RE = /^[A-Za-z0-9_-]+/;
const INTEGER_RE = /^[+-]?(0|[1-9](_?[0-9])*)/;
const ESCAPES: Readonly<Record<string, string>> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };

/** A cursor over the whole text; `line` follows the position. */
class Cursor {
  pos = 0;
  line = 1;

  constructor(
    readonly file: SourceFile,
    readonly text: string,
  ) {}

  fail(message: string, line = this.line): never {
    throw new GoshError(diagnostic('MANIFEST_INVALID', message, { file: this.file.name, range: { startLine: line, endLine: line } }));
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  advance(n = 1): void {
    for (let i = 0; i < n; i++) {
      if (this.text[this.pos] === '\n') this.line++;
      this.pos++;
    }
  }

  /** Spaces and tabs only. */
  skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.advance();
  }

  /** Blanks, comments and newlines (inside arrays). */
  skipBlankLines(): void {
    for (;;) {
      this.skipBlanks();
      if (this.peek() === '#') this.skipComment();
      else if (this.peek() === '\n' || this.peek() === '\r') this.advance();
      else return;
    }
  }

  skipComment(): void {
    while (this.pos < this.text.length && this.peek() !== '\n') this.advance();
  }

  /** The rest of the line must be blank or a comment. */
  endOfLine(): void {
    this.skipBlanks();
    if (this.peek() === '#') this.skipComment();
    if (this.peek() === '\r') this.advance();
    if (this.pos < this.text.length && this.peek() !== '\n') this.fail(`unexpected ${JSON.stringify(this.peek())} after a value`);
    if (this.peek() === '\n') this.advance();
  }
}

function readKeyPart(c: Cursor): string {
  const ch = c.peek();
  if (ch === '"') return readBasicString(c);
  if (ch === "'") return readLiteralString(c);
  const m = BARE_KEY_RE.exec(c.text.slice(c.pos, c.pos + 256));
  if (m === null) c.fail(`expected a key, found ${JSON.stringify(ch === '' ? 'end of file' : ch)}`);
  c.advance(m[0].length);
  return m[0];
}

/** A dotted key; the parts joined with "." (Cargo.lock keys have no dots inside quotes that matter). */
function readKey(c: Cursor): string {
  const parts = [readKeyPart(c)];
  for (;;) {
    c.skipBlanks();
    if (c.peek() !== '.') return parts.join('.');
    c.advance();
    c.skipBlanks();
    parts.push(readKeyPart(c));
  }
}

function readBasicString(c: Cursor): string {
  const startLine = c.line;
  if (c.text.startsWith('"""', c.pos)) c.fail('multi-line strings do not occur in a Cargo.lock');
  c.advance();
  let out = '';
  for (;;) {
    const ch = c.peek();
    if (ch === '' || ch === '\n') c.fail('unterminated string', startLine);
    c.advance();
    if (ch === '"') return out;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const esc = c.peek();
    c.advance();
    const simple = ESCAPES[esc];
    if (simple !== undefined) out += simple;
    else if (esc === 'u' || esc === 'U') {
      const len = esc === 'u' ? 4 : 8;
      const hex = c.text.slice(c.pos, c.pos + len);
      if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) c.fail(`invalid escape \\${esc}${hex}`);
      c.advance(len);
      out += String.fromCodePoint(parseInt(hex, 16));
    } else c.fail(`invalid escape \\${esc}`);
  }
}

function readLiteralString(c: Cursor): string {
  const startLine = c.line;
  if (c.text.startsWith("'''", c.pos)) c.fail('multi-line strings do not occur in a Cargo.lock');
  c.advance();
  const end = c.text.indexOf("'", c.pos);
  const newline = c.text.indexOf('\n', c.pos);
  if (end < 0 || (newline >= 0 && newline < end)) c.fail('unterminated string', startLine);
  const out = c.text.slice(c.pos, end);
  c.advance(end + 1 - c.pos);
  return out;
}

function readValue(c: Cursor): TomlValue {
  const ch = c.peek();
  if (ch === '"') return readBasicString(c);
  if (ch === "'") return readLiteralString(c);
  if (ch === '[') return readArray(c);
  const rest = c.text.slice(c.pos, c.pos + 64);
  if (rest.startsWith('true')) {
    c.advance(4);
    return true;
  }
  if (rest.startsWith('false')) {
    c.advance(5);
    return false;
  }
  const m = INTEGER_RE.exec(rest);
  if (m !== null && !/^[0-9A-Za-z_.:-]/.test(rest.slice(m[0].length))) {
    c.advance(m[0].length);
    return Number(m[0].replace(/_/g, ''));
  }
  return c.fail(`unsupported value ${JSON.stringify(rest.split('\n')[0] ?? '')} (a Cargo.lock has strings, integers and arrays)`);
}

function readArray(c: Cursor): TomlValue[] {
  const startLine = c.line;
  c.advance();
  const items: TomlValue[] = [];
  for (;;) {
    c.skipBlankLines();
    if (c.peek() === ']') {
      c.advance();
      return items;
    }
    if (c.peek() === '') c.fail('unterminated array', startLine);
    items.push(readValue(c));
    c.skipBlankLines();
    if (c.peek() === '') c.fail('unterminated array', startLine);
    if (c.peek() === ',') c.advance();
    else if (c.peek() !== ']') c.fail(`expected "," or "]" in an array, found ${JSON.stringify(c.peek())}`);
  }
}

/**
 * Splits a Cargo.lock into its sections in file order.
 * @throws GoshError MANIFEST_INVALID at the offending line
 */
export function parseLockToml(file: SourceFile): TomlSection[] {
  const c = new Cursor(file, file.text.startsWith('\uFEFF') ? file.text.slice(1) : file.text);
  const sections: TomlSection[] = [];
  let current = { path: '', arrayItem: false, line: 1, endLine: 1, entries: new Map<string, TomlEntry>() };
  const tables = new Set<string>();
  const close = (): void => {
    sections.push(current);
  };
  for (;;) {
    c.skipBlankLines();
    if (c.pos >= c.text.length) break;
    const line = c.line;
    if (c.peek() === '[') {
      const arrayItem = c.text.startsWith('[[', c.pos);
      c.advance(arrayItem ? 2 : 1);
      c.skipBlanks();
      const path = readKey(c);
      c.skipBlanks();
      if (!c.text.startsWith(arrayItem ? ']]' : ']', c.pos)) c.fail(`expected ${arrayItem ? '"]]"' : '"]"'} after the header ${path}`);
      c.advance(arrayItem ? 2 : 1);
      c.endOfLine();
      if (!arrayItem) {
        if (tables.has(path)) c.fail(`table [${path}] is defined twice`, line);
        tables.add(path);
      }
      close();
      current = { path, arrayItem, line, endLine: line, entries: new Map() };
      continue;
    }
    const key = readKey(c);
    c.skipBlanks();
    if (c.peek() !== '=') c.fail(`expected "=" after the key ${key}`);
    c.advance();
    c.skipBlanks();
    const value = readValue(c);
    const endLine = c.line;
    c.endOfLine();
    if (current.entries.has(key)) c.fail(`key ${key} is defined twice`, line);
    current.entries.set(key, { value, line });
    current.endLine = endLine;
  }
  close();
  return sections;
}
