// Go's fmt formatting of values, which BuildKit's history entries are made of.

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\t': out += '\\t'; break;
      case '\r': out += '\\r'; break;
      case '\x07': out += '\\a'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      case '\v': out += '\\v'; break;
      default:
        if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
        else out += ch;
    }
  }
  return `${out}"`;
}

/** fmt %q of a []string: ["a" "b"] */
export function goQuotedList(items: readonly string[]): string {
  return `[${items.map(goQuote).join(' ')}]`;
}

/** fmt %v of a []string: [a b] */
export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}
