import type { Platform } from '../core/platform.js';
import type { OpConstraints } from './constraints.js';
import { exec, type ExecResult, type ExecSpec } from './exec.js';
import { fileOp, type FileAction } from './file.js';
import { marshalDefinition } from './marshal.js';
import { markImmutable } from './wire-writer.js';
import type { Definition } from './definition.js';
import type { Output } from './vertex.js';
import type { NetworkMode, SecurityMode } from './exec.js';

/** Ordered KEY=value pairs of a process environment. */
export type EnvList = readonly (readonly [string, string])[];

/** Sets a key by removing it and appending it, as BuildKit's llb EnvList.AddOrReplace does. */
export function envSet(env: EnvList, key: string, value: string): EnvList {
  return envSetAll(env, [[key, value]]);
}

/** Applies `pairs` in order with envSet's semantics, in one pass. */
export function envSetAll(env: EnvList, pairs: readonly (readonly [string, string])[]): EnvList {
  // the pair objects are kept and the derivation recorded: envStrings and env lookups build on
  // the older list's instead of redoing every variable
  const keys = new Set<string>();
  for (const pair of pairs) keys.add(pair[0]);
  // a key set twice ends up where its last setting puts it
  const added = keys.size === pairs.length ? pairs : pairs.filter((pair, i) => !pairs.slice(i + 1).some((p) => p[0] === pair[0]));
  let replaces = false;
  if (added.length === 1) {
    // the usual ENV or ARG of one variable: plain comparisons beat Set lookups
    const key = (added[0] as readonly [string, string])[0];
    for (let i = 0; i < env.length && !replaces; i++) replaces = (env[i] as readonly [string, string])[0] === key;
  } else {
    for (let i = 0; i < env.length && !replaces; i++) replaces = keys.has((env[i] as readonly [string, string])[0]);
  }
  const out = replaces ? env.filter((pair) => !keys.has(pair[0])).concat(added) : env.concat(added);
  derivations.set(out, { from: env, replaced: replaces ? keys : undefined, added: added.slice() });
  return out;
}

export function envGet(env: EnvList, key: string): string | undefined {
  return env.find(([k]) => k === key)?.[1];
}

/** How envSetAll made a list, if it did: lookups and envStrings derive from `from`'s. */
export function envDerivation(env: EnvList): EnvDerivation | undefined {
  return derivations.get(env);
}

/** How envSetAll made a list: every replaced key is among the added ones. */
export interface EnvDerivation {
  readonly from: EnvList;
  /** keys dropped from `from`, when any were */
  readonly replaced: ReadonlySet<string> | undefined;
  readonly added: EnvList;
}

const derivations = new WeakMap<EnvList, EnvDerivation>();
const listStrings = new WeakMap<EnvList, readonly string[]>();

/**
 * KEY=value strings of an env list, made once per list (RUNs between two ENVs share one) and
 * derived from the list it was made from, so an entry's string is made once and shared by
 * every exec op that inherits it: a long stage repeats the same env in hundreds of ops, and
 * marshaling copies the bytes of the entries an op shares with the op before it
 * (wire-writer.ts) after comparing them by identity.
 */
export function envStrings(env: EnvList): readonly string[] {
  const known = listStrings.get(env);
  if (known !== undefined) return known;
  // the lists between `env` and the nearest one with strings (or none), newest first
  const chain: EnvList[] = [];
  let base: readonly string[] = [];
  for (let list: EnvList | undefined = env; list !== undefined; ) {
    const strings = listStrings.get(list);
    if (strings !== undefined) {
      base = strings;
      break;
    }
    chain.push(list);
    list = derivations.get(list)?.from;
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const list = chain[i] as EnvList;
    const how = derivations.get(list);
    let strings: string[];
    if (how === undefined) {
      strings = list.map(entryString);
    } else {
      const { from, replaced, added } = how;
      strings = replaced === undefined ? base.slice() : base.filter((_, k) => !replaced.has((from[k] as readonly [string, string])[0]));
      for (const pair of added) strings.push(entryString(pair));
    }
    // the op writer may then keep the list itself rather than a copy
    listStrings.set(list, markImmutable(strings));
    base = strings;
  }
  return base;
}

