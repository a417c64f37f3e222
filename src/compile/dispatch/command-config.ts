// CMD, ENTRYPOINT and HEALTHCHECK: the container's default process, in the image config.
import type { CmdInstruction, CommandLine, EntrypointInstruction, HealthcheckInstruction } from '../../dockerfile/instructions.js';
import { fail } from '../../core/errors.js';
import { parseGoDuration } from '../../dockerfile/go-duration.js';
import { parseHealthcheckRetries } from '../../dockerfile/flags.js';
import type { Where } from '../expand.js';
import { commitHistory, withConfig, type ImageConfig } from '../image-config.js';
import { where, type DispatchContext, type StageState } from '../stage-state.js';
import { goDuration, goQuote, goQuoteRune, goQuotedList } from './go-format.js';

// docker's container.MinimumDuration for a non-zero HEALTHCHECK interval
const MINIMUM_DURATION_NS = 1_000_000n;

const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** Shell form runs through the image's SHELL (default /bin/sh -c); exec form as written. */
export function commandArgs(image: ImageConfig, command: CommandLine): string[] {
  if (command.form === 'exec') return [...command.args];
  const shell = image.config.Shell !== undefined && image.config.Shell.length > 0 ? image.config.Shell : DEFAULT_SHELL;
  return [...shell, command.text];
}

export function dispatchCmd(st: StageState, ins: CmdInstruction, ctx: DispatchContext): StageState {
  const args = commandArgs(st.image, ins.command);
  // an empty list is left out of the config JSON (omitempty), as if never set
  const image = withConfig(st.image, { Cmd: args.length > 0 ? args : null, ArgsEscaped: true });
  return {
    ...st,
    cmdSet: true,
    image: commitHistory(image, { createdBy: `CMD ${goQuotedList(args)}`, withLayer: false, fromOp: false, epochSeconds: ctx.epochSeconds }),
  };
}

export function dispatchEntrypoint(st: StageState, ins: EntrypointInstruction, ctx: DispatchContext): StageState {
  const args = commandArgs(st.image, ins.command);
  // an ENTRYPOINT resets a CMD inherited from the base, not one set in this stage
  const image = withConfig(st.image, { Entrypoint: args.length > 0 ? args : null, ...(st.cmdSet ? {} : { Cmd: null }) });
  return {
    ...st,
    image: commitHistory(image, { createdBy: `ENTRYPOINT ${goQuotedList(args)}`, withLayer: false, fromOp: false, epochSeconds: ctx.epochSeconds }),
  };
}

/**
 * A HEALTHCHECK duration flag in nanoseconds (0 when not given). The parser has validated it
 * already (instructions.parseOptInterval); this reads the value with Go's exact arithmetic.
 */
function healthDuration(flag: string, raw: string | undefined, at: Where): bigint {
  if (raw === undefined || raw === '') return 0n;
  const parsed = parseGoDuration(raw);
  if (!parsed.ok) fail('DOCKERFILE_INVALID_FLAG', `HEALTHCHECK: --${flag}: ${parsed.error}`, at);
  if (parsed.nanoseconds !== 0n && parsed.nanoseconds < MINIMUM_DURATION_NS) {
    fail('DOCKERFILE_INVALID_FLAG', `HEALTHCHECK: interval "${flag}" cannot be less than 1ms`, at);
  }
  return parsed.nanoseconds;
}

export function dispatchHealthcheck(st: StageState, ins: HealthcheckInstruction, ctx: DispatchContext): StageState {
  const at = where(ctx, ins.range);
  let test: string[];
  if (ins.test.kind === 'none') test = ['NONE'];
  else if (ins.test.command.form === 'exec') test = ['CMD', ...ins.test.command.args];
  else test = ['CMD-SHELL', ins.test.command.text];
  // HEALTHCHECK NONE ignores every flag
  const flag = (name: string, raw: string | undefined): bigint => (ins.test.kind === 'none' ? 0n : healthDuration(name, raw, at));
  const interval = flag('interval', ins.interval);
  const timeout = flag('timeout', ins.timeout);
  const startPeriod = flag('start-period', ins.startPeriod);
  const startInterval = flag('start-interval', ins.startInterval);
  let retries = 0;
  if (ins.test.kind !== 'none' && ins.retries !== undefined && ins.retries !== '') {
    const parsed = parseHealthcheckRetries(ins.retries);
    if (!parsed.ok) fail('DOCKERFILE_INVALID_FLAG', `HEALTHCHECK: --retries ${parsed.error}`, at);
    retries = parsed.retries;
  }
  // Go's HealthcheckConfig with omitempty: zero durations and retries are left out
  const hc: Record<string, unknown> = { Test: test };
  if (interval !== 0n) hc['Interval'] = Number(interval);
  if (timeout !== 0n) hc['Timeout'] = Number(timeout);
  if (startPeriod !== 0n) hc['StartPeriod'] = Number(startPeriod);
  if (startInterval !== 0n) hc['StartInterval'] = Number(startInterval);
  if (retries !== 0) hc['Retries'] = retries;
  // fmt %q of the config pointer: durations print as quoted strings, the retries as a rune
  const durations = [interval, timeout, startPeriod, startInterval].map((d) => goQuote(goDuration(d))).join(' ');
  const shown = `&{${goQuotedList(test)} ${durations} ${goQuoteRune(retries)}}`;
  return {
    ...st,
    image: commitHistory(withConfig(st.image, { Healthcheck: hc }), { createdBy: `HEALTHCHECK ${shown}`, withLayer: false, fromOp: false, epochSeconds: ctx.epochSeconds }),
  };
}
