// The engine behind words.ts: a faithful model of BuildKit's shell lexer
// (frontend/dockerfile/shell/lex.go, v0.13.2) — quotes, escapes, `$VAR`/`${VAR…}` expansion and
// word splitting — including its quirks, because Dockerfiles in the wild depend on them.
import {
  ShellPatternError,
  replaceShellPattern,
  reverseShellPattern,
  trimShellPrefix,
  trimShellSuffix,
} from './shell-pattern.js';

export type EscapeChar = '\\' | '`';

export interface LexSettings {
  readonly escape: EscapeChar;
  /** keep quote characters in the output (heredoc detection) */
  readonly rawQuotes?: boolean;
  /** keep escape characters in the output */
  readonly rawEscapes?: boolean;
  /** leave `$NAME` / `${NAME…}` as written when NAME is not set */
  readonly skipUnsetEnv?: boolean;
  /** treat quotes as ordinary characters */
  readonly skipProcessQuotes?: boolean;
}

export interface LexResult {
  /** the whole input, expanded and unquoted, spaces kept */
  readonly word: string;
  /** the same split into words on unquoted whitespace */
  readonly words: readonly string[];
  /** variables that were looked up and found */
  readonly used: ReadonlySet<string>;
}

/** A lexer error; words.ts adds the `failed to process "…"` context and a diagnostic code. */
export class ShellLexError extends Error {
  override name = 'ShellLexError';
}

/**
 * Go's unicode.IsSpace. Not JS `\s`, which also counts U+FEFF and misses nothing else that
 * matters, but the lexer must agree with BuildKit on every character.
 */
export function isGoSpace(ch: string): boolean {
  switch (ch) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case '\u0085':
    case '\u00a0':
      return true;
    default:
      return ch.length > 0 && ch.charCodeAt(0) > 0xff && /^\p{Zs}$|^[\u2028\u2029]$/u.test(ch);
  }
}

const isDigit = (ch: string): boolean => /^\p{Nd}$/u.test(ch);
const isLetter = (ch: string): boolean => /^\p{L}$/u.test(ch);
/** POSIX special parameters: `$@ $* $# $? $- $$ $! $0` */
const isSpecialParam = (ch: string): boolean => '@*#?-$!0'.includes(ch) && ch.length === 1;

/** Word accumulator: splits on unquoted whitespace, keeps quoted/escaped text whole. */
class WordSplitter {
  private word = '';
  private readonly words: string[] = [];
  private inWord = false;

  addChar(ch: string): void {
    if (isGoSpace(ch)) {
      if (this.inWord && this.word.length !== 0) {
        this.words.push(this.word);
        this.word = '';
        this.inWord = false;
      }
    } else {
      this.addRawChar(ch);
    }
  }

  addRawChar(ch: string): void {
    this.word += ch;
    this.inWord = true;
  }

  addString(text: string): void {
    for (const ch of text) this.addChar(ch);
  }

  addRawString(text: string): void {
    this.word += text;
    this.inWord = true;
  }

  finish(): string[] {
    if (this.word.length > 0) {
      this.words.push(this.word);
      this.word = '';
      this.inWord = false;
    }
    return this.words;
  }
}

/** What the lexer needs of an environment: lookups by name (a Map will do). */
export interface EnvLookup {
  get(name: string): string | undefined;
}

const NOTHING_USED: ReadonlySet<string> = new Set();

/** Runs the lexer over `source`; env keys are case-sensitive (Linux). */
export function lexShellWord(source: string, env: EnvLookup, settings: LexSettings): LexResult {
  if (isPlainAscii(source, settings.escape)) return { word: source, words: splitAsciiWords(source), used: NOTHING_USED };
  const lexer = new ShellLexer(source, env, settings);
  const { word, words } = lexer.processStopOn(undefined, settings.rawEscapes ?? false);
  return { word, words, used: lexer.used };
}

/**
 * ASCII text without `$`, quotes or the escape character: the lexer would give it back as is
 * whatever the settings, so most instruction words skip it. (A BOM is not ASCII.)
 */
function isPlainAscii(source: string, escape: EscapeChar): boolean {
  const esc = escape.charCodeAt(0);
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c >= 0x80 || c === 0x24 /* $ */ || c === 0x22 /* " */ || c === 0x27 /* ' */ || c === esc) return false;
  }
  return true;
}

