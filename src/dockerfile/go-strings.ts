// Go string semantics the parser depends on: what counts as space and how strings sort.
import { isGoSpace } from './shell-lexer.js';

/** strings.TrimSpace (Go's unicode.IsSpace). */
export function goTrimSpace(text: string): string {
  const chars = Array.from(text);
  let start = 0;
  let end = chars.length;
  while (start < end && isGoSpace(chars[start] as string)) start++;
  while (end > start && isGoSpace(chars[end - 1] as string)) end--;
  return chars.slice(start, end).join('');
}

/** Go's string order: bytes of UTF-8. */
export function compareUtf8(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}
