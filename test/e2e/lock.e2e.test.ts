// The SBOM as a lock, end to end on the real engine and the loopback registry (issue #5): lock
// mode writes the lock, prod builds from the pinned digests after the tags moved, every kind of
// bad lock is refused before anything runs, and image builds carry the SBOM, CycloneDX and
// descriptor as attestations (index, local export, `--sbom=true` offline).
import { cp, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildx, describeResult, docker, errorLocation, expectSuccess, type BuildxOptions, type BuildxResult } from '../helpers/buildx.js';
import { readOciLayout } from '../helpers/image.js';
import { readTar } from '../helpers/tar.js';
import { repoRoot } from '../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';
import { cycloneDxSchemaErrors, spdxSchemaErrors } from '../unit/sbom/schemas.js';

const CASES = join(repoRoot, 'test/e2e/cases/lock');
const REGISTRY = 'localhost:5000';
const RUN = `r${process.pid}`;
const IMAGES = {
  BASE: `${REGISTRY}/gosh-lock-e2e/base:${RUN}`,
  OTHER: `${REGISTRY}/gosh-lock-e2e/other:${RUN}`,
  UNLISTED: `${REGISTRY}/gosh-lock-e2e/unlisted:${RUN}`,
} as const;
const LOCK_FILES = ['sbom.cdx.json', 'sbom.descriptor.json', 'sbom.spdx.json'];

let tmp: string;
/** digests the tags had when locked (v1) and after they moved (v2) */
const digests: Record<string, string> = {};
/** the lock of cases/lock/app while the tags pointed at v1 */
let lockV1: string;

/** Builds cases/lock/base as NAME-vV and pushes it under `tag`; returns the pushed digest. */
async function pushImage(tag: string, name: string, version: number): Promise<string> {
  const meta = join(tmp, `meta-${name}-${version}.json`);
  expectSuccess(
    await buildx(join(CASES, 'base'), {
      buildArgs: { NAME: name, V: String(version) },
      output: { type: 'cacheonly' },
      extraArgs: ['--output', `type=image,name=${tag},push=true`, '--metadata-file', meta],
    }),
  );
  const digest = (JSON.parse(await readFile(meta, 'utf8')) as Record<string, string>)['containerimage.digest'];
  if (digest === undefined) throw new Error(`no digest for ${tag}`);
  // the engine's own store must not answer for the tag: resolution goes to the registry
  await docker(['image', 'rm', '--force', tag]);
  return digest;
}

/** A copy of a case with its placeholders filled in, plus extra files (a lock, a Gosh.yaml). */
async function materialize(name: string, files: Readonly<Record<string, string>> = {}): Promise<string> {
  const dir = join(tmp, `${name}-${Math.random().toString(36).slice(2, 8)}`);
  await cp(join(CASES, name), dir, { recursive: true });
  const dockerfile = join(dir, 'Dockerfile');
  const text = (await readFile(dockerfile, 'utf8')).replace(/@([A-Z0-9_]+)@/g, (m, key: string) => {
    if (key === 'BASE_V2_DIGEST') return digests['BASE_V2'] ?? m;
    return (IMAGES as Record<string, string>)[key] ?? m;
  });
  await writeFile(dockerfile, text);
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), content);
  return dir;
}

function gosh(dir: string, options: BuildxOptions = {}): Promise<BuildxResult> {
  return buildx(dir, { frontend: 'gosh', ...options });
}

