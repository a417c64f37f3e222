import { fail } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import { lexShellWord, ShellLexError, type EnvLookup, type EscapeChar } from '../dockerfile/shell-lexer.js';
import { envDerivation } from '../llb/state.js';

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
// lookups go through at most this many derived lists before a list of their own
const MAX_DERIVED_DEPTH = 16;

/**
 * Lookups in an env list; later duplicates win, as BuildKit's BuildEnvs does. A list envSetAll
 * made from another looks in its added pairs, then in the other list's lookups; other lists
 * are scanned from the end until lookups get frequent, then get a Map. Most lists are looked
 * up a few times at most, and a Map per list would copy every variable for each ENV.
 */
class EnvListLookup implements EnvLookup {
  private map: Map<string, string> | undefined;
  private scans = 0;
  /** derived lists: how many derivations deep; 0 for a list with lookups of its own */
  readonly depth: number;

  /** `derived`: the lookups of the list `env` was made from, and how many pairs it added */
  constructor(
    private readonly env: EnvPairs,
    private readonly derived?: { readonly base: EnvListLookup; readonly added: number },
  ) {
    this.depth = derived !== undefined ? derived.base.depth + 1 : 0;
  }

  get(name: string): string | undefined {
    if (this.map !== undefined) return this.map.get(name);
    if (this.derived !== undefined) {
      // the added pairs are the list's last entries, and every replaced key is among them
      return this.scan(name, this.env.length - this.derived.added) ?? this.derived.base.get(name);
    }
    if (++this.scans > SCANS_BEFORE_MAP) {
      const map = new Map<string, string>();
      for (const [k, v] of this.env) map.set(k, v);
      this.map = map;
      return map.get(name);
    }
    return this.scan(name, 0);
  }

  /** The value of the last `name` in env[from:]. */
  private scan(name: string, from: number): string | undefined {
    for (let i = this.env.length - 1; i >= from; i--) {
      const pair = this.env[i] as readonly [string, string];
      if (pair[0] === name) return pair[1];
    }
    return undefined;
  }
}

const envLookups = new WeakMap<EnvPairs, EnvListLookup>();

/** Env list → lookups, made once per list (env lists are immutable). */
export function envMap(env: EnvPairs): EnvLookup {
  return lookupOf(env);
}

function lookupOf(env: EnvPairs): EnvListLookup {
  const known = envLookups.get(env);
  if (known !== undefined) return known;
  // the lists between `env` and the nearest one with lookups, newest first
  const chain: EnvPairs[] = [];
  let base: EnvListLookup | undefined;
  for (let list: EnvPairs | undefined = env; list !== undefined && chain.length <= MAX_DERIVED_DEPTH; ) {
    base = envLookups.get(list);
    if (base !== undefined) break;
    chain.push(list);
    list = envDerivation(list)?.from;
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const list = chain[i] as EnvPairs;
    const how = envDerivation(list);
    const lookup = how === undefined || base === undefined || base.depth >= MAX_DERIVED_DEPTH
      ? new EnvListLookup(list)
      : new EnvListLookup(list, { base, added: how.added.length });
    envLookups.set(list, lookup);
    base = lookup;
  }
  return base as EnvListLookup;
}
