// The lock modes' network rule for RUN steps (issue #6). prod: RUN steps are offline
// (network none) unless Gosh.yaml `policy.network` names the stage, and asking for the network
// with `--network=host|default` is an error; dev and lock: RUN keeps BuildKit's network so
// existing Dockerfiles build unchanged, with a warning on each step that has it. Without a lock
// mode nothing changes: the builtin frontend's semantics.
import { fail } from '../../core/errors.js';
import type { RunInstruction } from '../../dockerfile/instructions.js';
import type { NetworkMode } from '../../llb/exec.js';
import type { Where } from '../expand.js';
import type { DispatchContext, StageState } from '../stage-state.js';

const DECLARE_HINT = 'declare its dependencies in Gosh.yaml prepare: (cargo, npm), or name the stage under policy.network with the reason it needs the network';

/**
 * The network a RUN step gets under the build's lock mode; `flagged` is what its flags chose
 * (undefined: the stage's). Warnings go to ctx.warn.
 * @throws GoshError RUN_NETWORK_DENIED for --network=host|default in prod without an exception
 */
export function applyNetworkPolicy(st: StageState, ins: RunInstruction, ctx: DispatchContext, flagged: NetworkMode | undefined, at: Where): NetworkMode | undefined {
  const mode = ctx.lockMode;
  if (mode === undefined) return flagged;
  const effective = flagged ?? st.llb.network ?? 'sandbox';
  const stage = st.name === '' ? 'the stage' : `stage ${st.name}`;
  if (ctx.networkException !== undefined) {
    if (effective !== 'none') warn(ctx, ins, `RUN keeps network access in ${mode} mode: Gosh.yaml policy.network allows it for ${stage} (${ctx.networkException})`);
    return flagged;
  }
  if (mode === 'prod') {
    if (ins.network === 'host' || ins.network === 'default') {
      fail('RUN_NETWORK_DENIED', `RUN: --network=${ins.network} is not allowed in prod mode, RUN steps are offline; ${DECLARE_HINT}`, at);
    }
    return 'none';
  }
  if (effective !== 'none') warn(ctx, ins, `RUN has network access in ${mode} mode but will be offline in prod: ${DECLARE_HINT}`);
  return flagged;
}

function warn(ctx: DispatchContext, ins: RunInstruction, short: string): void {
  ctx.warn?.({ short, detail: [ins.original], range: ins.range });
}
