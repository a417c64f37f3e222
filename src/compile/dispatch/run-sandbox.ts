// RUN --network and --security (dockerfile2llb/convert_runnetwork.go, convert_runsecurity.go).
// `--network=default` leaves the stage's mode alone, so the force-network-mode option still
// applies; `none` and `host` replace it for this one step. `--security` is the labs channel's
// flag (BuildKit's dfrunsecurity build): `insecure` asks for the security.insecure entitlement,
// `sandbox` is the default written out.
import { fail } from '../../core/errors.js';
import type { RunInstruction } from '../../dockerfile/instructions.js';
import type { NetworkMode, SecurityMode } from '../../llb/exec.js';
import type { Where } from '../expand.js';

const NETWORK_FLAG: Readonly<Record<string, NetworkMode | 'default'>> = { default: 'default', none: 'none', host: 'host' };
const SECURITY_FLAG: Readonly<Record<string, SecurityMode>> = { sandbox: 'sandbox', insecure: 'insecure' };

export interface RunSandbox {
  /** undefined: the stage's network (sandbox unless force-network-mode says otherwise) */
  readonly network?: NetworkMode;
  readonly security?: SecurityMode;
}

/**
 * The exec's network and security mode for a RUN's flags.
 * @throws GoshError DOCKERFILE_INVALID_FLAG for a value the parser let through
 */
export function runSandbox(ins: RunInstruction, at: Where): RunSandbox {
  let network: NetworkMode | undefined;
  if (ins.network !== undefined) {
    const mode = NETWORK_FLAG[ins.network];
    if (mode === undefined) fail('DOCKERFILE_INVALID_FLAG', `RUN: unsupported network mode ${JSON.stringify(ins.network)} (want default, none or host)`, at);
    if (mode !== 'default') network = mode;
  }
  let security: SecurityMode | undefined;
  if (ins.security !== undefined) {
    security = SECURITY_FLAG[ins.security];
    if (security === undefined) fail('DOCKERFILE_INVALID_FLAG', `RUN: unsupported security mode ${JSON.stringify(ins.security)} (want sandbox or insecure)`, at);
  }
  return { ...(network !== undefined ? { network } : {}), ...(security !== undefined ? { security } : {}) };
}
