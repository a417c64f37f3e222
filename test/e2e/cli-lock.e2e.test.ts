// gosh lock / verify / diff / descriptor as processes against the real engine and the loopback
// registry (issues #5 and #8): lock pins what the registry serves, a re-lock with nothing changed
// rewrites nothing, new content under the same tag moves the pin and diff reports it, a failed
// lock build replaces nothing, and gosh descriptor on the lock the frontend returned agrees with
// the frontend's own descriptor.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOSH_FRONTEND_IMAGE, buildx, expectSuccess } from '../helpers/buildx.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';
import { goshProcess, layOutPackage, type CliRun } from '../unit/cli/cli-harness.js';

const REGISTRY = 'localhost:5000';
const REPO = `gosh-cli-e2e/base-${process.pid}`;
const TAG = `${REGISTRY}/${REPO}:1`;
// the one image in every role the lock records: build stage, target base, COPY --from, RUN --mount
const DOCKERFILE = [
  `FROM ${TAG} AS build`,
  'RUN cat /version > /seen',
  `FROM ${TAG}`,
  'COPY --from=build /seen /seen',
  `COPY --from=${TAG} /version /copied`,
  `RUN --mount=from=${TAG},target=/m cat /m/version`,
  '',
].join('\n');
const TIMEOUT = 600_000;

/** Builds busybox:local plus /version under TAG and pushes it; returns the manifest digest the registry serves. */
async function pushBase(dir: string, version: string): Promise<string> {
  writeFileSync(join(dir, 'Dockerfile'), `FROM busybox:local\nRUN echo ${version} > /version\n`);
  expectSuccess(await buildx(dir, { extraArgs: ['--output', `type=image,name=${TAG},push=true`], provenance: false, timeoutMs: TIMEOUT }));
  const res = await fetch(`http://127.0.0.1:5000/v2/${REPO}/manifests/1`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json' },
  });
  const digest = res.headers.get('docker-content-digest');
  if (digest === null) throw new Error(`registry has no digest for ${TAG} (HTTP ${res.status})`);
  return digest;
}

let work: string;
let pkg: string;
let bin: string;
let ctx: string;
beforeAll(async () => {
  work = await makeTempDir('cli-lock-e2e');
  pkg = await makeTempDir('cli-lock-pkg');
  bin = layOutPackage(pkg);
  ctx = join(work, 'app');
  mkdirSync(ctx);
  mkdirSync(join(work, 'base'));
}, TIMEOUT);
afterAll(async () => {
  await removeTempDir(work);
  await removeTempDir(pkg);
});

const env = { PATH: `/usr/bin:${process.env['PATH'] ?? ''}`, GOSH_FRONTEND_IMAGE, SOURCE_DATE_EPOCH: '1700000000', BUILDKIT_PROGRESS: 'plain', NO_COLOR: '1' };
const gosh = (argv: readonly string[], cwd?: string): Promise<CliRun> => goshProcess(bin, argv, env, cwd);
const lockFiles = (): Record<string, string> => Object.fromEntries(['sbom.spdx.json', 'sbom.cdx.json', 'sbom.descriptor.json'].map((f) => [f, readFileSync(join(ctx, f), 'utf8')]));

describe('gosh lock, verify and diff on the real engine', { timeout: TIMEOUT }, () => {
  let first: string;
  let firstLock: Record<string, string>;

  it('gosh lock pins the digest the registry serves; gosh verify accepts the lock', async () => {
    first = await pushBase(join(work, 'base'), 'v1');
    writeFileSync(join(ctx, 'Dockerfile'), DOCKERFILE);

    const r = await gosh(['lock', ctx]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('sbom.spdx.json: created\nsbom.cdx.json: created\nsbom.descriptor.json: created\n');
    firstLock = lockFiles();
    const lock = JSON.parse(firstLock['sbom.spdx.json']!) as { name: string; packages: { name: string; versionInfo?: string }[] };
    expect(lock.packages.find((p) => p.name === TAG)?.versionInfo).toBe(first);
    expect(lock.name).toBe('app'); // the context directory's name

    const v = await gosh(['verify', ctx]);
    expect(v.stderr).toBe('');
    expect(v.stdout).toBe('sbom.spdx.json: ok: 4 image uses pinned by 1 image, 0 packages, 0 manifests; nothing stale\n');
  });

  it('re-locking with nothing changed rewrites identical bytes', async () => {
    const r = await gosh(['lock', ctx]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('sbom.spdx.json: unchanged\nsbom.cdx.json: unchanged\nsbom.descriptor.json: unchanged\nno differences\n');
    expect(lockFiles()).toEqual(firstLock);
  });

  it('gosh descriptor on the returned SBOM agrees with the frontend\'s descriptor', async () => {
    const sbom = join(ctx, 'sbom.spdx.json');
    const r = await gosh(['descriptor', '--image', `${TAG}@${first}`, '--sbom', sbom]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const cli = JSON.parse(r.stdout) as { artifact: Record<string, unknown>; provenance: Record<string, unknown> };
    const frontend = JSON.parse(firstLock['sbom.descriptor.json']!) as { artifact: Record<string, unknown>; provenance: Record<string, unknown> };
    for (const key of ['digest', 'size', 'mediaType']) expect(cli.artifact[key], key).toEqual(frontend.artifact[key]);
    expect(cli.provenance).toEqual(frontend.provenance);
  });

  it('new content under the same tag: verify (offline) still passes, lock moves the pin, diff reports it', async () => {
    const second = await pushBase(join(work, 'base'), 'v2');
    expect(second).not.toBe(first);
    expect((await gosh(['verify', ctx])).code).toBe(0);
    const before = join(work, 'before.spdx.json');
    writeFileSync(before, firstLock['sbom.spdx.json']!);

    const r = await gosh(['lock', ctx]);
    expect(r.code).toBe(0);
    const change = `~ image ${TAG}: digest ${first} -> ${second}`;
    expect(r.stdout).toBe(`sbom.spdx.json: updated\nsbom.cdx.json: updated\nsbom.descriptor.json: updated\n${change}\n0 added, 0 removed, 1 changed\n`);
    const d = await gosh(['diff', before, ctx]);
    expect(d).toMatchObject({ code: 0, stdout: `${change}\n0 added, 0 removed, 1 changed\n` });
    expect((await gosh(['diff', '--exit-code', before, ctx])).code).toBe(1);
  });

  it('a lock build that fails replaces nothing', async () => {
    const kept = lockFiles();
    writeFileSync(join(ctx, 'Dockerfile'), `FROM ${REGISTRY}/gosh-cli-e2e/does-not-exist:1\n`);
    const r = await gosh(['lock', ctx]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('nothing was replaced');
    expect(lockFiles()).toEqual(kept);
    const v = await gosh(['verify', ctx]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(`Dockerfile:1: image ${REGISTRY}/gosh-cli-e2e/does-not-exist:1 is not in sbom.spdx.json; run gosh lock`);
    writeFileSync(join(ctx, 'Dockerfile'), DOCKERFILE);
  });
});