/** WordSplitter's words for plain ASCII text: runs of non-space characters. */
function splitAsciiWords(source: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= source.length; i++) {
    const c = i < source.length ? source.charCodeAt(i) : 0x20;
    // Go's unicode.IsSpace in ASCII: \t \n \v \f \r and space
    const space = c === 0x20 || (c >= 0x09 && c <= 0x0d);
    if (space) {
      if (start >= 0) words.push(source.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  return words;
}

class ShellLexer {
  readonly used = new Set<string>();
  private readonly chars: string[];
  private pos = 0;
  private rawEscapes: boolean;

  constructor(
    source: string,
    private readonly env: EnvLookup,
    private readonly settings: LexSettings,
  ) {
    this.chars = Array.from(source);
    // Go's text/scanner skips a byte-order mark at the very start
    if (this.chars[0] === '\ufeff') this.pos = 1;
    this.rawEscapes = settings.rawEscapes ?? false;
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private next(): string | undefined {
    const ch = this.chars[this.pos];
    if (ch !== undefined) this.pos++;
    return ch;
  }

  private get escape(): string {
    return this.settings.escape;
  }

  /** Reads up to (and consuming) `stop`, or to the end when `stop` is undefined. */
  processStopOn(stop: string | undefined, rawEscapes: boolean): { word: string; words: string[] } {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      return this.processStopOnInner(stop);
    } finally {
      this.rawEscapes = saved;
    }
  }

  private processStopOnInner(stop: string | undefined): { word: string; words: string[] } {
    let result = '';
    const words = new WordSplitter();
    const quotesSpecial = this.settings.skipProcessQuotes !== true;
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (stop !== undefined && ch === stop) {
        this.next();
        return { word: result, words: words.finish() };
      }
      if (ch === '$') {
        const value = this.processDollar();
        result += value;
        words.addString(value);
      } else if (quotesSpecial && (ch === "'" || ch === '"')) {
        const value = ch === "'" ? this.processSingleQuote() : this.processDoubleQuote();
        result += value;
        words.addRawString(value);
      } else {
        let c = this.next() as string;
        if (c === this.escape) {
          if (this.rawEscapes) {
            words.addRawChar(c);
            result += c;
          }
          // an escape at the very end is dropped
          const escaped = this.next();
          if (escaped === undefined) break;
          c = escaped;
          words.addRawChar(c);
        } else {
          words.addChar(c);
        }
        result += c;
      }
    }
    if (stop !== undefined) {
      throw new ShellLexError(`unexpected end of statement while looking for matching ${stop}`);
    }
    return { word: result, words: words.finish() };
  }

  private processSingleQuote(): string {
    // everything up to the next ' is literal; nothing can be escaped
    let result = '';
    const open = this.next() as string;
    if (this.settings.rawQuotes === true) result += open;
    for (;;) {
      const ch = this.next();
      if (ch === undefined) {
        throw new ShellLexError('unexpected end of statement while looking for matching single-quote');
      }
      if (ch === "'") {
        if (this.settings.rawQuotes === true) result += ch;
        return result;
      }
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    // literal except `$`, and the escape character before `"`, `$` or itself
    let result = '';
    const open = this.next() as string;
    if (this.settings.rawQuotes === true) result += open;
    for (;;) {
      const peeked = this.peek();
      if (peeked === undefined) {
        throw new ShellLexError('unexpected end of statement while looking for matching double-quote');
      }
      if (peeked === '"') {
        this.next();
        if (this.settings.rawQuotes === true) result += peeked;
        return result;
      }
      if (peeked === '$') {
        result += this.processDollar();
        continue;
      }
      let ch = this.next() as string;
      if (ch === this.escape) {
        if (this.rawEscapes) result += ch;
        const after = this.peek();
        if (after === undefined) continue;
        if (after === '"' || after === '$' || after === this.escape) ch = this.next() as string;
      }
      result += ch;
    }
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const value = this.lookup(name);
      if (value === undefined && this.settings.skipUnsetEnv === true) return `$${name}`;
      return value ?? '';
    }
    this.next();
    const first = this.peek();
    if (first === undefined) throw new ShellLexError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new ShellLexError('syntax error: bad substitution');
    const name = this.processName();
    // Go renders a missing rune (EOF) as U+FFFD in the message
    let op = this.next() ?? '\uFFFD';
    let opText = op;
    let nullIsUnset = false;
    if (op === '}') {
      const value = this.lookup(name);
      if (value === undefined && this.settings.skipUnsetEnv === true) return `\${${name}}`;
      return value ?? '';
    }
    if (op === '/') return this.processReplace(name);
    if (op === ':') {
      nullIsUnset = true;
      op = this.next() ?? '\uFFFD';
      opText += op;
    } else if (!'+-?#%'.includes(op)) {
      throw new ShellLexError(`unsupported modifier (${opText}) in substitution`);
    }
    const rawEscapes = op === '#' || op === '%';
    let word: string;
    try {
      word = this.processStopOn('}', rawEscapes).word;
    } catch (e) {
      if (this.peek() === undefined) throw new ShellLexError("syntax error: missing '}'");
      throw e;
    }
    const value = this.lookup(name);
    if (value === undefined && this.settings.skipUnsetEnv === true) return `\${${name}${opText}${word}}`;
    switch (op) {
      case '-':
        return value === undefined || (nullIsUnset && value === '') ? word : value;
      case '+':
        return value === undefined || (nullIsUnset && value === '') ? '' : word;
      case '?':
        if (value === undefined) {
          throw new ShellLexError(`${name}: ${word !== '' ? word : 'is not allowed to be unset'}`);
        }
        if (nullIsUnset && value === '') {
          throw new ShellLexError(`${name}: ${word !== '' ? word : 'is not allowed to be empty'}`);
        }
        return value;
      case '%':
      case '#':
        return this.trim(op, word, value ?? '');
      default:
        throw new ShellLexError(`unsupported modifier (${opText}) in substitution`);
    }
  }

  private trim(op: '%' | '#', word: string, value: string): string {
    // BuildKit indexes word[0] unchecked and panics on `${X%}`; we report it instead
    if (word === '') throw new ShellLexError(`syntax error: missing pattern after ${op}`);
    const greedy = word.startsWith(op);
    const pattern = greedy ? word.slice(1) : word;
    try {
      return op === '%' ? trimShellSuffix(pattern, value, greedy) : trimShellPrefix(pattern, value, greedy);
    } catch (e) {
      if (e instanceof ShellPatternError) {
        // for % BuildKit matches (and reports) the reversed pattern
        const shown = op === '%' ? reverseShellPattern(pattern) : pattern;
        throw new ShellLexError(`invalid pattern (${shown}) in substitution: ${e.message}`);
      }
      throw e;
    }
  }

  private processReplace(name: string): string {
    const all = this.peek() === '/';
    if (all) this.next();
    let pattern: string;
    try {
      pattern = this.processStopOn('/', true).word;
    } catch (e) {
      if (this.peek() === undefined) throw new ShellLexError("syntax error: missing '/' in ${}");
      throw e;
    }
    let replacement: string;
    try {
      replacement = this.processStopOn('}', true).word;
    } catch (e) {
      if (this.peek() === undefined) throw new ShellLexError("syntax error: missing '}'");
      throw e;
    }
    const value = this.lookup(name);
    if (value === undefined && this.settings.skipUnsetEnv === true) return `\${${name}/${pattern}/${replacement}}`;
    try {
      return replaceShellPattern(value ?? '', pattern, replacement, all);
    } catch (e) {
      if (e instanceof ShellPatternError) {
        throw new ShellLexError(`invalid pattern (${pattern}) in substitution: ${e.message}`);
      }
      throw e;
    }
  }

  /** A name: letters, digits, `_`; or a run of digits; or one special parameter. */
  private processName(): string {
    let name = '';
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (name === '' && isDigit(ch)) {
        while (this.peek() !== undefined && isDigit(this.peek() as string)) name += this.next() as string;
        return name;
      }
      if (name === '' && isSpecialParam(ch)) {
        this.next();
        return ch;
      }
      if (!isLetter(ch) && !isDigit(ch) && ch !== '_') break;
      name += this.next() as string;
    }
    return name;
  }

  private lookup(name: string): string | undefined {
    const value = this.env.get(name);
    if (value !== undefined) this.used.add(name);
    return value;
  }
}
