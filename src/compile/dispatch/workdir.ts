import type { WorkdirInstruction } from '../../dockerfile/instructions.js';
import { commitHistory, withConfig } from '../image-config.js';
import { normalizePath } from '../context-paths.js';
import { displayCommand, locate, prefixCommand, stageExpander, where, type DispatchContext, type StageState } from '../stage-state.js';
import { chownOwner } from './owner.js';

/**
 * The working directory after `WORKDIR path` (system.NormalizeWorkdir): a relative path is
 * joined to the current one and cleaned, an absolute one is kept exactly as written — BuildKit
 * stores "/a/../b" as is in the config, the history and the process cwd.
 */
export function resolveWorkdir(current: string, path: string): string {
  const parent = current === '' ? '/' : current.startsWith('/') ? current : normalizePath('/', current);
  if (path === '') return parent;
  return path.startsWith('/') ? path : normalizePath(parent, path);
}

/** Sets the working directory without a layer (a base image's WorkingDir). */
export function applyWorkdir(st: StageState, path: string): StageState {
  const wd = resolveWorkdir(st.image.config.WorkingDir ?? '', path);
  return { ...st, llb: st.llb.withDir(wd), image: withConfig(st.image, { WorkingDir: wd }) };
}

/** WORKDIR: sets the directory and creates it (owned by the current USER) unless it is "/". */
export function dispatchWorkdir(st: StageState, ins: WorkdirInstruction, ctx: DispatchContext): StageState {
  const ex = stageExpander(st, ctx);
  const path = ex.word(ins.path, where(ctx, ins.range));
  let next = applyWorkdir(st, path);
  const wd = next.llb.dir;
  let withLayer = false;
  // compared as written: "//" still makes a (no-op) layer in BuildKit
  if (wd !== '/') {
    const named = prefixCommand(next, displayCommand(st, ins.original, ctx), ctx);
    next = named.stage;
    const user = st.image.config.User;
    next = {
      ...next,
      llb: next.llb.file(
        // the llb mkdir path is cleaned, the state's dir is not
        [{ kind: 'mkdir', path: normalizePath('/', wd), mode: 0o755, makeParents: true, ...(user !== undefined && user !== '' ? { owner: chownOwner(user) } : {}) }],
        // BuildKit's no-cache marks RUN, COPY and ADD only; WORKDIR's mkdir stays cached
        { customName: named.name, ...locate(ctx, ins.range) },
      ),
    };
    withLayer = true;
  }
  return { ...next, image: commitHistory(next.image, { createdBy: `WORKDIR ${wd}`, withLayer, fromOp: false, epochSeconds: ctx.epochSeconds }) };
}
