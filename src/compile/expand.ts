import { fail } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import { lexShellWord, ShellLexError, type EnvLookup, type EscapeChar } from '../dockerfile/shell-lexer.js';

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

export function expander(env: EnvLookup, escape: EscapeChar): Expander {
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

type EnvPairs = readonly (readonly [string, string])[];

// a list scanned this many times gets a Map
const SCANS_BEFORE_MAP = 8;

/**
 * Lookups in an env list; later duplicates win, as BuildKit's BuildEnvs does. Most lists are
 * looked up a few times at most (an ENV makes a new list for the next instructions, and most
 * words name no variable), so the list is scanned from the end until lookups get frequent.
 */
class EnvListLookup implements EnvLookup {
  private map: Map<string, string> | undefined;
  private scans = 0;

  constructor(private readonly env: EnvPairs) {}

  get(name: string): string | undefined {
    if (this.map !== undefined) return this.map.get(name);
    if (++this.scans > SCANS_BEFORE_MAP) {
      const map = new Map<string, string>();
      for (const [k, v] of this.env) map.set(k, v);
      this.map = map;
      return map.get(name);
    }
    for (let i = this.env.length - 1; i >= 0; i--) {
      const pair = this.env[i] as readonly [string, string];
      if (pair[0] === name) return pair[1];
    }
    return undefined;
  }
}

const envLookups = new WeakMap<EnvPairs, EnvListLookup>();

/** Env list → lookups, made once per list (env lists are immutable). */
export function envMap(env: EnvPairs): EnvLookup {
  let lookup = envLookups.get(env);
  if (lookup === undefined) {
    lookup = new EnvListLookup(env);
    envLookups.set(env, lookup);
  }
  return lookup;
}
