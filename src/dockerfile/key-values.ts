// Argument splitting done at parse time by BuildKit's line parsers
// (frontend/dockerfile/parser/line_parsers.go): words with quotes kept for ENV/LABEL/ARG, the
// `KEY=VALUE` and legacy `KEY VALUE` forms, and plain whitespace splitting.
import type { ArgDeclaration, KeyValue } from './instructions.js';
import { type EscapeChar, isGoSpace } from './shell-lexer.js';

/**
 * Splits on unquoted whitespace, keeping quotes and escapes in the words (they are removed
 * later, at expansion). An escape at the very end of the text is dropped.
 */
export function splitQuotedWords(rest: string, escape: EscapeChar): string[] {
  const chars = Array.from(rest);
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let quote = '';
  let blankOk = false;
  for (let pos = 0; pos <= chars.length; pos++) {
    const atEnd = pos === chars.length;
    let ch = atEnd ? '' : (chars[pos] as string);
    if (phase === 'spaces') {
      if (atEnd) break;
      if (isGoSpace(ch)) continue;
      phase = 'word';
    }
    if (atEnd) {
      if (blankOk || word.length > 0) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isGoSpace(ch)) {
        phase = 'spaces';
        if (blankOk || word.length > 0) words.push(word);
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
      }
      if (ch === escape) {
        if (pos + 1 === chars.length) continue;
        // an escaped character, even a quote, is kept with its escape
        word += ch;
        pos++;
        ch = chars[pos] as string;
      }
      word += ch;
      continue;
    }
    // in quotes
    if (ch === quote) phase = 'word';
    // nothing can be escaped inside single quotes
    if (ch === escape && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      word += ch;
      pos++;
      ch = chars[pos] as string;
    }
    word += ch;
  }
  return words;
}

export type NameValueResult =
  | { readonly ok: true; readonly pairs: readonly KeyValue[] }
  | { readonly ok: false; readonly error: string };

/**
 * ENV and LABEL arguments: `a=1 b="2 3"` (split on the first `=` of each word), or the legacy
 * `a 1 2` (name, then the rest of the line verbatim) when the first word has no `=`.
 */
export function parseNameValues(rest: string, keyword: string, escape: EscapeChar): NameValueResult {
  const words = splitQuotedWords(rest, escape);
  if (words.length === 0) return { ok: true, pairs: [] };
  if (!(words[0] as string).includes('=')) {
    const ws = /[\t\v\f\r ]+/.exec(rest);
    if (ws === null) return { ok: false, error: `${keyword} must have two arguments` };
    return { ok: true, pairs: [{ key: rest.slice(0, ws.index), value: rest.slice(ws.index + ws[0].length) }] };
  }
  const pairs: KeyValue[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      return {
        ok: false,
        error: `syntax error - can't find = in ${JSON.stringify(word)}. Must be of the form: name=value`,
      };
    }
    pairs.push({ key: word.slice(0, eq), value: word.slice(eq + 1) });
  }
  return { ok: true, pairs };
}

/** ARG arguments: `a`, `b=`, `c="x y"`; split on the first `=` of each word. */
export function parseArgDeclarations(rest: string, escape: EscapeChar): ArgDeclaration[] {
  return splitQuotedWords(rest, escape).map((word) => {
    const eq = word.indexOf('=');
    return eq < 0 ? { key: word } : { key: word.slice(0, eq), value: word.slice(eq + 1) };
  });
}

/** Go's `[\t\v\f\r ]+` split (EXPOSE, FROM, non-JSON COPY/ADD/VOLUME), empty text → []. */
export function splitWhitespaceWords(rest: string): string[] {
  if (rest === '') return [];
  return rest.split(/[\t\v\f\r ]+/);
}
