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

const provisioned = existsSync(LOCK) && existsSync(CRATES);

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
      const result = expectSuccess(await buildx(dir, { frontend: 'gosh', output: { type: 'local', dest: out }, timeoutMs: BUILD_TIMEOUT_MS }));
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
