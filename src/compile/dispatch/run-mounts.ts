// RUN --mount → exec mounts, with BuildKit v0.13.2's rules (dockerfile2llb/convert_runmount.go,
// convert_secrets.go, convert_ssh.go): every value is expanded with the stage env first (all
// mounts, before any is converted), then each mount becomes a bind, cache, tmpfs, secret or ssh
// mount of the exec op.
import { fail, type GoshErrorCode } from '../../core/errors.js';
import type { RunInstruction } from '../../dockerfile/instructions.js';
import { parseRunMount, type RunMount } from '../../dockerfile/run-mount.js';
import { fileOp } from '../../llb/file.js';
import type { CacheSharing, Mount } from '../../llb/exec.js';
import type { Output } from '../../llb/vertex.js';
import { escapesContext } from '../context-paths.js';
import { stageExpander, where, type DispatchContext, type StageState } from '../stage-state.js';
import { goPathBase, goPathClean, goPathJoin } from './run-go-path.js';
import { sameOpOutputs } from './run-same-op.js';

export interface RunMounts {
  readonly mounts: readonly Mount[];
  /** context paths the mounts read (bind and tmpfs mounts without from=), for local.followpaths */
  readonly contextPaths: readonly string[];
}

// llb's defaults (client/llb/exec.go AddSecret, AddSSHSocket) and the Dockerfile's ones
const SECRET_MODE = 0o400;
const SSH_MODE = 0o600;
const CACHE_DIR_MODE = 0o755;
const SECRETS_DIR = '/run/secrets/';
/** the directory setCacheUIDGID creates so a cache mount starts with the asked owner and mode */
const CACHE_PERMISSIONS_DIR = '/cache';
const CACHE_PERMISSIONS_NAME = '[internal] settings cache mount permissions';

interface ParsedMount {
  readonly mount: RunMount;
  /** `from=` as written, which the plan resolved (BuildKit resolves it before expansion) */
  readonly rawFrom: string | undefined;
}

/**
 * The mounts of one RUN, plus the context paths they read.
 * @throws GoshError DOCKERFILE_INVALID_FLAG, DOCKERFILE_UNKNOWN_STAGE, CONTEXT_PATH_ESCAPE
 */
