import { fail } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import { lexShellWord, ShellLexError, type EscapeChar } from '../dockerfile/shell-lexer.js';

export interface Where {
  readonly file: string;
  readonly range: SourceRange;
}

/** Variable expansion bound to one environment, with errors located at the instruction. */
export interface Expander {
  /** one word, quotes removed (ProcessWord) */
  word(raw: string, where: Where): string;
  /** split into words (ProcessWords) */
  words(raw: string, where: Where): string[];
  /** one word plus the names it looked up */
  wordWithUses(raw: string, where: Where): { word: string; used: ReadonlySet<string> };
}

export function expander(env: ReadonlyMap<string, string>, escape: EscapeChar): Expander {
  const run = (raw: string, where: Where): ReturnType<typeof lexShellWord> => {
    try {
      return lexShellWord(raw, env, { escape });
    } catch (e) {
      if (e instanceof ShellLexError) fail('DOCKERFILE_EXPANSION', `failed to process "${raw}": ${e.message}`, where);
      throw e;
    }
  };
  return {
    word: (raw, where) => run(raw, where).word,
    words: (raw, where) => [...run(raw, where).words],
    wordWithUses: (raw, where) => {
      const r = run(raw, where);
      return { word: r.word, used: r.used };
    },
  };
}

const envMaps = new WeakMap<readonly (readonly [string, string])[], Map<string, string>>();

/**
 * Env list → map for lookups; later duplicates win, as BuildKit's BuildEnvs does. Env lists are
 * immutable, so the map is built once per list (every instruction of a stage expands words).
 */
export function envMap(env: readonly (readonly [string, string])[]): ReadonlyMap<string, string> {
  let map = envMaps.get(env);
  if (map === undefined) {
    map = new Map(env.map(([k, v]) => [k, v]));
    envMaps.set(env, map);
  }
  return map;
}
