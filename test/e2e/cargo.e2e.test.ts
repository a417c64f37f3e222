// Offline Cargo builds end to end (issue #6): a real Rust project whose ~27 crates (repacked from
// Debian's sources by scripts/provision.sh) are served on loopback, fetched by BuildKit against
// the Cargo.lock checksums, assembled into a vendor tree and mounted read-only into the RUN step
// that runs `cargo build --locked --offline` in gosh-test/rust:trixie with no network.
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildx, describeResult, expectSuccess } from '../helpers/buildx.js';
import { startCrateServer, type CrateServer } from '../helpers/crate-server.js';
import { repoRoot } from '../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const PROVISION = process.env['GOSH_PROVISION_DIR'] ?? '/var/lib/gosh-provision';
const CRATES = join(PROVISION, 'rust/crates');
const LOCK = join(PROVISION, 'rust/Cargo.lock');
const APP = join(repoRoot, 'test/fixtures/cargo/app');
const RUST_IMAGE = 'gosh-test/rust:trixie';
const BUILD_TIMEOUT_MS = 900_000;

const DOCKERFILE = `FROM ${RUST_IMAGE} AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --locked --offline --release && ./target/release/gosh-cargo-fixture > /out.txt

FROM scratch
COPY --from=build /out.txt /
`;

function goshYaml(mirror: string, extra = ''): string {
  return `prepare:\n  cargo:\n    - lockfile: Cargo.lock\n      stages: [build]\n      mirror: ${mirror}\n${extra}`;
}

