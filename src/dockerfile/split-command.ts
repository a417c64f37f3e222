// Splits a logical line into keyword, `--flags` and the rest, as BuildKit's parser does
// (frontend/dockerfile/parser/split_command.go).
import { isGoSpace } from './shell-lexer.js';

/** A flag word as written after quote/escape removal, with its offset in the logical line. */
export interface FlagWord {
  /** `--name=value` with quotes and `\` escapes already removed */
  readonly text: string;
  /** UTF-16 offset of the word's first character in the logical line */
  readonly offset: number;
  readonly length: number;
}

export interface SplitCommand {
  readonly keyword: string;
  readonly flags: readonly FlagWord[];
  /** the arguments after the flags, trimmed */
  readonly args: string;
  /** offset of `args` in the logical line */
  readonly argsOffset: number;
}

/** Go's regexp `[\t\v\f\r ]+` used to split keyword from arguments. */
const GO_WS = /[\t\v\f\r ]+/;

/** splitCommand's keyword alone, without reading the flags. */
export function leadingKeyword(line: string): string {
  const start = leadingSpaceLength(line);
  const end = line.length - trailingSpaceLength(line);
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    // GO_WS: \t \v \f \r and space
    if (c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c || c === 0x0d) return line.slice(start, i);
  }
  return line.slice(start, Math.max(start, end));
}

export function splitCommand(line: string): SplitCommand {
  const lead = leadingSpaceLength(line);
  const trimmed = line.slice(lead, line.length - trailingSpaceLength(line));
  const ws = GO_WS.exec(trimmed);
  if (ws === null) return { keyword: trimmed, flags: [], args: '', argsOffset: line.length };
  const keyword = trimmed.slice(0, ws.index);
  const restOffset = lead + ws.index + ws[0].length;
  const { flags, rest, restStart } = extractFlags(line.slice(restOffset));
  const restLead = leadingSpaceLength(rest);
  const args = rest.slice(restLead, rest.length - trailingSpaceLength(rest));
  return {
    keyword,
    flags: flags.map((f) => ({ ...f, offset: f.offset + restOffset })),
    args,
    argsOffset: restOffset + restStart + restLead,
  };
}

/**
 * Reads leading `--flag` words. BuildKit walks this part byte by byte, so a non-ASCII flag value
 * comes out as its UTF-8 bytes read as Latin-1 ("ü" → "Ã¼") and a 0x85/0xA0 byte inside a
 * character counts as whitespace; we reproduce that rather than differ from the reference.
 */
function extractFlags(text: string): { flags: FlagWord[]; rest: string; restStart: number } {
  // most lines have no flags: ASCII spaces, then an ASCII character other than "--" starts the
  // arguments, and bytes and UTF-16 offsets agree up to there
  const first = asciiSpaceLength(text, 0);
  if (first === text.length) return { flags: [], rest: '', restStart: text.length };
  const c = text.charCodeAt(first);
  if (c < 0x80 && (c !== 0x2d || text.charCodeAt(first + 1) !== 0x2d)) return { flags: [], rest: text.slice(first), restStart: first };
  const bytes = new TextEncoder().encode(text);
  // byte index → UTF-16 index in `text`, for offsets
  const toUtf16 = byteToUtf16Index(text, bytes.length);
  const flags: FlagWord[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let wordStart = 0;
  let quote = '';
  let blankOk = false;
  const push = (end: number): void => {
    const offset = toUtf16[wordStart] as number;
    flags.push({ text: word, offset, length: (toUtf16[end] as number) - offset });
  };
  const restAt = (pos: number): { flags: FlagWord[]; rest: string; restStart: number } => {
    const start = toUtf16[pos] as number;
    return { flags, rest: text.slice(start), restStart: start };
  };
  for (let pos = 0; pos <= bytes.length; pos++) {
    const atEnd = pos === bytes.length;
    let ch = atEnd ? '' : String.fromCharCode(bytes[pos] as number);
    if (phase === 'spaces') {
      if (atEnd) break;
      if (isGoSpace(ch)) continue;
      // only words starting with "--" are flags; anything else starts the arguments
      if (ch !== '-' || pos + 1 === bytes.length || bytes[pos + 1] !== 0x2d) return restAt(pos);
      phase = 'word';
      wordStart = pos;
    }
    if (atEnd) {
      if (word !== '--' && (blankOk || word.length > 0)) push(pos);
      break;
    }
    if (phase === 'word') {
      if (isGoSpace(ch)) {
        phase = 'spaces';
        // a lone "--" ends the flags
        if (word === '--') return restAt(pos);
        if (blankOk || word.length > 0) push(pos);
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
        continue;
      }
      if (ch === '\\') {
        if (pos + 1 === bytes.length) continue;
        pos++;
        ch = String.fromCharCode(bytes[pos] as number);
      }
      word += ch;
      continue;
    }
    // in quotes
    if (ch === quote) {
      phase = 'word';
      continue;
    }
    if (ch === '\\') {
      if (pos + 1 === bytes.length) {
        phase = 'word';
        continue;
      }
      pos++;
      ch = String.fromCharCode(bytes[pos] as number);
    }
    word += ch;
  }
  return { flags, rest: '', restStart: text.length };
}

function byteToUtf16Index(text: string, byteLength: number): number[] {
  const map = new Array<number>(byteLength + 1);
  let b = 0;
  let u = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let i = 0; i < n; i++) map[b + i] = u;
    b += n;
    u += ch.length;
  }
  map[byteLength] = text.length;
  return map;
}

/** ASCII characters Go's unicode.IsSpace counts: \t \n \v \f \r and space. */
function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Length of the run of ASCII spaces at `from`. */
function asciiSpaceLength(text: string, from: number): number {
  let i = from;
  while (i < text.length && isAsciiSpace(text.charCodeAt(i))) i++;
  return i - from;
}

// Go's spaces are all single UTF-16 units, and neither half of a surrogate pair is one, so both
// trims below can walk code units.

/** strings.TrimSpace's notion of leading space (unicode.IsSpace). */
function leadingSpaceLength(text: string): number {
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isAsciiSpace(c)) continue;
    if (c < 0x80 || !isGoSpace(text[i] as string)) break;
  }
  return i;
}

function trailingSpaceLength(text: string): number {
  let i = text.length;
  for (; i > 0; i--) {
    const c = text.charCodeAt(i - 1);
    if (isAsciiSpace(c)) continue;
    if (c < 0x80 || !isGoSpace(text[i - 1] as string)) break;
  }
  return text.length - i;
}
