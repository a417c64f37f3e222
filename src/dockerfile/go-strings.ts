// Go string semantics the parser depends on: what counts as space and how strings sort.
import { isGoSpace } from './shell-lexer.js';

/** strings.TrimSpace (Go's unicode.IsSpace). */
export function goTrimSpace(text: string): string {
  // Go's spaces are single UTF-16 units and no surrogate half is one: code units will do
  let start = 0;
  let end = text.length;
  while (start < end && isSpaceUnit(text, start)) start++;
  while (end > start && isSpaceUnit(text, end - 1)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isSpaceUnit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  return c >= 0x80 && isGoSpace(text[i] as string);
}

/** Go's string order: bytes of UTF-8. */
export function compareUtf8(a: string, b: string): number {
  // code unit order is UTF-8 order below the surrogates (and lone ones encode as U+FFFD)
  if (!hasHighUnits(a) && !hasHighUnits(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

function hasHighUnits(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800) return true;
  return false;
}
