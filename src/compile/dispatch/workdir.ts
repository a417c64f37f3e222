import type { WorkdirInstruction } from '../../dockerfile/instructions.js';
import { commitHistory, withConfig } from '../image-config.js';
import { normalizePath } from '../context-paths.js';
import { displayCommand, locate, prefixCommand, stageExpander, where, type DispatchContext, type StageState } from '../stage-state.js';
import { chownOwner } from './owner.js';

/** Sets the working directory without a layer (a base image's WorkingDir). */
export function applyWorkdir(st: StageState, path: string): StageState {
  const wd = normalizePath(st.image.config.WorkingDir ?? '/', path);
  return { ...st, llb: st.llb.withDir(wd), image: withConfig(st.image, { WorkingDir: wd }) };
}

/** WORKDIR: sets the directory and creates it (owned by the current USER) unless it is "/". */
export function dispatchWorkdir(st: StageState, ins: WorkdirInstruction, ctx: DispatchContext): StageState {
  const ex = stageExpander(st, ctx);
  const path = ex.word(ins.path, where(ctx, ins.range));
  let next = applyWorkdir(st, path);
  const wd = next.llb.dir;
  let withLayer = false;
  if (wd !== '/') {
    const named = prefixCommand(next, displayCommand(st, ins.original, ctx), ctx);
    next = named.stage;
    const user = st.image.config.User;
    next = {
      ...next,
      llb: next.llb.file(
        [{ kind: 'mkdir', path: wd, mode: 0o755, makeParents: true, ...(user !== undefined && user !== '' ? { owner: chownOwner(user) } : {}) }],
        { customName: named.name, ...locate(ctx, ins.range), ...(st.ignoreCache ? { ignoreCache: true } : {}) },
      ),
    };
    withLayer = true;
  }
  return { ...next, image: commitHistory(next.image, { createdBy: `WORKDIR ${wd}`, withLayer, fromOp: false, epochSeconds: ctx.epochSeconds }) };
}
