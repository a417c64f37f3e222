// Recognizes `<<EOF`, `<<-EOF`, `3<<'EOF'` words the way BuildKit's parser does
// (frontend/dockerfile/parser/parser.go heredocFromMatch / heredocsFromLine).
import { ShellLexError, lexShellWord } from './shell-lexer.js';

export interface HeredocMarker {
  readonly name: string;
  readonly expand: boolean;
  readonly chomp: boolean;
  readonly fileDescriptor: number;
}

const NO_ENV: ReadonlyMap<string, string> = new Map();
const MARKER = /^([0-9]*)<<(-?)([^<]*)$/u;

/** Thrown when the delimiter word itself does not lex (an unclosed quote). */
export class HeredocMarkerError extends Error {
  override name = 'HeredocMarkerError';
}

/**
 * The heredoc a single word opens, or undefined. The delimiter is lexed with and without quotes:
 * if the counts of quote characters differ, part of it was quoted and the body is not expanded.
 * Heredoc lexing always uses `\`, whatever the escape directive says (as BuildKit does).
 * @throws HeredocMarkerError
 */
export function parseHeredocMarker(word: string): HeredocMarker | undefined {
  const match = MARKER.exec(word);
  if (match === null) return undefined;
  const rest = match[3] as string;
  if (rest === '') return undefined;
  let plain: readonly string[];
  let raw: readonly string[];
  try {
    plain = lexShellWord(rest, NO_ENV, { escape: '\\', skipUnsetEnv: true }).words;
    if (plain.length !== 1) return undefined;
    raw = lexShellWord(rest, NO_ENV, { escape: '\\', skipUnsetEnv: true, rawQuotes: true }).words;
  } catch (e) {
    if (e instanceof ShellLexError) throw new HeredocMarkerError(e.message);
    throw e;
  }
  const name = plain[0] as string;
  const rawName = raw[0] ?? '';
  return {
    name,
    expand: countQuotes(name) === countQuotes(rawName),
    chomp: match[2] === '-',
    // Go's ParseUint error (empty or too large) leaves 0
    fileDescriptor: parseFileDescriptor(match[1] as string),
  };
}

/** Heredocs opened anywhere on a logical line, in order. */
export function heredocMarkersOnLine(line: string): HeredocMarker[] {
  let words: readonly string[];
  try {
    words = lexShellWord(line, NO_ENV, { escape: '\\', rawQuotes: true, rawEscapes: true, skipUnsetEnv: true }).words;
  } catch (e) {
    // BuildKit ignores a line that does not lex: it simply has no heredocs
    if (e instanceof ShellLexError) return [];
    throw e;
  }
  const markers: HeredocMarker[] = [];
  for (const word of words) {
    const marker = parseHeredocMarker(word);
    if (marker !== undefined) markers.push(marker);
  }
  return markers;
}

function countQuotes(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === "'" || ch === '"') n++;
  return n;
}

function parseFileDescriptor(digits: string): number {
  if (digits === '') return 0;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : 0;
}
