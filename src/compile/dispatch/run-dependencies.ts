// The read-only dependency trees (deps/) a RUN step mounts, and the env their tools read.
import type { Mount } from '../../llb/exec.js';
import { envSetAll, envToArray, type EnvList } from '../../llb/state.js';
import type { DispatchContext } from '../stage-state.js';

/** The stage's dependency mounts and the exec env with their variables; none: nothing changes. */
export function dependencyMounts(ctx: DispatchContext, env: EnvList): { mounts: Mount[]; env?: string[] } {
  const deps = ctx.dependencyMounts ?? [];
  if (deps.length === 0) return { mounts: [] };
  const mounts: Mount[] = deps.map((d) => ({ kind: 'bind', target: d.target, source: d.output, readonly: true }));
  return { mounts, env: envToArray(envSetAll(env, deps.flatMap((d) => d.env))) };
}
