// Offline npm installs end to end (issue #6): a real Node project (express and the scoped
// @babel/code-frame, 76 packages in its package-lock.json) whose tarballs scripts/provision.sh fetched from the npm registry are served
// on loopback; the frontend records each tarball's SHA256 in lock mode (checked against npm's
// integrity), BuildKit fetches them pinned by it, and `npm ci` installs from the read-only npm
// cache the frontend assembled, in a RUN step without network (prod).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildx, describeResult, expectSuccess } from '../helpers/buildx.js';
import { npmRegistryPath, startNpmServer, type NpmServer } from '../helpers/npm-server.js';
import { repoRoot } from '../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';

const PROVISION = process.env['GOSH_PROVISION_DIR'] ?? '/var/lib/gosh-provision';
const TARBALLS = join(PROVISION, 'npm/tarballs');
const APP = join(repoRoot, 'test/fixtures/npm/app');
const NODE_IMAGE = 'gosh-test/node-npm:20';
const BUILD_TIMEOUT_MS = 600_000;
const PACKAGES = 76;
const EXPECTED = new RegExp(`^gosh-npm-fixture ok express@4\\.21\\.2 code-frame@7\\.26\\.2 packages=${PACKAGES}\\n$`);

const DOCKERFILE = `FROM ${NODE_IMAGE} AS web
WORKDIR /app
COPY package.json package-lock.json index.js ./
RUN npm ci --ignore-scripts && node index.js > /out.txt

FROM scratch
COPY --from=web /out.txt /
`;

function goshYaml(mirror: string): string {
  return `prepare:\n  npm:\n    - lockfile: package-lock.json\n      stages: [web]\n      mirror: ${mirror}\n`;
}

interface LockEntry {
  readonly path: string;
  readonly name: string;
  readonly version: string;
  readonly resolved: string;
  readonly integrity: string;
}

/** The fixture's package-lock entries that are fetched (all of them: no links, no bundles). */
async function lockEntries(text?: string): Promise<LockEntry[]> {
  const lock = JSON.parse(text ?? (await readFile(join(APP, 'package-lock.json'), 'utf8'))) as { packages: Record<string, { version: string; resolved: string; integrity: string; name?: string }> };
  return Object.entries(lock.packages)
    .filter(([path]) => path !== '')
    .map(([path, p]) => ({ path, name: p.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), version: p.version, resolved: p.resolved, integrity: p.integrity }));
}

