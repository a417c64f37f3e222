// `gosh diff OLD NEW`: explains what changed between two locks (files, or context directories
// holding sbom.spdx.json), per entry, as stable text or as JSON (--json).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../core/canonical.js';
import { fail } from '../core/errors.js';
import { LOCK_FILE_NAME, type Lock } from '../lock/model.js';
import { readSpdxLock } from '../sbom/spdx-read.js';
import { parseArgs, type FlagSpec } from './args.js';
import type { CommandContext } from './command-context.js';
import { diffLocks, formatLockDiff } from './lock-diff.js';
import { DIFF_USAGE } from './usage.js';

const WHO = 'gosh diff';

export const DIFF_FLAGS: readonly FlagSpec[] = [
  { name: 'json', kind: 'bool' },
  { name: 'exit-code', kind: 'bool' },
];

/** A lock named by its file, or by the directory holding sbom.spdx.json; messages name it as given. */
export function readLockAt(path: string): Lock {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, LOCK_FILE_NAME) : path;
  if (!existsSync(file)) fail('SBOM_INVALID', `${WHO}: cannot read ${file}: no such file`);
  if (statSync(file).isDirectory()) fail('SBOM_INVALID', `${WHO}: cannot read ${file}: it is a directory`);
  return readSpdxLock({ name: file, text: readFileSync(file, 'utf8') }).lock;
}

/** The printed report, and the exit code: 1 when the locks differ and --exit-code asks for it (as git diff). */
export interface DiffOutcome {
  readonly text: string;
  readonly exitCode: 0 | 1;
}

/** @throws GoshError CLI_USAGE, and SBOM_INVALID / LOCK_* when either file is no valid lock */
export function runDiffCommand(argv: readonly string[], _ctx: CommandContext): DiffOutcome {
  const args = parseArgs(argv, DIFF_FLAGS, WHO);
  if (args.positional.length !== 2) fail('CLI_USAGE', `${WHO}: wants two locks (usage: ${DIFF_USAGE})`);
  const [oldPath, newPath] = args.positional as [string, string];
  const changes = diffLocks(readLockAt(oldPath), readLockAt(newPath));
  const text = args.flags.get('json') === true ? `${canonicalJson({ old: oldPath, new: newPath, changes }, 2)}\n` : formatLockDiff(changes);
  return { text, exitCode: changes.length > 0 && args.flags.get('exit-code') === true ? 1 : 0 };
}
