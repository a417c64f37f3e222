// Scratch directories for build outputs, always under os.tmpdir().
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory `$TMPDIR/gosh-<label>-XXXXXX`. */
export async function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `gosh-${label.replace(/[^A-Za-z0-9_.-]/g, '_')}-`));
}

/** Removes a directory from makeTempDir(), unless GOSH_E2E_KEEP=1 (then it says where it is). */
export async function removeTempDir(dir: string): Promise<void> {
  if (process.env['GOSH_E2E_KEEP'] === '1') {
    process.stderr.write(`[e2e] kept ${dir}\n`);
    return;
  }
  await rm(dir, { recursive: true, force: true });
}
