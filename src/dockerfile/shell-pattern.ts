// Shell patterns of `${VAR%p}`, `${VAR#p}` and `${VAR/p/r}` as BuildKit's lexer evaluates them
// (frontend/dockerfile/shell/lex.go): `*` and `?` wildcards and backslash escapes, no brackets,
// matched with regular-expression semantics on code points.

/** Thrown for a pattern BuildKit's lexer rejects; the lexer turns it into its own error. */
export class ShellPatternError extends Error {
  override name = 'ShellPatternError';
}

// Go's `.` matches any code point but "\n"; JS `.` also refuses "\r", U+2028 and U+2029.
const ANY = '[^\\n]';
const REGEX_SPECIAL = new Set(['[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$']);

/** Converts a shell pattern to a regular expression (with the `u` flag). */
export function shellPatternToRegex(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? '^' : '';
  const star = greedy ? `${ANY}*` : `${ANY}*?`;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '*') {
      out += star;
    } else if (ch === '?') {
      out += ANY;
    } else if (ch === '\\') {
      const next = chars[i + 1];
      // `\}` and `\/` only protect the `${}` syntax; the escape is not part of the pattern
      if (next === '}' || next === '/') continue;
      if (next !== '*' && next !== '?' && next !== '\\') {
        throw new ShellPatternError(`invalid escape '\\${next ?? '\uFFFD'}'`);
      }
      out += `\\${next}`;
      i++;
    } else if (REGEX_SPECIAL.has(ch)) {
      out += `\\${ch}`;
    } else {
      out += ch;
    }
  }
  return new RegExp(out, 'u');
}

/** `${VAR#p}` / `${VAR##p}`: removes the shortest (longest when greedy) matching prefix. */
export function trimShellPrefix(pattern: string, value: string, greedy: boolean): string {
  const match = shellPatternToRegex(pattern, greedy, true).exec(value);
  return match === null ? value : value.slice(match[0].length);
}

/**
 * `${VAR%p}` / `${VAR%%p}`: removes the shortest (longest) matching suffix. A regular expression
 * cannot find the shortest rightmost match, so pattern and value are reversed (code points,
 * keeping `\x` escapes in order) and the prefix rule applied.
 */
export function trimShellSuffix(pattern: string, value: string, greedy: boolean): string {
  const trimmed = trimShellPrefix(reverseShellPattern(pattern), reverseCodePoints(value), greedy);
  return reverseCodePoints(trimmed);
}

/** `${VAR/p/r}` and `${VAR//p/r}`; the pattern is always greedy. */
export function replaceShellPattern(value: string, pattern: string, replacement: string, all: boolean): string {
  const re = shellPatternToRegex(pattern, true, false);
  if (!all) {
    const match = re.exec(value);
    if (match === null) return value;
    return value.slice(0, match.index) + replacement + value.slice(match.index + match[0].length);
  }
  return replaceAllLikeGo(value, new RegExp(re.source, 'gu'), replacement);
}

export function reverseCodePoints(text: string): string {
  return Array.from(text).reverse().join('');
}

/** Reverses a pattern but keeps each `\x` escape as a pair: `a\*c` → `c\*a`. */
export function reverseShellPattern(pattern: string): string {
  const chars = Array.from(pattern);
  const out: string[] = new Array<string>(chars.length);
  const last = chars.length - 1;
  for (let i = 0; i <= last; ) {
    const ch = chars[i] as string;
    const at = last - i;
    if (ch === '\\' && i !== last) {
      out[at - 1] = ch;
      out[at] = chars[i + 1] as string;
      i += 2;
    } else {
      out[at] = ch;
      i += 1;
    }
  }
  return out.join('');
}

/**
 * Go's Regexp.ReplaceAllString: an empty match right after the previous match is skipped (JS
 * would replace it), and `$0`/`${0}` in the replacement mean the whole match, `$$` a dollar,
 * other `$name`s nothing (our patterns have no groups), a malformed `$` stays literal.
 */
function replaceAllLikeGo(value: string, re: RegExp, replacement: string): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= value.length) {
    re.lastIndex = searchPos;
    const match = re.exec(value);
    if (match === null) break;
    const start = match.index;
    const end = start + match[0].length;
    out += value.slice(lastMatchEnd, start);
    if (end > lastMatchEnd || start === 0) out += expandGoTemplate(replacement, match[0]);
    lastMatchEnd = end;
    const width = codePointWidth(value, searchPos);
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos += 1;
    else searchPos = end;
  }
  return out + value.slice(lastMatchEnd);
}

function codePointWidth(text: string, index: number): number {
  if (index >= text.length) return 0;
  const cp = text.codePointAt(index) as number;
  return cp > 0xffff ? 2 : 1;
}

function expandGoTemplate(template: string, whole: string): string {
  let out = '';
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf('$');
    if (dollar < 0) break;
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = /^(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(rest);
    if (ref === null) {
      out += '$';
      continue;
    }
    const name = ref[1] ?? ref[2] ?? '';
    rest = rest.slice(ref[0].length);
    if (name === '0') out += whole;
  }
  return out + rest;
}
