// Go's fmt formatting of values, which BuildKit's history entries are made of.

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isGoPrint(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

/** The escape strconv.Quote/QuoteRune writes for one character (`quote` is ' or "). */
function quoteChar(ch: string, quote: string): string {
  const c = ch.codePointAt(0) as number;
  if (ch === quote || ch === '\\') return `\\${ch}`;
  if (isGoPrint(ch)) return ch;
  switch (ch) {
    case '\x07': return '\\a';
    case '\b': return '\\b';
    case '\f': return '\\f';
    case '\n': return '\\n';
    case '\r': return '\\r';
    case '\t': return '\\t';
    case '\v': return '\\v';
  }
  if (c < 0x20 || c === 0x7f) return `\\x${c.toString(16).padStart(2, '0')}`;
  // a lone surrogate is not a valid rune: Go writes the replacement character
  if (c >= 0xd800 && c <= 0xdfff) return '\ufffd';
  if (c < 0x10000) return `\\u${c.toString(16).padStart(4, '0')}`;
  return `\\U${c.toString(16).padStart(8, '0')}`;
}

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += quoteChar(ch, '"');
  return `${out}"`;
}

/** fmt %q of an integer: strconv.QuoteRune, e.g. 65 → 'A', 2 → '\x02'. */
export function goQuoteRune(n: number): string {
  const valid = Number.isInteger(n) && n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff);
  return `'${quoteChar(valid ? String.fromCodePoint(n) : '\ufffd', "'")}'`;
}

/** fmt %q of a []string: ["a" "b"] */
export function goQuotedList(items: readonly string[]): string {
  return `[${items.map(goQuote).join(' ')}]`;
}

/** fmt %v of a []string: [a b] */
export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

/** time.Duration.String(): "0s", "1.5ms", "500µs", "1m30s", "1h0m0s". */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  const u = ns < 0n ? -ns : ns;
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${withFraction(u, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${withFraction(u, 6)}ms`;
  const seconds = u / 1_000_000_000n;
  let out = `${withFraction(u % 1_000_000_000n + (seconds % 60n) * 1_000_000_000n, 9)}s`;
  const minutes = seconds / 60n;
  if (minutes > 0n) {
    out = `${minutes % 60n}m${out}`;
    const hours = minutes / 60n;
    if (hours > 0n) out = `${hours}h${out}`;
  }
  return sign + out;
}

/** `value` as a decimal with `digits` fraction digits, trailing zeros (and a bare ".") dropped. */
function withFraction(value: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const fraction = (value % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return `${value / scale}${fraction === '' ? '' : `.${fraction}`}`;
}
