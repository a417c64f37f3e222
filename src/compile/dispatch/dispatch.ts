import { assertNever } from '../../core/errors.js';
import type { StageInstruction } from '../../dockerfile/instructions.js';
import type { DispatchContext, StageState } from '../stage-state.js';
import { dispatchCmd, dispatchEntrypoint, dispatchHealthcheck } from './command-config.js';
import { dispatchCopy, type CopySource } from './copy.js';
import { dispatchExpose } from './expose.js';
import {
  dispatchArg,
  dispatchEnv,
  dispatchLabel,
  dispatchMaintainer,
  dispatchOnbuild,
  dispatchShell,
  dispatchStopsignal,
  dispatchUser,
  dispatchVolume,
} from './metadata.js';
import { dispatchRun } from './run.js';
import { dispatchWorkdir } from './workdir.js';

/** One instruction applied to a stage; `source` is what COPY/ADD read from. */
export function dispatchInstruction(st: StageState, ins: StageInstruction, ctx: DispatchContext, source: CopySource): StageState {
  switch (ins.kind) {
    case 'arg':
      return dispatchArg(st, ins, ctx);
    case 'env':
      return dispatchEnv(st, ins, ctx);
    case 'label':
      return dispatchLabel(st, ins, ctx);
    case 'run':
      return dispatchRun(st, ins, ctx);
    case 'copy':
    case 'add':
      return dispatchCopy(st, ins, source, ctx);
    case 'workdir':
      return dispatchWorkdir(st, ins, ctx);
    case 'user':
      return dispatchUser(st, ins, ctx);
    case 'cmd':
      return dispatchCmd(st, ins, ctx);
    case 'entrypoint':
      return dispatchEntrypoint(st, ins, ctx);
    case 'healthcheck':
      return dispatchHealthcheck(st, ins, ctx);
    case 'expose':
      return dispatchExpose(st, ins, ctx);
    case 'shell':
      return dispatchShell(st, ins, ctx);
    case 'volume':
      return dispatchVolume(st, ins, ctx);
    case 'stopsignal':
      return dispatchStopsignal(st, ins, ctx);
    case 'onbuild':
      return dispatchOnbuild(st, ins);
    case 'maintainer':
      return dispatchMaintainer(st, ins, ctx);
    default:
      return assertNever(ins, 'instruction');
  }
}
