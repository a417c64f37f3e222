// The JSON ("exec") form of RUN/CMD/ENTRYPOINT/SHELL/COPY/ADD/VOLUME/HEALTHCHECK CMD, decided
// the way BuildKit's parser does (frontend/dockerfile/parser/line_parsers.go parseJSON).
import { isGoSpace } from './shell-lexer.js';

export type JsonArgs =
  /** a JSON array of strings; text after the array is ignored, as Go's json.Decoder does */
  | { readonly kind: 'json'; readonly args: string[] }
  /** not JSON: the caller falls back to shell form / whitespace words */
  | { readonly kind: 'not-json' }
  /** valid JSON array with a non-string element: an error, no fallback */
  | { readonly kind: 'not-strings' };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function parseJsonArgs(rest: string): JsonArgs {
  let start = 0;
  while (start < rest.length && isGoSpace(rest[start] as string)) start++;
  const text = rest.slice(start);
  if (!text.startsWith('[')) return { kind: 'not-json' };
  const end = endOfFirstJsonValue(text);
  if (end < 0) return { kind: 'not-json' };
  let value: unknown;
  try {
    value = JSON.parse(text.slice(0, end));
  } catch {
    return { kind: 'not-json' };
  }
  if (!Array.isArray(value)) return { kind: 'not-json' };
  const args: string[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'string') return { kind: 'not-strings' };
    // Go decodes a lone surrogate escape ("\ud800") to U+FFFD
    args.push(item.replace(LONE_SURROGATE, '\uFFFD'));
  }
  return { kind: 'json', args };
}

/**
 * Index just past the array that starts at 0, or -1 if it never closes. Only brackets and
 * strings matter here; JSON.parse judges the rest.
 */
function endOfFirstJsonValue(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