/** A context with the fixture app, its provisioned Cargo.lock, a Dockerfile and a Gosh.yaml. */
async function appContext(name: string, files: Readonly<Record<string, string>>): Promise<string> {
  const dir = await makeTempDir(name);
  await cp(APP, dir, { recursive: true });
  await cp(LOCK, join(dir, 'Cargo.lock'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

// scripts/provision.sh makes them; locally a machine without them skips, CI (CI=true) never does
const provisioned = (existsSync(LOCK) && existsSync(CRATES)) || process.env['CI'] === 'true';

describe.skipIf(!provisioned)('cargo: offline builds from the lock', () => {
  let server: CrateServer;
  beforeAll(async () => {
    server = await startCrateServer(CRATES);
  });
  afterAll(async () => {
    await server.close();
  });

  it('builds the project with cargo --locked --offline and the binary runs', async () => {
    const dir = await appContext('cargo-offline', { Dockerfile: DOCKERFILE, 'Gosh.yaml': goshYaml(server.mirror) });
    const out = await makeTempDir('cargo-offline-out');
    try {
      // --no-cache: the vendor tree is unpacked and cargo compiles every crate in this run
      const result = expectSuccess(await buildx(dir, { frontend: 'gosh', noCache: true, output: { type: 'local', dest: out }, timeoutMs: BUILD_TIMEOUT_MS }));
      const report = await readFile(join(out, 'out.txt'), 'utf8');
      expect(report).toMatch(/^gosh-cargo-fixture ok [0-9a-f]{64}\n$/);
      const locked = (await readFile(LOCK, 'utf8')).match(/^checksum = /gm)?.length ?? 0;
      expect(locked).toBeGreaterThanOrEqual(20);
      // the readable vertex name of the assembled vendor tree
      expect(result.stderr).toContain(`[gosh] cargo: ${locked} crates`);
    } finally {
      await removeTempDir(dir);
      await removeTempDir(out);
    }
  });

  it('refuses a crate whose download does not match the Cargo.lock checksum, naming the crate', async () => {
    // a crate no build has fetched before: BuildKit reuses content it already has by checksum
    const name = `gosh-tamper-${randomBytes(6).toString('hex')}`;
    const work = await makeTempDir('cargo-tamper-crate');
    const genuine = await packCrate(work, name, '0.1.0', 'pub fn genuine() {}\n');
    const tampered = await packCrate(work, name, '0.1.0', 'pub fn tampered() {}\n');
    server.override(`${name}-0.1.0.crate`, tampered);
    const lock = `${await readFile(LOCK, 'utf8')}\n[[package]]\nname = "${name}"\nversion = "0.1.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "${createHash('sha256').update(genuine).digest('hex')}"\n`;
    const dir = await appContext('cargo-tamper', { Dockerfile: DOCKERFILE, 'Gosh.yaml': goshYaml(server.mirror), 'Cargo.lock': lock });
    try {
      const result = await buildx(dir, { frontend: 'gosh', timeoutMs: BUILD_TIMEOUT_MS });
      expect(result.exitCode, describeResult(result)).not.toBe(0);
      expect(server.requests).toContain(`/${name}/${name}-0.1.0.crate`);
      // buildx's summary of the failed vertex names the crate, then the mismatch
      expect(result.stderr).toContain(`> [gosh] cargo: fetch ${name} 0.1.0:`);
      expect(result.stderr).toMatch(/ERROR: failed to solve: digest mismatch sha256:[0-9a-f]{64}: sha256:[0-9a-f]{64}/);
      // cargo never ran
      expect(result.stderr).not.toContain('Compiling');
    } finally {
      await removeTempDir(dir);
      await removeTempDir(work);
    }
  });
});

describe.skipIf(!provisioned)('cargo: the lock records the crates, prod verifies them', () => {
  let server: CrateServer;
  let lockText = '';
  beforeAll(async () => {
    server = await startCrateServer(CRATES);
  });
  afterAll(async () => {
    await server.close();
  });

  it('lock mode records every crate with purl, checksum and edges in SPDX and CycloneDX', async () => {
    const dir = await appContext('cargo-lock', { Dockerfile: DOCKERFILE, 'Gosh.yaml': goshYaml(server.mirror) });
    const out = await makeTempDir('cargo-lock-out');
    try {
      expectSuccess(await buildx(dir, { frontend: 'gosh', buildArgs: { GOSH_MODE: 'lock' }, output: { type: 'local', dest: out }, timeoutMs: BUILD_TIMEOUT_MS }));
      lockText = await readFile(join(out, 'sbom.spdx.json'), 'utf8');
      const cargoLock = await readFile(LOCK, 'utf8');
      const crates = [...cargoLock.matchAll(/name = "([^"]+)"\nversion = "([^"]+)"\nsource = "[^"]+"\nchecksum = "([0-9a-f]{64})"/g)].map((m) => ({ name: m[1], version: m[2], sha256: m[3] }));
      expect(crates.length).toBeGreaterThanOrEqual(20);
      const spdx = JSON.parse(lockText) as { packages: { SPDXID: string; name: string; versionInfo?: string; checksums?: { algorithm: string; checksumValue: string }[]; externalRefs?: { referenceLocator: string }[] }[]; relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[]; files?: { fileName: string }[] };
      for (const c of crates) {
        const pkg = spdx.packages.find((p) => p.name === c.name && p.versionInfo === c.version);
        expect(pkg, `${c.name} ${c.version}`).toBeDefined();
        expect(pkg?.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: c.sha256 }]);
        expect(pkg?.externalRefs?.map((r) => r.referenceLocator)).toContain(`pkg:cargo/${c.name}@${c.version}`);
      }
      // generic-array depends on typenum and version_check in Cargo.lock
      const id = (name: string): string | undefined => spdx.packages.find((p) => p.name === name)?.SPDXID;
      expect(spdx.relationships).toContainEqual({ spdxElementId: id('generic-array'), relationshipType: 'DEPENDS_ON', relatedSpdxElement: id('typenum') });
      expect(spdx.files?.map((f) => f.fileName)).toContain('./Cargo.lock');
      const cdx = JSON.parse(await readFile(join(out, 'sbom.cdx.json'), 'utf8')) as { components: { purl?: string; hashes?: { alg: string; content: string }[] }[]; dependencies: { ref: string; dependsOn?: string[] }[] };
      for (const c of crates) {
        const comp = cdx.components.find((x) => x.purl === `pkg:cargo/${c.name}@${c.version}`);
        expect(comp?.hashes, `${c.name} ${c.version}`).toEqual([{ alg: 'SHA-256', content: c.sha256 }]);
      }
      expect(cdx.dependencies.find((d) => d.ref.startsWith('pkg:cargo/generic-array@'))?.dependsOn?.some((d) => d.startsWith('pkg:cargo/typenum@'))).toBe(true);
    } finally {
      await removeTempDir(dir);
      await removeTempDir(out);
    }
  });

  it('prod builds offline from the committed lock', async () => {
    expect(lockText).not.toBe('');
    const dir = await appContext('cargo-prod', { Dockerfile: DOCKERFILE, 'Gosh.yaml': goshYaml(server.mirror), 'sbom.spdx.json': lockText });
    const out = await makeTempDir('cargo-prod-out');
    try {
      expectSuccess(await buildx(dir, { frontend: 'gosh', output: { type: 'local', dest: out }, timeoutMs: BUILD_TIMEOUT_MS }));
      expect(await readFile(join(out, 'out.txt'), 'utf8')).toMatch(/^gosh-cargo-fixture ok [0-9a-f]{64}\n$/);
    } finally {
      await removeTempDir(dir);
      await removeTempDir(out);
    }
  });

  it('prod refuses a crate the lock does not pin before fetching anything, naming the Cargo.lock line', async () => {
    expect(lockText).not.toBe('');
    const name = `gosh-unlocked-${randomBytes(6).toString('hex')}`;
    const base = await readFile(LOCK, 'utf8');
    const line = base.split('\n').length + 1;
    const cargoLock = `${base}\n[[package]]\nname = "${name}"\nversion = "0.1.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "${'a'.repeat(64)}"\n`;
    const dir = await appContext('cargo-unlocked', { Dockerfile: DOCKERFILE, 'Gosh.yaml': goshYaml(server.mirror), 'sbom.spdx.json': lockText, 'Cargo.lock': cargoLock });
    const before = server.requests.length;
    try {
      const result = await buildx(dir, { frontend: 'gosh', timeoutMs: BUILD_TIMEOUT_MS });
      expect(result.exitCode, describeResult(result)).not.toBe(0);
      expect(result.stderr).toContain(`Cargo.lock:${line}: cargo package ${name} 0.1.0 is not in sbom.spdx.json; run gosh lock`);
      expect(server.requests.slice(before)).toEqual([]);
      expect(result.stderr).not.toContain('[gosh] cargo: fetch');
    } finally {
      await removeTempDir(dir);
    }
  });
});

describe.skipIf(!provisioned)('RUN network by lock mode', () => {
  let server: CrateServer;
  beforeAll(async () => {
    server = await startCrateServer(CRATES);
  });
  afterAll(async () => {
    await server.close();
  });
  /** the RUN step's output line (the command text in the vertex name also says reached-mirror) */
  const REACHED = /^#\d+ [\d.]+ reached-mirror$/m;
  const port = (): string => new URL(server.url).port;
  /** bash's /dev/tcp: the rust image has no curl or wget */
  const reach = (flag: string): string => `FROM ${RUST_IMAGE}\nRUN ${flag}bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port()} && echo reached-mirror'\n`;

  async function lockFor(dir: string): Promise<string> {
    const out = await makeTempDir('cargo-net-lock');
    try {
      expectSuccess(await buildx(dir, { frontend: 'gosh', buildArgs: { GOSH_MODE: 'lock' }, output: { type: 'local', dest: out } }));
      return await readFile(join(out, 'sbom.spdx.json'), 'utf8');
    } finally {
      await removeTempDir(out);
    }
  }

  it('dev keeps --network=host (the mirror is reachable) and warns that prod will be offline', async () => {
    const dir = await appContext('cargo-net-dev', { Dockerfile: reach('--network=host ') });
    try {
      const result = expectSuccess(await buildx(dir, { frontend: 'gosh', buildArgs: { GOSH_MODE: 'dev' }, noCache: true, extraArgs: ['--allow', 'network.host'] }));
      expect(result.stderr).toMatch(REACHED);
      expect(result.stderr).toContain('RUN has network access in dev mode but will be offline in prod');
    } finally {
      await removeTempDir(dir);
    }
  });

  it('prod runs RUN without network: the mirror is unreachable', async () => {
    const dir = await appContext('cargo-net-prod', { Dockerfile: reach('') });
    try {
      await writeFile(join(dir, 'sbom.spdx.json'), await lockFor(dir));
      const result = await buildx(dir, { frontend: 'gosh', noCache: true });
      expect(result.exitCode, describeResult(result)).not.toBe(0);
      expect(result.stderr).toMatch(/Network is unreachable|Connection refused/);
      expect(result.stderr).not.toMatch(REACHED);
    } finally {
      await removeTempDir(dir);
    }
  });

  it('prod refuses RUN --network=host at its line; a Gosh.yaml exception lets it through with a warning', async () => {
    const dir = await appContext('cargo-net-host', { Dockerfile: reach('--network=host ') });
    try {
      await writeFile(join(dir, 'sbom.spdx.json'), await lockFor(dir));
      const refused = await buildx(dir, { frontend: 'gosh', extraArgs: ['--allow', 'network.host'] });
      expect(refused.exitCode, describeResult(refused)).not.toBe(0);
      expect(refused.stderr).toContain('Dockerfile:2');
      expect(refused.stderr).toContain('RUN: --network=host is not allowed in prod mode');
      await writeFile(join(dir, 'Gosh.yaml'), 'policy:\n  network:\n    "0": talks to the loopback mirror\n');
      await writeFile(join(dir, 'sbom.spdx.json'), await lockFor(dir));
      const allowed = expectSuccess(await buildx(dir, { frontend: 'gosh', noCache: true, extraArgs: ['--allow', 'network.host'] }));
      expect(allowed.stderr).toMatch(REACHED);
      expect(allowed.stderr).toContain('RUN keeps network access in prod mode: Gosh.yaml policy.network allows it for the stage (talks to the loopback mirror)');
    } finally {
      await removeTempDir(dir);
    }
  });
});

/** A `.crate`: a gzip tar with the one directory `<name>-<version>/`, stable bytes. */
async function packCrate(work: string, name: string, version: string, lib: string): Promise<Buffer> {
  const top = `${name}-${version}`;
  const root = join(work, `${lib.length}-${randomBytes(4).toString('hex')}`);
  await mkdir(join(root, top, 'src'), { recursive: true });
  await writeFile(join(root, top, 'Cargo.toml'), `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n`);
  await writeFile(join(root, top, 'src/lib.rs'), lib);
  const file = join(root, `${top}.crate`);
  await run('sh', ['-c', `tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$1" -c "$2" | gzip -n > "$3"`, 'sh', root, top, file]);
  return readFile(file);
}