function entryString(pair: readonly [string, string]): string {
  return `${pair[0]}=${pair[1]}`;
}

/** envStrings as a list of the caller's own. */
export function envToArray(env: EnvList): string[] {
  return [...envStrings(env)];
}

interface StateFields {
  readonly output: Output | undefined;
  readonly platform: Platform | undefined;
  readonly env: EnvList;
  readonly dir: string;
  readonly user: string | undefined;
  readonly network: NetworkMode | undefined;
  readonly security: SecurityMode | undefined;
}

export type RunOptions = Omit<ExecSpec, 'root' | 'env' | 'cwd' | 'user' | 'platform'> & {
  readonly env?: readonly string[];
  readonly cwd?: string;
  readonly user?: string;
};

/**
 * An immutable point in the build graph: a filesystem (`output`, undefined = scratch) plus the
 * process settings later exec ops inherit. Every method returns a new State.
 */
export class State {
  private constructor(private readonly f: StateFields) {}

  static scratch(): State {
    return new State({ output: undefined, platform: undefined, env: [], dir: '/', user: undefined, network: undefined, security: undefined });
  }

  static from(output: Output | undefined): State {
    return State.scratch().withOutput(output);
  }

  get output(): Output | undefined {
    return this.f.output;
  }
  get platform(): Platform | undefined {
    return this.f.platform;
  }
  get env(): EnvList {
    return this.f.env;
  }
  get dir(): string {
    return this.f.dir;
  }
  get user(): string | undefined {
    return this.f.user;
  }
  get network(): NetworkMode | undefined {
    return this.f.network;
  }
  get security(): SecurityMode | undefined {
    return this.f.security;
  }
  get isScratch(): boolean {
    return this.f.output === undefined;
  }

  private with(patch: Partial<StateFields>): State {
    return new State({ ...this.f, ...patch });
  }

  withOutput(output: Output | undefined): State {
    return this.with({ output });
  }
  withPlatform(platform: Platform | undefined): State {
    return this.with({ platform });
  }
  withEnv(key: string, value: string): State {
    return this.with({ env: envSet(this.f.env, key, value) });
  }
  withEnvPairs(pairs: readonly (readonly [string, string])[]): State {
    return this.with({ env: envSetAll(this.f.env, pairs) });
  }
  withEnvList(env: EnvList): State {
    return this.with({ env });
  }
  withDir(dir: string): State {
    return this.with({ dir });
  }
  withUser(user: string | undefined): State {
    return this.with({ user });
  }
  withNetwork(network: NetworkMode | undefined): State {
    return this.with({ network });
  }
  withSecurity(security: SecurityMode | undefined): State {
    return this.with({ security });
  }

  /** Runs a command on this state's filesystem with its env/dir/user/platform unless overridden. */
  run(options: RunOptions): { state: State; result: ExecResult } {
    // assigned rather than spread in: this runs for every RUN
    const spec: { -readonly [K in keyof ExecSpec]: ExecSpec[K] } = { ...options, root: this.f.output, env: options.env ?? envStrings(this.f.env), cwd: options.cwd ?? this.f.dir };
    const user = options.user ?? this.f.user;
    if (user !== undefined) spec.user = user;
    const network = options.network ?? this.f.network;
    if (network !== undefined) spec.network = network;
    const security = options.security ?? this.f.security;
    if (security !== undefined) spec.security = security;
    if (this.f.platform !== undefined) spec.platform = this.f.platform;
    const result = exec(spec);
    return { state: this.withOutput(result.root), result };
  }

  /** Applies file actions to this state's filesystem in one FileOp. */
  file(actions: readonly FileAction[], constraints?: OpConstraints): State {
    return this.withOutput(fileOp(this.f.output, actions, constraints));
  }

  marshal(): Definition {
    return marshalDefinition(this.f.output, this.f.platform !== undefined ? { defaultPlatform: this.f.platform } : {});
  }
}
