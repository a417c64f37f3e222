import type { Platform } from '../core/platform.js';
import type { SourceFile } from '../core/source.js';
import type { EscapeChar } from '../dockerfile/shell-lexer.js';
import type { OpConstraints } from '../llb/constraints.js';
import type { State } from '../llb/state.js';
import type { Output } from '../llb/vertex.js';
import type { NetworkModeOption, ProxyEnvOption } from '../config/build-options.js';
import { lexShellWord } from '../dockerfile/shell-lexer.js';
import { envMap, expander, type Expander, type Where } from './expand.js';
import { platformNamePrefix } from './platform-prefix.js';
import type { ImageConfig } from './image-config.js';
import type { BuildWarning } from './warnings.js';
import type { DependencyMount } from '../deps/plugin.js';
import type { LockMode } from '../lock/model.js';

/** An ARG as the stage knows it: name plus its value, when it has one. */
export interface StageArg {
  readonly key: string;
  readonly value: string | undefined;
}

/** Everything dispatch knows about one stage at one point. Replaced, never mutated. */
export interface StageState {
  readonly index: number;
  /** shown in vertex names; '' for a single-stage Dockerfile */
  readonly name: string;
  readonly llb: State;
  readonly image: ImageConfig;
  readonly platform: Platform;
  readonly args: readonly StageArg[];
  /** CMD was set in this stage (ENTRYPOINT then keeps it) */
  readonly cmdSet: boolean;
  readonly cmdIndex: number;
  readonly cmdTotal: number;
  readonly ignoreCache: boolean;
  /** context paths this stage's COPY/ADD read, for local.followpaths */
  readonly contextPaths: readonly string[];
}

/** Read-only facts of the whole build that dispatchers need. */
export interface DispatchContext {
  readonly file: SourceFile;
  readonly escape: EscapeChar;
  /** global ARGs (platform args first), after build-arg overrides */
  readonly metaArgs: readonly StageArg[];
  readonly buildArgs: ReadonlyMap<string, string>;
  /** placeholder for the build context; swapped for the real local source at the end */
  readonly context: Output;
  /** finished stages by index, for COPY --from and RUN --mount from= */
  readonly stages: ReadonlyMap<number, StageState>;
  /** `RUN --mount from=` value as written → stage index (BuildPlan.mountFrom) */
  readonly mountFrom: ReadonlyMap<string, number>;
  readonly multiPlatform: boolean;
  readonly networkMode: NetworkModeOption;
  readonly extraHosts: readonly { readonly host: string; readonly ip: string }[];
  readonly hostname: string | undefined;
  readonly shmSizeBytes: number;
  readonly ulimits: readonly { readonly name: string; readonly soft: number; readonly hard: number }[];
  readonly cgroupParent: string | undefined;
  /** the proxy build args every RUN passes to the executor */
  readonly proxyEnv?: ProxyEnvOption | undefined;
  readonly epochSeconds: number | undefined;
  readonly cacheMountNamespace: string;
  /** read-only dependency trees (deps/) every RUN step of this stage mounts */
  readonly dependencyMounts?: readonly DependencyMount[];
  /** the build's lock mode; absent: plain BuildKit semantics (no network policy) */
  readonly lockMode?: LockMode;
  /** why this stage's RUN steps keep network in prod (Gosh.yaml policy.network) */
  readonly networkException?: string;
  /** collects warnings that dispatchers find (shown by the frontend after compiling) */
  readonly warn?: (warning: BuildWarning) => void;
}

export function stageExpander(st: StageState, ctx: DispatchContext): Expander {
  return expander(envMap(st.llb.env), ctx.escape);
}

export function where(ctx: DispatchContext, range: Where['range']): Where {
  return { file: ctx.file.name, range };
}

/** Source map entry for an op created by the instruction at `range`. */
export function locate(ctx: DispatchContext, range: Where['range']): OpConstraints {
  return { sourceLocations: [{ file: ctx.file, language: 'Dockerfile', ranges: [range] }] };
}

/**
 * `[stage-0 2/5] RUN …`: BuildKit's vertex names. Returns the name and the stage with its
 * step counter advanced; stages without steps print the bare command.
 */
export function prefixCommand(st: StageState, command: string, ctx: DispatchContext): { name: string; stage: StageState } {
  if (st.cmdTotal === 0) return { name: command, stage: st };
  let out = '[';
  if (ctx.multiPlatform) out += `${platformNamePrefix(st.platform, st.llb.env)} `;
  if (st.name !== '') out += `${st.name} `;
  const index = st.cmdIndex + 1;
  const width = Math.floor(1 + Math.log10(st.cmdTotal));
  out += `${String(index).padStart(width, ' ')}/${st.cmdTotal}] `;
  return { name: out + command, stage: { ...st, cmdIndex: index } };
}

/** Uppercases the first word, as BuildKit does for vertex names. */
export function uppercaseCommand(text: string): string {
  const sp = text.indexOf(' ');
  return sp < 0 ? text.toUpperCase() : text.slice(0, sp).toUpperCase() + text.slice(sp);
}

/**
 * The instruction text for a vertex name, with variables expanded as BuildKit shows them
 * (RUN keeps quotes and unknown variables as written); falls back to the raw text.
 */
export function displayCommand(st: StageState, original: string, ctx: DispatchContext, forRun = false): string {
  try {
    const settings = forRun ? { escape: ctx.escape, rawQuotes: true, skipUnsetEnv: true } : { escape: ctx.escape };
    return uppercaseCommand(lexShellWord(original, envMap(st.llb.env), settings).word);
  } catch {
    return uppercaseCommand(original);
  }
}