export function runMounts(st: StageState, ins: RunInstruction, ctx: DispatchContext): RunMounts {
  if (ins.mounts.length === 0) return { mounts: [], contextPaths: [] };
  const parsed = expandMounts(st, ins, ctx);
  const mounts: Mount[] = [];
  const contextPaths: string[] = [];
  const same = sameOpOutputs(st.llb.output, st.platform);
  for (const { mount, rawFrom } of parsed) {
    const problem: (message: string, code?: GoshErrorCode) => never = (message, code = 'DOCKERFILE_INVALID_FLAG') =>
      fail(code, `RUN: --mount: ${message}`, where(ctx, ins.range));
    // a cache mount without from= starts from scratch, not from the context
    const from = mount.from ?? (mount.type === 'cache' ? 'scratch' : undefined);
    let source: Output | undefined = ctx.context;
    if (mount.from !== undefined) {
      const index = ctx.mountFrom.get(rawFrom ?? mount.from);
      const stage = index !== undefined ? ctx.stages.get(index) : undefined;
      if (stage === undefined) {
        problem(`cannot mount from stage ${JSON.stringify(mount.from)} to ${JSON.stringify(mount.target ?? '')}, stage needs to be defined before current command`, 'DOCKERFILE_UNKNOWN_STAGE');
      }
      source = stage.llb.output;
    } else if (from !== undefined) {
      source = undefined;
    }
    if (mount.type === 'tmpfs') source = undefined;
    if (mount.type === 'secret') {
      mounts.push(secretMount(mount, problem));
      continue;
    }
    if (mount.type === 'ssh') {
      mounts.push(sshMount(mount, problem));
      continue;
    }

    const rawTarget = mount.target ?? '';
    const target = rawTarget.startsWith('/') ? rawTarget : goPathJoin('/', st.llb.dir, rawTarget);
    if (target === '/') problem(`invalid mount target ${JSON.stringify(target)}`);
    let selector: string | undefined;
    const sourcePath = goPathJoin('/', mount.source ?? '');
    if (sourcePath !== '/') {
      selector = sourcePath;
    } else if (mount.uid !== undefined || mount.gid !== undefined || mount.mode !== undefined) {
      source = fileOp(
        source,
        [{ kind: 'mkdir', path: CACHE_PERMISSIONS_DIR, mode: mount.mode ?? CACHE_DIR_MODE, owner: { user: { id: mount.uid ?? 0 }, group: { id: mount.gid ?? 0 } } }],
        { customName: CACHE_PERMISSIONS_NAME },
      );
      selector = CACHE_PERMISSIONS_DIR;
    }
    if (from === undefined) {
      if (mount.type === 'bind' && mount.source !== undefined && escapesContext(mount.source)) {
        problem(`source ${JSON.stringify(mount.source)} is outside the build context`, 'CONTEXT_PATH_ESCAPE');
      }
      contextPaths.push(sourcePath);
    }
    if (source !== undefined) source = same(source);
    const placement = { target, ...(selector !== undefined ? { selector } : {}) };
    switch (mount.type) {
      case 'bind':
        // a writable bind mount's changes are dropped (cap exec.mount.bind.readwrite-nooutput)
        mounts.push({ kind: 'bind', ...placement, source, readonly: mount.readOnly, noOutput: !mount.readOnly });
        break;
      case 'cache':
        mounts.push({
          kind: 'cache',
          ...placement,
          id: `${ctx.cacheMountNamespace}/${mount.id ?? goPathClean(rawTarget)}`,
          sharing: (mount.sharing ?? 'shared') satisfies CacheSharing,
          ...(source !== undefined ? { source } : {}),
          ...(mount.readOnly ? { readonly: true } : {}),
        });
        break;
      case 'tmpfs':
        mounts.push({ kind: 'tmpfs', ...placement, ...(mount.sizeBytes !== undefined ? { sizeBytes: mount.sizeBytes } : {}), ...(mount.readOnly ? { readonly: true } : {}) });
        break;
    }
  }
  return { mounts, contextPaths };
}

/** Every --mount parsed with its values expanded; the first bad one is the error. */
function expandMounts(st: StageState, ins: RunInstruction, ctx: DispatchContext): ParsedMount[] {
  const at = where(ctx, ins.range);
  const ex = stageExpander(st, ctx);
  return ins.mounts.map((raw) => {
    const unexpanded = parseRunMount(raw);
    const result = parseRunMount(raw, (value) => ex.word(value, at));
    if (!result.ok) fail('DOCKERFILE_INVALID_FLAG', `RUN: --mount: ${result.error}`, at);
    return { mount: result.mount, rawFrom: unexpanded.ok ? unexpanded.mount.from : undefined };
  });
}

/** type=secret: the id comes from id=, source= or the target's base name. */
function secretMount(m: RunMount, problem: (message: string) => never): Mount {
  let id = m.source ?? m.id;
  if (id === undefined) {
    if (m.target === undefined) problem('one of source, target required');
    id = goPathBase(m.target);
  }
  return {
    kind: 'secret',
    target: m.target ?? SECRETS_DIR + goPathBase(id),
    id,
    uid: m.uid ?? 0,
    gid: m.gid ?? 0,
    mode: m.mode ?? SECRET_MODE,
    optional: !m.required,
  };
}

/** type=ssh: llb gets the id as written (empty means the default agent). */
function sshMount(m: RunMount, problem: (message: string) => never): Mount {
  if (m.source !== undefined) problem('ssh does not support source');
  return {
    kind: 'ssh',
    id: m.id ?? '',
    ...(m.target !== undefined ? { target: m.target } : {}),
    uid: m.uid ?? 0,
    gid: m.gid ?? 0,
    mode: m.mode ?? SSH_MODE,
    optional: !m.required,
  };
}
