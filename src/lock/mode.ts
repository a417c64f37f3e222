// Which lock mode a build runs in, the same for the frontend and `gosh llb`: GOSH_MODE wins over
// Gosh.yaml `mode:`, then prod when a lock exists, else dev. Prod without a lock is an error.
import { fail } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import type { LockMode } from './model.js';

/** `--build-arg GOSH_MODE=prod|dev|lock`: wins over Gosh.yaml `mode:` */
export const MODE_BUILD_ARG = 'GOSH_MODE';
const MODES: readonly LockMode[] = ['prod', 'dev', 'lock'];

export interface ModeInputs {
  /** the GOSH_MODE build arg as given ("" counts as absent) */
  readonly buildArg?: string;
  /** Gosh.yaml `mode:` and where it is written */
  readonly config?: { readonly mode?: LockMode; readonly file: string; readonly range?: SourceRange | undefined };
  /** the lock file's name when there is one */
  readonly lockFile?: string;
}

export interface ChosenMode {
  readonly mode: LockMode;
  readonly source: 'build-arg' | 'Gosh.yaml' | 'default';
}

/**
 * @throws GoshError OPTION_INVALID for an unknown GOSH_MODE, LOCK_ENTRY_MISSING for prod without a
 * lock (at Gosh.yaml's `mode:` when that asked for prod)
 */
export function chooseLockMode(inputs: ModeInputs): ChosenMode {
  const arg = inputs.buildArg;
  let chosen: ChosenMode;
  if (arg !== undefined && arg !== '') {
    if (!MODES.includes(arg as LockMode)) fail('OPTION_INVALID', `build arg ${MODE_BUILD_ARG}: expected prod, dev or lock, got ${JSON.stringify(arg)}`);
    chosen = { mode: arg as LockMode, source: 'build-arg' };
  } else if (inputs.config?.mode !== undefined) {
    chosen = { mode: inputs.config.mode, source: 'Gosh.yaml' };
  } else {
    chosen = { mode: inputs.lockFile !== undefined ? 'prod' : 'dev', source: 'default' };
  }
  if (chosen.mode === 'prod' && inputs.lockFile === undefined) {
    const where = chosen.source === 'Gosh.yaml' && inputs.config !== undefined ? { file: inputs.config.file, range: inputs.config.range } : {};
    fail('LOCK_ENTRY_MISSING', `prod mode needs sbom.spdx.json next to the Dockerfile; create it with gosh lock (or build with --build-arg ${MODE_BUILD_ARG}=lock)`, where);
  }
  return chosen;
}