/** Lock mode into a fresh directory; the written files by name. */
async function lockMode(dir: string, options: BuildxOptions = {}): Promise<Record<string, string>> {
  const out = join(tmp, `lock-out-${Math.random().toString(36).slice(2, 8)}`);
  const r = await gosh(dir, { ...options, buildArgs: { GOSH_MODE: 'lock', ...options.buildArgs }, output: { type: 'local', dest: out } });
  expectSuccess(r);
  const names = (await readdir(out)).sort();
  expect(names).toEqual(LOCK_FILES);
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(join(out, n), 'utf8')] as const)));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A build that must fail before anything runs: no output directory, the message, the location. */
async function expectRefused(dir: string, message: RegExp, where: { file: string; line: string }): Promise<BuildxResult> {
  const out = join(tmp, `refused-${Math.random().toString(36).slice(2, 8)}`);
  const r = await gosh(dir, { output: { type: 'local', dest: out } });
  expect(r.exitCode, describeResult(r)).not.toBe(0);
  expect(r.stderr).toMatch(message);
  expect(errorLocation(r.stderr, where.file), describeResult(r)).toBe(where.line);
  // nothing ran: no RUN step started, nothing exported
  expect(r.stderr).not.toMatch(/#\d+ \[\S+ \d+\/\d+\] RUN /);
  expect(await exists(out)).toBe(false);
  return r;
}

function edit(lock: string, change: (doc: Record<string, unknown>) => void): string {
  const doc = JSON.parse(lock) as Record<string, unknown>;
  change(doc);
  return `${JSON.stringify(doc, null, 2)}\n`;
}

beforeAll(async () => {
  tmp = await makeTempDir('lock-e2e');
  digests['BASE_V1'] = await pushImage(IMAGES.BASE, 'base', 1);
  digests['OTHER_V1'] = await pushImage(IMAGES.OTHER, 'other', 1);
  digests['UNLISTED_V1'] = await pushImage(IMAGES.UNLISTED, 'unlisted', 1);
  lockV1 = (await lockMode(await materialize('app')))['sbom.spdx.json'] as string;
  // the tags move: same names, other content
  digests['BASE_V2'] = await pushImage(IMAGES.BASE, 'base', 2);
  digests['OTHER_V2'] = await pushImage(IMAGES.OTHER, 'other', 2);
}, 300_000);

afterAll(async () => {
  if (tmp !== undefined) await removeTempDir(tmp);
});

describe('lock mode', () => {
  it('pinned the digests the tags had, with every use in the tree', () => {
    const doc = JSON.parse(lockV1) as { packages: { name: string; versionInfo?: string }[]; relationships: { comment?: string }[] };
    const pins = Object.fromEntries(doc.packages.filter((p) => p.versionInfo !== undefined).map((p) => [p.name, p.versionInfo]));
    expect(pins).toEqual({ [IMAGES.BASE]: digests['BASE_V1'], [IMAGES.OTHER]: digests['OTHER_V1'] });
    const comments = doc.relationships.map((r) => r.comment).filter((c) => c !== undefined);
    expect(comments.sort()).toEqual(['gosh: COPY --from (stage 1); gosh: RUN --mount (stage 1)', 'gosh: FROM (stage build)', 'gosh: FROM (target stage 1)']);
  });

  it('moves the pins when the tags moved; re-locking is a no-op; clean caches give the same bytes', async () => {
    const dir = await materialize('app');
    const first = await lockMode(dir, { noCache: true });
    expect(first['sbom.spdx.json']).not.toBe(lockV1);
    expect(first['sbom.spdx.json']).toContain(digests['BASE_V2']);
    expect(first['sbom.spdx.json']).not.toContain(digests['BASE_V1']);
    const second = await lockMode(dir, { noCache: true });
    expect(second).toEqual(first);
    // with the lock in the context (what `gosh lock` rewrites), the bytes stay
    await writeFile(join(dir, 'sbom.spdx.json'), first['sbom.spdx.json'] as string);
    expect(await lockMode(dir)).toEqual(first);
  });

  it('writes schema-valid SPDX 2.3 and CycloneDX 1.6, and a descriptor of the SPDX bytes', async () => {
    const files = await lockMode(await materialize('app'));
    expect(spdxSchemaErrors(JSON.parse(files['sbom.spdx.json'] as string))).toEqual([]);
    expect(cycloneDxSchemaErrors(JSON.parse(files['sbom.cdx.json'] as string))).toEqual([]);
    const descriptor = JSON.parse(files['sbom.descriptor.json'] as string) as { artifact: { digest: string; size: number }; provenance: { status: string } };
    const spdx = Buffer.from(files['sbom.spdx.json'] as string);
    const { createHash } = await import('node:crypto');
    expect(descriptor.artifact).toMatchObject({ digest: `sha256:${createHash('sha256').update(spdx).digest('hex')}`, size: spdx.length });
    expect(descriptor.provenance.status).toBe('pending');
  });

  it('takes created from SOURCE_DATE_EPOCH; prod keeps the lock time whatever SOURCE_DATE_EPOCH says', async () => {
    const dir = await materialize('app');
    const files = await lockMode(dir, { buildArgs: { SOURCE_DATE_EPOCH: '86400' } });
    expect(files['sbom.spdx.json']).toContain('"created": "1970-01-02T00:00:00Z"');
    await writeFile(join(dir, 'sbom.spdx.json'), files['sbom.spdx.json'] as string);
    expectSuccess(await gosh(dir, { buildArgs: { SOURCE_DATE_EPOCH: '999999' } }));
  });
});

describe('prod mode', () => {
  it('builds from the pinned digests after the tags moved, and says what it pinned', async () => {
    const dir = await materialize('app', { 'sbom.spdx.json': lockV1 });
    const out = join(tmp, 'prod-out');
    const r = await gosh(dir, { output: { type: 'local', dest: out } });
    expectSuccess(r);
    expect(await readFile(join(out, 'built-from'), 'utf8')).toBe('base-v1\n');
    // the ONBUILD trigger of the pinned base ran, not the one of the image the tag points at now
    expect(await readFile(join(out, 'onbuild-fired'), 'utf8')).toBe('base-v1\n');
    expect(await readFile(join(out, 'copied-from'), 'utf8')).toBe('other-v1\n');
    expect(await readFile(join(out, 'mounted-from'), 'utf8')).toBe('other-v1\n');
    expect(r.stderr).toContain(`[gosh] pin ${IMAGES.BASE} -> ${digests['BASE_V1']}`);
    expect(r.stderr).toContain(`[gosh] pin ${IMAGES.OTHER} -> ${digests['OTHER_V1']}`);
    // the local export holds the three outputs as in-toto statements
    for (const [file, type] of [
      ['sbom.spdx.json', 'https://spdx.dev/Document'],
      ['sbom.cdx.json', 'https://cyclonedx.org/bom'],
      ['sbom.descriptor.json', 'https://gosh.dev/sbom-descriptor/v1'],
    ] as const) {
      const statement = JSON.parse(await readFile(join(out, file), 'utf8')) as { predicateType: string; predicate: unknown };
      expect(statement.predicateType).toBe(type);
      if (file === 'sbom.spdx.json') expect(statement.predicate).toEqual(JSON.parse(lockV1));
    }
  });

  it('pins a docker-image:// named context', async () => {
    const dir = await materialize('named-context', { 'sbom.spdx.json': lockV1 });
    const out = join(tmp, 'prod-context-out');
    const r = await gosh(dir, { buildContexts: { other: `docker-image://${IMAGES.OTHER}` }, output: { type: 'local', dest: out } });
    expectSuccess(r);
    expect(await readFile(join(out, 'copied-from'), 'utf8')).toBe('other-v1\n');
    expect(await readFile(join(out, 'mounted-from'), 'utf8')).toBe('other-v1\n');
  });

  it('--sbom=true succeeds offline with our SPDX; the index holds SPDX, CycloneDX and descriptor attestations', async () => {
    const dir = await materialize('app', { 'sbom.spdx.json': lockV1 });
    const out = join(tmp, 'prod-oci');
    // a name gives the statements their subject (BuildKit derives it from the image name)
    const r = await gosh(dir, { sbom: true, extraArgs: ['--output', `type=oci,dest=${out},tar=false,name=gosh-e2e/app:lock`] });
    expectSuccess(r);
    expect(r.stderr).not.toContain('buildkit-syft-scanner');
    const layout = await readOciLayout(out);
    expect(layout.images).toHaveLength(1);
    expect(layout.attestations).toHaveLength(1);
    const att = layout.attestations[0];
    expect(att?.subject).toBe(layout.images[0]?.manifestDigest);
    const types = (att?.manifest.layers ?? []).map((l) => l.annotations?.['in-toto.io/predicate-type']);
    expect(types).toEqual(expect.arrayContaining(['https://spdx.dev/Document', 'https://cyclonedx.org/bom', 'https://gosh.dev/sbom-descriptor/v1']));
    const spdxLayer = att?.manifest.layers.find((l) => l.annotations?.['in-toto.io/predicate-type'] === 'https://spdx.dev/Document');
    const statement = JSON.parse((await layout.blob(spdxLayer?.digest ?? '')).toString('utf8')) as { predicate: unknown; subject: { name: string; digest: { sha256: string } }[] };
    expect(statement.predicate).toEqual(JSON.parse(lockV1));
    expect(statement.subject).toEqual([{ name: 'pkg:docker/gosh-e2e/app@lock?platform=linux%2Famd64', digest: { sha256: layout.images[0]?.manifestDigest.slice('sha256:'.length) } }]);
  });

  it('a tar export holds the outputs as files too', async () => {
    const dir = await materialize('app', { 'sbom.spdx.json': lockV1 });
    const out = join(tmp, 'prod.tar');
    expectSuccess(await gosh(dir, { output: { type: 'tar', dest: out } }));
    const names = (await readTar(out, { hash: false, keepContent: () => false })).map((r) => r.entry.path.replace(/^\.?\//, ''));
    expect(names).toEqual(expect.arrayContaining([...LOCK_FILES, 'built-from']));
  });

  it('a plain build (no Gosh.yaml, no lock) with --sbom=true gets our SBOM of what it resolved, without warnings', async () => {
    const dir = await materialize('stale');
    const out = join(tmp, 'plain-oci');
    const r = await gosh(dir, { sbom: true, output: { type: 'oci', dest: out, tar: false } });
    expectSuccess(r);
    expect(r.stderr).not.toContain('is not pinned');
    const layout = await readOciLayout(out);
    const layers = layout.attestations[0]?.manifest.layers ?? [];
    const spdxLayer = layers.find((l) => l.annotations?.['in-toto.io/predicate-type'] === 'https://spdx.dev/Document');
    const statement = JSON.parse((await layout.blob(spdxLayer?.digest ?? '')).toString('utf8')) as { predicate: { packages: { name: string; versionInfo?: string }[] } };
    expect(statement.predicate.packages.find((p) => p.name === IMAGES.BASE)?.versionInfo).toBe(digests['BASE_V2']);
  });

  it('refuses an image the lock does not pin, at its line', async () => {
    const r = await expectRefused(await materialize('unlisted', { 'sbom.spdx.json': lockV1 }), new RegExp(`image ${IMAGES.UNLISTED} is not in sbom.spdx.json; run gosh lock`), {
      file: 'Dockerfile',
      line: '7',
    });
    expect(r.stderr).not.toContain('[gosh] pin');
  });

  it('refuses an inline digest other than the locked one, naming the lock entry', async () => {
    const r = await expectRefused(await materialize('digest-mismatch', { 'sbom.spdx.json': lockV1 }), new RegExp(`image ${IMAGES.BASE}: digest ${digests['BASE_V2']} differs from ${digests['BASE_V1']} in sbom.spdx.json`), {
      file: 'Dockerfile',
      line: '1',
    });
    expect(r.stderr).toMatch(/note: sbom\.spdx\.json:\d+: locked as sha256:[0-9a-f]{64} at packages\[\d\]/);
  });

  it('refuses a stale entry, at its JSON path', async () => {
    const r = await expectRefused(await materialize('stale', { 'sbom.spdx.json': lockV1 }), new RegExp(`packages\\[\\d\\]: image ${IMAGES.OTHER} is in sbom.spdx.json but the build does not use it; run gosh lock`), {
      file: 'sbom.spdx.json',
      line: String(packageLine(lockV1, IMAGES.OTHER)),
    });
    expect(r.stderr).toContain('sbom.spdx.json');
  });

  it('refuses a duplicate entry', async () => {
    const lock = edit(lockV1, (doc) => {
      const packages = doc['packages'] as Record<string, unknown>[];
      const base = packages.find((p) => p['name'] === IMAGES.BASE) as Record<string, unknown>;
      packages.push({ ...base, SPDXID: `${base['SPDXID'] as string}-copy` });
    });
    await expectRefused(await materialize('app', { 'sbom.spdx.json': lock }), /duplicate image|duplicate/, { file: 'sbom.spdx.json', line: String(lineOf(lock, '-copy"') - 1) });
  });

  it('refuses malformed locks at the offending line', async () => {
    // bad JSON
    const truncated = lockV1.slice(0, lockV1.indexOf('"packages"'));
    await expectRefused(await materialize('app', { 'sbom.spdx.json': truncated }), /sbom\.spdx\.json:\d+/, { file: 'sbom.spdx.json', line: String(truncated.split('\n').length) });
    // wrong spdxVersion
    const v22 = lockV1.replace('"spdxVersion": "SPDX-2.3"', '"spdxVersion": "SPDX-2.2"');
    await expectRefused(await materialize('app', { 'sbom.spdx.json': v22 }), /spdxVersion: unsupported spdxVersion "SPDX-2.2"/, { file: 'sbom.spdx.json', line: String(lineOf(v22, '"spdxVersion"')) });
    // a relationship to an element that does not exist
    const dangling = lockV1.replace('"relatedSpdxElement": "SPDXRef-Root",\n      "relationshipType": "DESCRIBES"', '"relatedSpdxElement": "SPDXRef-Nowhere",\n      "relationshipType": "DESCRIBES"');
    expect(dangling).not.toBe(lockV1);
    await expectRefused(await materialize('app', { 'sbom.spdx.json': dangling }), /SPDXRef-Nowhere/, { file: 'sbom.spdx.json', line: String(lineOf(dangling, 'SPDXRef-Nowhere')) });
  });

  it('refuses a lock that differs from what the build writes, at the first differing JSON path', async () => {
    // a well-formed lock whose namespace UUID is not the one its content gives
    const namespace = /"documentNamespace": "([^"]+)"/.exec(lockV1)?.[1] ?? '';
    const other = namespace.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0'));
    const changed = lockV1.replace(namespace, other);
    await expectRefused(
      await materialize('app', { 'sbom.spdx.json': changed }),
      new RegExp(`documentNamespace: the lock differs from the SBOM this build writes: sbom\\.spdx\\.json has "${other.replace(/[.]/g, '\\.')}", the build writes "${namespace.replace(/[.]/g, '\\.')}"`),
      { file: 'sbom.spdx.json', line: String(lineOf(changed, '"documentNamespace"')) },
    );
  });
});

describe('dev mode', () => {
  it('resolves what the lock does not pin, warns for each, and returns the new lock', async () => {
    const dir = await materialize('app', { 'Gosh.yaml': 'mode: dev\ntag: gosh-e2e/app\n' });
    const out = join(tmp, 'dev-out');
    await mkdir(out);
    const r = await gosh(dir, { output: { type: 'local', dest: out } });
    expectSuccess(r);
    expect(await readFile(join(out, 'built-from'), 'utf8')).toBe('base-v2\n');
    expect(await readFile(join(out, 'onbuild-fired'), 'utf8')).toBe('base-v2\n');
    expect(r.stderr).toContain(`image ${IMAGES.BASE} is not pinned; dev mode resolved it to ${digests['BASE_V2']}`);
    expect(r.stderr).toContain(`image ${IMAGES.OTHER} is not pinned; dev mode resolved it to ${digests['OTHER_V2']}`);
    const statement = JSON.parse(await readFile(join(out, 'sbom.spdx.json'), 'utf8')) as { predicate: { name: string; packages: { versionInfo?: string }[] } };
    expect(statement.predicate.name).toBe('gosh-e2e/app');
    expect(statement.predicate.packages.map((p) => p.versionInfo)).toContain(digests['BASE_V2']);
  });

  it('Gosh.yaml errors are located in Gosh.yaml', async () => {
    await expectRefused(await materialize('app', { 'Gosh.yaml': 'mode: dev\nunknown: 1\n' }), /Gosh\.yaml:2: unknown key "unknown"/, { file: 'Gosh.yaml', line: '2' });
  });
});

/** The line of the `{` that opens the lock's package named `name`. */
function packageLine(lock: string, name: string): number {
  const doc = JSON.parse(lock) as { packages: { SPDXID: string; name: string }[] };
  const id = doc.packages.find((p) => p.name === name)?.SPDXID ?? '';
  return lineOf(lock, `"SPDXID": "${id}"`) - 1;
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not found`);
  return text.slice(0, at).split('\n').length;
}
