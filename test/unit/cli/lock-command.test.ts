// gosh lock's own logic, with a fake `docker` on PATH: the buildx argv it runs, the checks on
// what the build returned, and the all-or-nothing replacement of the three files. The real
// lock-mode build is covered by test/e2e/cli-lock.e2e.test.ts.
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../../src/core/digest.js';
import { makeTempDir, removeTempDir } from '../../helpers/temp-dir.js';
import { gosh, type CliRun } from './cli-harness.js';
import { digestOf, lockText, writeContext } from './lock-context.js';

const BUSYBOX = 'docker.io/library/busybox:1.36';

// records its argv (one per line), says something on stderr like buildx does, then copies the
// files of $FAKE_DOCKER_SRC into the --output dest, or fails when FAKE_DOCKER_FAIL is set
const FAKE_DOCKER = `#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_DOCKER_LOG"
prev=""
dest=""
for a in "$@"; do
  if [ "$prev" = "--output" ]; then dest="\${a#type=local,dest=}"; fi
  prev="$a"
done
echo "#1 [internal] load build definition" >&2
if [ -n "$FAKE_DOCKER_FAIL" ]; then echo "ERROR: failed to solve: $FAKE_DOCKER_FAIL" >&2; exit 1; fi
cp "$FAKE_DOCKER_SRC"/* "$dest"/
`;

let root: string;
let bin: string;
let n = 0;
beforeAll(async () => {
  root = await makeTempDir('cli-lock');
  bin = join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'docker'), FAKE_DOCKER);
  chmodSync(join(bin, 'docker'), 0o755);
});
afterAll(async () => removeTempDir(root));

/** What the build returns: the three lock files for `digest`, changed by `edit`. */
function buildOutput(digest: Digest, edit: (files: Record<string, string>) => void = () => undefined): string {
  const lock = lockText({ images: { [BUSYBOX]: digest } });
  const files: Record<string, string> = { 'sbom.spdx.json': lock, 'sbom.cdx.json': `{"bomFormat":"CycloneDX","d":"${digest}"}\n`, 'sbom.descriptor.json': `{"d":"${digest}"}\n` };
  edit(files);
  return writeContext(join(root, `out${++n}`), files);
}

function context(files: Readonly<Record<string, string>> = {}): string {
  return writeContext(join(root, `ctx${++n}`), { Dockerfile: 'FROM busybox:1.36\n', ...files });
}

interface LockRun extends CliRun {
  readonly dockerArgv: readonly string[];
}

async function lock(argv: readonly string[], src: string, env: Readonly<Record<string, string>> = {}): Promise<LockRun> {
  const log = join(root, `argv${++n}.txt`);
  const r = await gosh(['lock', ...argv], { env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_DOCKER_LOG: log, FAKE_DOCKER_SRC: src, ...env } });
  const dockerArgv = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(0, -1) : [];
  return { ...r, dockerArgv };
}

const contents = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(dir).sort().map((f) => [f, statSync(join(dir, f)).isFile() ? readFileSync(join(dir, f), 'utf8') : '<dir>']));

