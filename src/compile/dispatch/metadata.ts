// ENV, LABEL, ARG, USER, MAINTAINER, STOPSIGNAL, SHELL, VOLUME, ONBUILD: instructions that
// change only the image config and the process settings of later steps, never the filesystem.
import { fail } from '../../core/errors.js';
import type {
  ArgInstruction,
  EnvInstruction,
  LabelInstruction,
  MaintainerInstruction,
  OnbuildInstruction,
  ShellInstruction,
  StopsignalInstruction,
  UserInstruction,
  VolumeInstruction,
} from '../../dockerfile/instructions.js';
import { commitHistory, setImageEnvAll, withConfig, type ImageConfig } from '../image-config.js';
import { stageExpander, where, type DispatchContext, type StageState } from '../stage-state.js';
import { goList } from './go-format.js';

function commit(st: StageState, ctx: DispatchContext, createdBy: string, image: ImageConfig = st.image): StageState {
  return { ...st, image: commitHistory(image, { createdBy, withLayer: false, fromOp: false, epochSeconds: ctx.epochSeconds }) };
}

export function dispatchEnv(st: StageState, ins: EnvInstruction, ctx: DispatchContext): StageState {
  const ex = stageExpander(st, ctx);
  const at = where(ctx, ins.range);
  // every value is expanded with the env from before the instruction, so the pairs apply at once
  const pairs: (readonly [string, string])[] = [];
  let message = 'ENV';
  for (const pair of ins.pairs) {
    const key = ex.word(pair.key, at);
    const value = ex.word(pair.value, at);
    message += ` ${key}=${value}`;
    pairs.push([key, value]);
  }
  const env = setImageEnvAll(st.image.config.Env ?? [], pairs);
  return commit({ ...st, llb: st.llb.withEnvPairs(pairs) }, ctx, message, withConfig(st.image, { Env: env }));
}

export function dispatchLabel(st: StageState, ins: LabelInstruction, ctx: DispatchContext): StageState {
  const ex = stageExpander(st, ctx);
  const at = where(ctx, ins.range);
  const labels: Record<string, string> = { ...st.image.config.Labels };
  let message = 'LABEL';
  for (const pair of ins.pairs) {
    const key = ex.word(pair.key, at);
    const value = ex.word(pair.value, at);
    labels[key] = value;
    message += ` ${key}=${value}`;
  }
  return commit(st, ctx, message, withConfig(st.image, { Labels: labels }));
}

// build args that steer the SBOM scanner and never reach the environment (dockerfile2llb nonEnvArgs)
const NON_ENV_ARGS = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);

export function dispatchArg(st: StageState, ins: ArgInstruction, ctx: DispatchContext): StageState {
  const ex = stageExpander(st, ctx);
  const at = where(ctx, ins.range);
  let llb = st.llb;
  const args = [...st.args];
  const shown: string[] = [];
  for (const decl of ins.args) {
    const key = ex.word(decl.key, at);
    const declared = decl.value !== undefined ? ex.word(decl.value, at) : undefined;
    shown.push(declared !== undefined ? `${key}=${declared}` : key);
    let value = ctx.buildArgs.has(key) ? ctx.buildArgs.get(key) : declared;
    if (value === undefined) {
      // a bare ARG imports the global one of the same name
      for (const meta of ctx.metaArgs) if (meta.key === key) value = meta.value;
    }
    if (value !== undefined && !NON_ENV_ARGS.has(key)) llb = llb.withEnv(key, value);
    args.push({ key, value });
  }
  return commit({ ...st, llb, args }, ctx, `ARG ${shown.join(' ')}`);
}

export function dispatchUser(st: StageState, ins: UserInstruction, ctx: DispatchContext): StageState {
  const user = stageExpander(st, ctx).word(ins.user, where(ctx, ins.range));
  // an empty User is left out of the config JSON (Go's omitempty), as if never set
  const { User: _previous, ...withoutUser } = st.image.config;
  const image = user === '' ? { ...st.image, config: withoutUser } : withConfig(st.image, { User: user });
  return commit({ ...st, llb: st.llb.withUser(user) }, ctx, `USER ${user}`, image);
}

export function dispatchMaintainer(st: StageState, ins: MaintainerInstruction, ctx: DispatchContext): StageState {
  return commit(st, ctx, `MAINTAINER ${ins.maintainer}`, { ...st.image, author: ins.maintainer });
}

// moby/sys/signal SignalMap for Linux; RTMIN+1…15 and RTMAX-14…1 are the only offsets it knows
const SIGNAL_NAMES = new Set([
  'ABRT', 'ALRM', 'BUS', 'CHLD', 'CLD', 'CONT', 'FPE', 'HUP', 'ILL', 'INT', 'IO', 'IOT', 'KILL', 'PIPE', 'POLL', 'PROF',
  'PWR', 'QUIT', 'SEGV', 'STKFLT', 'STOP', 'SYS', 'TERM', 'TRAP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'USR1', 'USR2',
  'VTALRM', 'WINCH', 'XCPU', 'XFSZ', 'RTMIN', 'RTMAX',
  ...Array.from({ length: 15 }, (_, i) => `RTMIN+${i + 1}`),
  ...Array.from({ length: 14 }, (_, i) => `RTMAX-${i + 1}`),
]);

export function dispatchStopsignal(st: StageState, ins: StopsignalInstruction, ctx: DispatchContext): StageState {
  const signal = stageExpander(st, ctx).word(ins.signal, where(ctx, ins.range));
  if (!isValidSignal(signal)) fail('DOCKERFILE_SYNTAX', `STOPSIGNAL: invalid signal: ${signal}`, where(ctx, ins.range));
  return commit(st, ctx, `STOPSIGNAL ${signal}`, withConfig(st.image, { StopSignal: signal }));
}

/**
 * signal.ParseSignal: any non-zero number strconv.Atoi reads (signs included, 64-bit), or a
 * name from the map, case-insensitive, with or without "SIG". The value is stored as written.
 */
function isValidSignal(s: string): boolean {
  if (/^[+-]?\d+$/.test(s)) {
    const n = BigInt(s);
    if (n >= -(1n << 63n) && n < 1n << 63n) return n !== 0n;
  }
  const upper = s.toUpperCase();
  return SIGNAL_NAMES.has(upper.startsWith('SIG') ? upper.slice(3) : upper);
}

export function dispatchShell(st: StageState, ins: ShellInstruction, ctx: DispatchContext): StageState {
  return commit(st, ctx, `SHELL ${goList(ins.shell)}`, withConfig(st.image, { Shell: [...ins.shell] }));
}

export function dispatchVolume(st: StageState, ins: VolumeInstruction, ctx: DispatchContext): StageState {
  const ex = stageExpander(st, ctx);
  const at = where(ctx, ins.range);
  const volumes: Record<string, Record<string, never>> = { ...st.image.config.Volumes };
  const expanded = ins.volumes.map((v) => ex.word(v, at));
  for (const v of expanded) {
    if (v === '') fail('DOCKERFILE_SYNTAX', 'VOLUME specified can not be an empty string', at);
    volumes[v] = {};
  }
  return commit(st, ctx, `VOLUME ${goList(expanded)}`, withConfig(st.image, { Volumes: volumes }));
}

export function dispatchOnbuild(st: StageState, ins: OnbuildInstruction): StageState {
  // recorded only; BuildKit writes no history entry for ONBUILD
  return { ...st, image: withConfig(st.image, { OnBuild: [...(st.image.config.OnBuild ?? []), ins.expression] }) };
}
