// Variable expansion and word splitting with BuildKit's rules, for the compiler: arguments stay
// raw in the parsed instructions and are expanded here against the stage's environment.
import { GoshError } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import { expansionFailed } from './errors.js';
import { type EscapeChar, ShellLexError, lexShellWord } from './shell-lexer.js';

export type { EscapeChar } from './shell-lexer.js';

/** Variables in scope, KEY → value; keys are case-sensitive (Linux). */
export type Env = ReadonlyMap<string, string>;

export interface ExpandOptions {
  /** the Dockerfile's escape character; `\` unless `# escape=` changed it */
  readonly escape?: EscapeChar;
  /** where the word comes from, attached to a DOCKERFILE_EXPANSION error */
  readonly file?: string;
  readonly range?: SourceRange;
}

export interface WordExpansion {
  readonly value: string;
  /** names that were referenced and set (BuildKit's "matches", for used build args) */
  readonly used: ReadonlySet<string>;
}

export interface WordsExpansion {
  readonly values: readonly string[];
  readonly used: ReadonlySet<string>;
}

/**
 * Expands one word: quotes removed, escapes applied, `$VAR` and `${VAR…}` replaced; whitespace
 * is kept (BuildKit's ProcessWord).
 * @throws GoshError DOCKERFILE_EXPANSION for bad syntax or `${VAR?msg}` on an unset variable
 */
export function expandWord(word: string, env: Env, options: ExpandOptions = {}): WordExpansion {
  const result = lex(word, env, options);
  return { value: result.word, used: result.used };
}

/**
 * Expands then splits on unquoted whitespace, including whitespace that came from a variable's
 * value (BuildKit's ProcessWords, used for e.g. EXPOSE, VOLUME and shell-form word lists).
 * @throws GoshError DOCKERFILE_EXPANSION
 */
export function expandWords(word: string, env: Env, options: ExpandOptions = {}): WordsExpansion {
  const result = lex(word, env, options);
  return { values: result.words, used: result.used };
}

/** expandWord(...).value */
export function processWord(word: string, env: Env, options: ExpandOptions = {}): string {
  return expandWord(word, env, options).value;
}

/** expandWords(...).values */
export function processWords(word: string, env: Env, options: ExpandOptions = {}): string[] {
  return [...expandWords(word, env, options).values];
}

/** `["A=1", "B", "A=2"]` → A=2, B="" (later entries win), as BuildKit builds its env map. */
export function envFromList(list: readonly string[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of list) {
    const eq = entry.indexOf('=');
    if (eq < 0) env.set(entry, '');
    else env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

function lex(word: string, env: Env, options: ExpandOptions): ReturnType<typeof lexShellWord> {
  try {
    return lexShellWord(word, env, { escape: options.escape ?? '\\' });
  } catch (e) {
    if (e instanceof ShellLexError) {
      throw new GoshError(expansionFailed(word, e.message, { file: options.file, range: options.range }), { cause: e });
    }
    throw e;
  }
}