describe('gosh lock: the build it runs', () => {
  it('docker buildx build with our frontend, GOSH_MODE=lock and a local output; the three files land in the context', async () => {
    const dir = context();
    const src = buildOutput(digestOf('a'));
    const r = await lock([dir], src);
    expect(r.code).toBe(0);
    expect(r.dockerArgv.slice(0, -3)).toEqual([
      'buildx', 'build', '--build-arg', 'BUILDKIT_SYNTAX=gosh-frontend:dev', '--build-arg', 'GOSH_MODE=lock', '--build-arg', `GOSH_SBOM_NAME=${basename(dir)}`,
    ]);
    expect(r.dockerArgv.at(-3)).toBe('--output');
    expect(r.dockerArgv.at(-2)).toMatch(/^type=local,dest=.*gosh-lock-/);
    expect(r.dockerArgv.at(-1)).toBe(dir);
    expect(existsSync(r.dockerArgv.at(-2)!.slice('type=local,dest='.length))).toBe(false); // cleaned up
    expect(r.stdout).toBe('sbom.spdx.json: created\nsbom.cdx.json: created\nsbom.descriptor.json: created\n');
    expect(r.stderr).toContain('#1 [internal] load build definition'); // docker's progress, on stderr
    expect(contents(dir)).toEqual({ Dockerfile: 'FROM busybox:1.36\n', ...contents(src) });
  });

  it('--frontend wins over GOSH_FRONTEND_IMAGE, which wins over the default; flags are passed on', async () => {
    const src = buildOutput(digestOf('a'));
    const fromEnv = await lock([context()], src, { GOSH_FRONTEND_IMAGE: 'gosh-frontend:env' });
    expect(fromEnv.dockerArgv).toContain('BUILDKIT_SYNTAX=gosh-frontend:env');
    const dir = context();
    const r = await lock(['--frontend', 'gosh-frontend:flag', '--build-arg', 'A=1', '--build-arg', 'B=x=y', '-f', 'other.Dockerfile', '--target', 't', '--platform', 'linux/arm64', dir], src, {
      GOSH_FRONTEND_IMAGE: 'gosh-frontend:env',
    });
    expect(r.code).toBe(0);
    expect(r.dockerArgv.slice(0, -3)).toEqual([
      'buildx', 'build', '--build-arg', 'BUILDKIT_SYNTAX=gosh-frontend:flag', '--build-arg', 'GOSH_MODE=lock',
      '--build-arg', 'A=1', '--build-arg', 'B=x=y', '--build-arg', `GOSH_SBOM_NAME=${basename(dir)}`, '--file', join(dir, 'other.Dockerfile'), '--target', 't', '--platform', 'linux/arm64',
    ]);
  });

  it('the SBOM name: the context directory\'s, unless Gosh.yaml has a tag or GOSH_SBOM_NAME is given', async () => {
    const src = buildOutput(digestOf('a'));
    const names = (r: LockRun): string[] => r.dockerArgv.filter((a) => a.startsWith('GOSH_SBOM_NAME='));
    expect(names(await lock([context({ 'Gosh.yaml': 'tag: team/app\n' })], src))).toEqual([]);
    expect(names(await lock(['--build-arg', 'GOSH_SBOM_NAME=mine', context({ 'Gosh.yaml': 'mode: dev\n' })], src))).toEqual(['GOSH_SBOM_NAME=mine']);
    const dir = context({ 'Gosh.yaml': 'mode: dev\n' });
    expect(names(await lock([dir], src))).toEqual([`GOSH_SBOM_NAME=${basename(dir)}`]);
    const bad = await lock([context({ 'Gosh.yaml': 'tagg: x\n' })], src);
    expect(bad.code).toBe(1);
    expect(bad.dockerArgv).toEqual([]);
    expect(bad.stderr).toContain('Gosh.yaml:1: unknown key "tagg"');
  });

  it('without -f, the Dockerfile Gosh.yaml names is built; -f wins', async () => {
    const src = buildOutput(digestOf('a'));
    const dir = context({ 'Gosh.yaml': 'dockerfile:\n  path: build/app.Dockerfile\n' });
    expect((await lock([dir], src)).dockerArgv).toContain(join(dir, 'build/app.Dockerfile'));
    const flagged = await lock(['-f', 'other.Dockerfile', dir], src);
    expect(flagged.dockerArgv).toContain(join(dir, 'other.Dockerfile'));
    expect(flagged.dockerArgv).not.toContain(join(dir, 'build/app.Dockerfile'));
    expect((await lock([context({ 'Gosh.yaml': 'dockerfile:\n  path: Dockerfile\n' })], src)).dockerArgv).not.toContain('--file');
  });

  it('re-locking: each file says whether it changed, then what changed in the lock', async () => {
    const dir = context();
    expect((await lock([dir], buildOutput(digestOf('a')))).code).toBe(0);
    const same = await lock([dir], buildOutput(digestOf('a')));
    expect(same.stdout).toBe('sbom.spdx.json: unchanged\nsbom.cdx.json: unchanged\nsbom.descriptor.json: unchanged\nno differences\n');
    const moved = await lock([dir], buildOutput(digestOf('b')));
    expect(moved.code).toBe(0);
    expect(moved.stdout).toBe(
      `sbom.spdx.json: updated\nsbom.cdx.json: updated\nsbom.descriptor.json: updated\n~ image ${BUSYBOX}: digest ${digestOf('a')} -> ${digestOf('b')}\n0 added, 0 removed, 1 changed\n`,
    );
    expect(readFileSync(join(dir, 'sbom.spdx.json'), 'utf8')).toBe(lockText({ images: { [BUSYBOX]: digestOf('b') } }));
  });

  it('a broken lock in the context is replaced (that is what gosh lock is for), without a diff', async () => {
    const dir = context({ 'sbom.spdx.json': '{ not json' });
    const r = await lock([dir], buildOutput(digestOf('a')));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('sbom.spdx.json: updated\nsbom.cdx.json: created\nsbom.descriptor.json: created\n');
  });
});