async function appContext(name: string, files: Readonly<Record<string, string>>): Promise<string> {
  const dir = await makeTempDir(name);
  await cp(APP, dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** purl-spec: the scope's @ is always percent-encoded */
const purlOf = (e: LockEntry): string => `pkg:npm/${e.name.replace(/^@/, '%40')}@${e.version}`;
const sri512Hex = (integrity: string): string => Buffer.from(integrity.slice('sha512-'.length), 'base64').toString('hex');

// scripts/provision.sh makes them; locally a machine without them skips, CI (CI=true) never does
const provisioned = existsSync(TARBALLS) || process.env['CI'] === 'true';

describe.skipIf(!provisioned)('npm: offline installs from the lock', () => {
  let server: NpmServer;
  let lockText = '';
  beforeAll(async () => {
    server = await startNpmServer(TARBALLS);
  });
  afterAll(async () => {
    await server.close();
  });

  it('lock mode records every package with purl, SHA256 + SHA512 and edges in SPDX and CycloneDX', async () => {
    const dir = await appContext('npm-lock', { Dockerfile: DOCKERFILE, 'Gosh.yaml': goshYaml(server.mirror) });
    const out = await makeTempDir('npm-lock-out');
    try {
      const result = expectSuccess(await buildx(dir, { frontend: 'gosh', buildArgs: { GOSH_MODE: 'lock' }, output: { type: 'local', dest: out }, timeoutMs: BUILD_TIMEOUT_MS }));
      expect(result.stderr).toContain(`[gosh] npm: fetch ${PACKAGES} tarballs to record their sha256`);
      lockText = await readFile(join(out, 'sbom.spdx.json'), 'utf8');
      const entries = await lockEntries();
      expect(entries.length).toBe(PACKAGES);
      // scoped: the purl encodes the @, the lock keeps the full name
      expect(entries.map((e) => e.name)).toContain('@babel/helper-validator-identifier');
      const spdx = JSON.parse(lockText) as {
        packages: { SPDXID: string; name: string; versionInfo?: string; downloadLocation: string; checksums?: { algorithm: string; checksumValue: string }[]; externalRefs?: { referenceLocator: string }[] }[];
        relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
        files?: { fileName: string }[];
      };
      const { createHash } = await import('node:crypto');
      for (const e of entries) {
        const pkg = spdx.packages.find((p) => p.name === e.name && p.versionInfo === e.version);
        expect(pkg, `${e.name} ${e.version}`).toBeDefined();
        const bytes = await readFile(join(TARBALLS, npmRegistryPath(e.resolved)));
        expect(pkg?.checksums).toEqual([
          { algorithm: 'SHA256', checksumValue: createHash('sha256').update(bytes).digest('hex') },
          { algorithm: 'SHA512', checksumValue: sri512Hex(e.integrity) },
        ]);
        // the lock keeps the canonical URL; the mirror is only where it was fetched from
        expect(pkg?.downloadLocation).toBe(e.resolved);
        expect(pkg?.externalRefs?.map((r) => r.referenceLocator)).toEqual([purlOf(e)]);
      }
      const id = (name: string): string | undefined => spdx.packages.find((p) => p.name === name)?.SPDXID;
      expect(spdx.relationships).toContainEqual({ spdxElementId: id('express'), relationshipType: 'DEPENDS_ON', relatedSpdxElement: id('body-parser') });
      expect(spdx.files?.map((f) => f.fileName)).toContain('./package-lock.json');
      const cdx = JSON.parse(await readFile(join(out, 'sbom.cdx.json'), 'utf8')) as { components: { purl?: string; group?: string; name: string; hashes?: { alg: string; content: string }[] }[]; dependencies: { ref: string; dependsOn?: string[] }[] };
      for (const e of entries) {
        const comp = cdx.components.find((x) => x.purl === purlOf(e));
        expect(comp?.hashes?.map((h) => h.alg), `${e.name} ${e.version}`).toEqual(['SHA-256', 'SHA-512']);
      }
      expect(cdx.dependencies.find((d) => d.ref === 'pkg:npm/express@4.21.2')?.dependsOn).toContain('pkg:npm/body-parser@1.20.3');
      // a scoped package's edge to a scoped dependency; CycloneDX puts the scope in group
      expect(cdx.dependencies.find((d) => d.ref === 'pkg:npm/%40babel/code-frame@7.26.2')?.dependsOn).toContain('pkg:npm/%40babel/helper-validator-identifier@7.29.7');
      expect(cdx.components.find((c) => c.purl === 'pkg:npm/%40babel/code-frame@7.26.2')).toMatchObject({ group: '@babel', name: 'code-frame' });
    } finally {
      await removeTempDir(dir);
      await removeTempDir(out);
    }
  });

  it('prod installs with npm ci from the read-only cache, offline, and the app runs', async () => {
    expect(lockText).not.toBe('');
    const dir = await appContext('npm-prod', { Dockerfile: DOCKERFILE, 'Gosh.yaml': goshYaml(server.mirror), 'sbom.spdx.json': lockText });
    const out = await makeTempDir('npm-prod-out');
    try {
      const result = expectSuccess(await buildx(dir, { frontend: 'gosh', noCache: true, output: { type: 'local', dest: out }, timeoutMs: BUILD_TIMEOUT_MS }));
      expect(await readFile(join(out, 'out.txt'), 'utf8')).toMatch(EXPECTED);
      expect(result.stderr).toContain(`[gosh] npm: ${PACKAGES} packages`);
      // prod pins every tarball: nothing is fetched to record a checksum
      expect(result.stderr).not.toContain('to record their sha256');
    } finally {
      await removeTempDir(dir);
      await removeTempDir(out);
    }
  });

  it('dev (no lock, no stages named) records the checksums, then npm ci installs from the cache', async () => {
    const yaml = `prepare:\n  npm:\n    - lockfile: package-lock.json\n      mirror: ${server.mirror}\n`;
    const dir = await appContext('npm-dev', { Dockerfile: DOCKERFILE, 'Gosh.yaml': yaml });
    const out = await makeTempDir('npm-dev-out');
    try {
      const result = expectSuccess(await buildx(dir, { frontend: 'gosh', buildArgs: { GOSH_MODE: 'dev' }, noCache: true, output: { type: 'local', dest: out }, timeoutMs: BUILD_TIMEOUT_MS }));
      expect(await readFile(join(out, 'out.txt'), 'utf8')).toMatch(EXPECTED);
      // the stage was chosen because its RUN calls npm; dev warns that prod will be offline
      expect(result.stderr).toContain(`[gosh] npm: ${PACKAGES} packages`);
      expect(result.stderr).toContain('RUN has network access in dev mode but will be offline in prod');
    } finally {
      await removeTempDir(dir);
      await removeTempDir(out);
    }
  });

  it('prod refuses a package-lock.json whose integrity differs from the lock, at its line, before fetching', async () => {
    expect(lockText).not.toBe('');
    const original = await readFile(join(APP, 'package-lock.json'), 'utf8');
    const ms = (await lockEntries()).find((e) => e.path === 'node_modules/ms') as LockEntry;
    const forged = `sha512-${randomBytes(64).toString('base64')}`;
    const edited = original.replace(ms.integrity, forged);
    const line = original.split('\n').findIndex((l) => l.includes('"node_modules/ms"')) + 1;
    const dir = await appContext('npm-prod-mismatch', { Dockerfile: DOCKERFILE, 'Gosh.yaml': goshYaml(server.mirror), 'sbom.spdx.json': lockText, 'package-lock.json': edited });
    const before = server.requests.length;
    try {
      const result = await buildx(dir, { frontend: 'gosh', timeoutMs: BUILD_TIMEOUT_MS });
      expect(result.exitCode, describeResult(result)).not.toBe(0);
      expect(result.stderr).toContain(`package-lock.json:${line}: npm package ms ${ms.version} has checksum ${sri512Hex(forged)} but sbom.spdx.json pins ${sri512Hex(ms.integrity)}; run gosh lock`);
      expect(server.requests.slice(before)).toEqual([]);
    } finally {
      await removeTempDir(dir);
    }
  });

  it('dev refuses a tarball whose bytes differ from the package-lock integrity, naming the package and line', async () => {
    // its own server: a URL BuildKit has not fetched before
    const tampering = await startNpmServer(TARBALLS);
    const ms = (await lockEntries()).find((e) => e.path === 'node_modules/ms') as LockEntry;
    tampering.override(npmRegistryPath(ms.resolved), randomBytes(512));
    const original = await readFile(join(APP, 'package-lock.json'), 'utf8');
    const line = original.split('\n').findIndex((l) => l.includes('"node_modules/ms"')) + 1;
    const dir = await appContext('npm-dev-tamper', { Dockerfile: DOCKERFILE, 'Gosh.yaml': goshYaml(tampering.mirror) });
    try {
      const result = await buildx(dir, { frontend: 'gosh', buildArgs: { GOSH_MODE: 'dev' }, timeoutMs: BUILD_TIMEOUT_MS });
      expect(result.exitCode, describeResult(result)).not.toBe(0);
      expect(result.stderr).toContain(`package-lock.json:${line}: ms ${ms.version} from ${tampering.mirror}${npmRegistryPath(ms.resolved)} has sha512 `);
      expect(result.stderr).toContain(`but package-lock.json pins ${sri512Hex(ms.integrity)}`);
      // npm never ran
      expect(result.stderr).not.toMatch(/#\d+ \[web \d\/\d\] RUN npm ci/);
    } finally {
      await tampering.close();
      await removeTempDir(dir);
    }
  });
});
