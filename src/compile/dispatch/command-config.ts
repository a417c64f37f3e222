// CMD, ENTRYPOINT and HEALTHCHECK: the container's default process, in the image config.
import type { CmdInstruction, CommandLine, EntrypointInstruction, HealthcheckInstruction } from '../../dockerfile/instructions.js';
import { fail } from '../../core/errors.js';
import { commitHistory, withConfig, type ImageConfig } from '../image-config.js';
import { where, type DispatchContext, type StageState } from '../stage-state.js';
import { goQuote, goQuotedList } from './go-format.js';

const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** Shell form runs through the image's SHELL (default /bin/sh -c); exec form as written. */
export function commandArgs(image: ImageConfig, command: CommandLine): string[] {
  if (command.form === 'exec') return [...command.args];
  const shell = image.config.Shell !== undefined && image.config.Shell.length > 0 ? image.config.Shell : DEFAULT_SHELL;
  return [...shell, command.text];
}

export function dispatchCmd(st: StageState, ins: CmdInstruction, ctx: DispatchContext): StageState {
  const args = commandArgs(st.image, ins.command);
  const image = withConfig(st.image, { Cmd: args, ArgsEscaped: true });
  return {
    ...st,
    cmdSet: true,
    image: commitHistory(image, { createdBy: `CMD ${goQuotedList(args)}`, withLayer: false, fromOp: false, epochSeconds: ctx.epochSeconds }),
  };
}

export function dispatchEntrypoint(st: StageState, ins: EntrypointInstruction, ctx: DispatchContext): StageState {
  const args = commandArgs(st.image, ins.command);
  // an ENTRYPOINT resets a CMD inherited from the base, not one set in this stage
  const image = withConfig(st.image, { Entrypoint: args, ...(st.cmdSet ? {} : { Cmd: null }) });
  return {
    ...st,
    image: commitHistory(image, { createdBy: `ENTRYPOINT ${goQuotedList(args)}`, withLayer: false, fromOp: false, epochSeconds: ctx.epochSeconds }),
  };
}

const NS_PER_UNIT: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration, in nanoseconds. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * (NS_PER_UNIT[m[2] as string] as number);
    matched = re.lastIndex;
  }
  return matched === text.length && text.length > 0 ? Math.round(total) : undefined;
}

export function dispatchHealthcheck(st: StageState, ins: HealthcheckInstruction, ctx: DispatchContext): StageState {
  const at = where(ctx, ins.range);
  const duration = (flag: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const ns = parseGoDuration(raw);
    if (ns === undefined) fail('DOCKERFILE_INVALID_FLAG', `HEALTHCHECK: invalid duration --${flag}=${raw}`, at);
    if (ns !== 0 && ns < 1e6) fail('DOCKERFILE_INVALID_FLAG', `HEALTHCHECK: interval "${flag}" cannot be less than 1ms`, at);
    return ns;
  };
  let test: string[];
  if (ins.test.kind === 'none') test = ['NONE'];
  else if (ins.test.command.form === 'exec') test = ['CMD', ...ins.test.command.args];
  else test = ['CMD-SHELL', ins.test.command.text];
  const interval = duration('interval', ins.interval);
  const timeout = duration('timeout', ins.timeout);
  const startPeriod = duration('start-period', ins.startPeriod);
  const startInterval = duration('start-interval', ins.startInterval);
  let retries: number | undefined;
  if (ins.retries !== undefined) {
    retries = Number(ins.retries);
    if (!/^-?\d+$/.test(ins.retries) || retries < 0) fail('DOCKERFILE_INVALID_FLAG', `HEALTHCHECK: --retries cannot be negative or malformed (${ins.retries})`, at);
  }
  const hc: Record<string, unknown> = { Test: test };
  if (interval !== undefined && interval !== 0) hc['Interval'] = interval;
  if (timeout !== undefined && timeout !== 0) hc['Timeout'] = timeout;
  if (startPeriod !== undefined && startPeriod !== 0) hc['StartPeriod'] = startPeriod;
  if (startInterval !== undefined && startInterval !== 0) hc['StartInterval'] = startInterval;
  if (retries !== undefined && retries !== 0) hc['Retries'] = retries;
  const shown = `&{${goQuotedList(test)} ${goDuration(interval ?? 0)} ${goDuration(timeout ?? 0)} ${goDuration(startPeriod ?? 0)} ${goDuration(startInterval ?? 0)} ${retries ?? 0}}`;
  return {
    ...st,
    image: commitHistory(withConfig(st.image, { Healthcheck: hc }), { createdBy: `HEALTHCHECK ${shown}`, withLayer: false, fromOp: false, epochSeconds: ctx.epochSeconds }),
  };
}

/** time.Duration.String() */
function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)}ms`;
  let s = ns / 1e9;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  let out = '';
  if (h > 0) out += `${h}h`;
  if (h > 0 || m > 0) out += `${m}m`;
  return `${out}${trim(s)}s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}

export { goQuote };