describe('gosh lock: nothing is replaced on failure', () => {
  const old = (): Record<string, string> => ({ 'sbom.spdx.json': lockText({ images: { [BUSYBOX]: digestOf('a') } }), 'sbom.cdx.json': 'old cdx\n', 'sbom.descriptor.json': 'old descriptor\n' });

  async function expectUntouched(edit: (files: Record<string, string>) => void, env: Record<string, string> = {}): Promise<LockRun> {
    const dir = context(old());
    const before = contents(dir);
    const r = await lock([dir], buildOutput(digestOf('b'), edit), env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(contents(dir)).toEqual(before);
    return r;
  }

  it('the build fails: its error is shown, exit 1', async () => {
    const r = await expectUntouched(() => undefined, { FAKE_DOCKER_FAIL: 'boom' });
    expect(r.stderr).toContain('ERROR: failed to solve: boom');
    expect(r.stderr).toContain('gosh lock: docker buildx build failed (exit 1); nothing was replaced\n');
  });

  it('the build returns another set of files (not a lock-mode frontend)', async () => {
    const extra = await expectUntouched((f) => (f['image.tar'] = 'x'));
    expect(extra.stderr).toContain('gosh lock: the lock-mode build returned image.tar, sbom.cdx.json, sbom.descriptor.json, sbom.spdx.json, expected exactly sbom.cdx.json, sbom.descriptor.json, sbom.spdx.json; nothing was replaced');
    expect(extra.stderr).toContain('note: is gosh-frontend:dev a gosh frontend with lock mode? (--frontend IMAGE, or GOSH_FRONTEND_IMAGE)');
    const missing = await expectUntouched((f) => delete f['sbom.cdx.json']);
    expect(missing.stderr).toContain('returned sbom.descriptor.json, sbom.spdx.json, expected exactly');
  });

  it('the built lock does not read back, or a JSON file is not JSON', async () => {
    const bad = await expectUntouched((f) => (f['sbom.spdx.json'] = '{"spdxVersion": "SPDX-2.3"}\n'));
    expect(bad.stderr).toMatch(/^sbom\.spdx\.json \(as built\):1: /m);
    const cdx = await expectUntouched((f) => (f['sbom.cdx.json'] = 'not json'));
    expect(cdx.stderr).toContain('gosh lock: the lock-mode build returned a sbom.cdx.json that is not JSON; nothing was replaced');
  });

  it('a file that cannot be staged: the ones already staged are removed, none replaced', async () => {
    const dir = context(old());
    // a directory where the second file's staging copy would go makes that copy fail
    mkdirSync(join(dir, `.sbom.cdx.json.gosh-lock-${process.pid}.tmp`));
    const before = contents(dir);
    const r = await lock([dir], buildOutput(digestOf('b')));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/gosh lock: cannot write into .*; nothing was replaced/);
    expect(contents(dir)).toEqual(before);
    rmSync(join(dir, `.sbom.cdx.json.gosh-lock-${process.pid}.tmp`), { recursive: true });
  });

  it('docker is not on PATH', async () => {
    const dir = context(old());
    const r = await gosh(['lock', dir], { env: { PATH: join(root, 'empty') } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('gosh lock: docker is not on PATH (gosh lock builds through docker buildx)\n');
  });

  it('usage: GOSH_MODE and BUILDKIT_SYNTAX are gosh lock\'s own; unknown flags; no such context', async () => {
    const src = buildOutput(digestOf('a'));
    for (const arg of ['GOSH_MODE=dev', 'BUILDKIT_SYNTAX=other']) {
      const r = await lock(['--build-arg', arg, context()], src);
      expect(r.code).toBe(2);
      expect(r.dockerArgv).toEqual([]);
      expect(r.stderr).toContain(`is set by gosh lock`);
    }
    expect((await lock(['--push', context()], src)).stderr).toBe('gosh lock: unknown flag --push\n');
    expect((await lock([join(root, 'nope')], src)).stderr).toBe('gosh lock: context directory ' + join(root, 'nope') + ' does not exist\n');
  });
});
