// `gosh verify` on a generated lock of 10,000 packages (issue target: parse + verify under 150 ms):
// a context with a Dockerfile, a Gosh.yaml naming a Cargo.lock, and a lock written by the same
// sbom/ writer as the frontend's (10,000 crates with dependency edges, 3 images, the manifest).
// Times readSpdxLock alone and the whole verifyContext (which also renders the lock again, V10),
// in process (median of n, after one warm run), and one `gosh verify` process from dist/ when it
// is built. Wall and CPU time (the CPU figure is the one to compare on a shared machine). Prints
// numbers; asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyContext } from '../src/cli/verify-command.js';
import { sha256Hex, type Digest } from '../src/core/digest.js';
import { createLock } from '../src/lock/create.js';
import { ROOT, type BuildFacts, type LockPackage } from '../src/lock/model.js';
import { clearPurlMemo } from '../src/lock/purl.js';
import { readSpdxLock } from '../src/sbom/spdx-read.js';
import { writeSpdxLock } from '../src/sbom/spdx-write.js';

const PACKAGES = 10_000;
const IMAGES = ['docker.io/library/rust:1.85-bookworm', 'docker.io/library/busybox:1.36', 'docker.io/library/debian:12'];
const DOCKERFILE = 'FROM rust:1.85-bookworm AS build\nRUN cargo build\nFROM debian:12\nCOPY --from=build /a /a\nCOPY --from=busybox:1.36 /bin/sh /sh\n';

const hex = (i: number, salt: string): string => `${salt}${i.toString(16)}`.padStart(64, '0').slice(-64);

/** The lock text and the Cargo.lock it claims to come from. */
export function generateLockContext(packages = PACKAGES): { lock: string; cargoLock: string } {
  const cargoLock = `# generated for the bench\nversion = 3\n# ${packages} packages\n`;
  const crates: LockPackage[] = Array.from({ length: packages }, (_, i) => ({
    purl: `pkg:cargo/crate-${i}@1.${i % 13}.${i % 7}`,
    type: 'cargo',
    name: `crate-${i}`,
    version: `1.${i % 13}.${i % 7}`,
    checksums: [{ algorithm: 'SHA256', value: hex(i, 'c0de') }],
    downloadLocation: `https://crates.io/api/v1/crates/crate-${i}/1.${i % 13}.${i % 7}/download`,
    dependsOn: [],
  }));
  const withDeps = crates.map((c, i) => ({ ...c, dependsOn: i + 1 < crates.length && i % 10 !== 9 ? [crates[i + 1]!.purl] : [] }));
  const images = IMAGES.map((ref, i): { ref: string; digest: Digest } => ({ ref, digest: `sha256:${hex(i, 'beef')}` }));
  const manifest = { path: 'Cargo.lock', sha1: '0'.repeat(40), sha256: sha256Hex(cargoLock) };
  const { lock, diagnostics } = createLock({ images, packages: withDeps, manifests: [manifest] });
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join('; '));
  const facts: BuildFacts = {
    name: 'bench-app',
    images: [
      { consumer: ROOT, source: { kind: 'image', ref: IMAGES[0]! }, role: 'build', stage: 'build' },
      { consumer: ROOT, source: { kind: 'image', ref: IMAGES[2]! }, role: 'base', stage: '1' },
      { consumer: ROOT, source: { kind: 'image', ref: IMAGES[1]! }, role: 'copy', stage: '1' },
    ],
    // the crates at the head of each dependency chain; the chains bring in the rest
    packages: withDeps.filter((_, i) => i % 10 === 0).map((c) => ({ consumer: ROOT, purl: c.purl })),
    manifests: [{ consumer: ROOT, path: 'Cargo.lock' }],
  };
  return { lock: writeSpdxLock(lock, facts, { mode: 'lock', sourceDateEpoch: 0 }).text, cargoLock };
}

/** CPU time (user + system, this process, all threads) since `start`, ms: steadier than wall time on a busy machine. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Prints the figures; `iterations` timed runs after one warm-up. */
export async function benchVerify(iterations = Math.max(1, Number(process.env['GOSH_BENCH_ITERATIONS'] ?? '7') || 7)): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'gosh-bench-verify-'));
  try {
    const { lock, cargoLock } = generateLockContext();
    writeFileSync(join(work, 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(work, 'Gosh.yaml'), 'prepare:\n  cargo:\n    - lockfile: Cargo.lock\n');
    writeFileSync(join(work, 'Cargo.lock'), cargoLock);
    writeFileSync(join(work, 'sbom.spdx.json'), lock);
    const warm = await verifyContext({ contextDir: work });
    const parse: number[] = [];
    const verify: number[] = [];
    const parseCpu: number[] = [];
    const verifyCpu: number[] = [];
    for (let i = 0; i < iterations; i++) {
      // every timed read starts without the purls an earlier one parsed
      clearPurlMemo();
      let t0 = performance.now();
      let c0 = process.cpuUsage();
      readSpdxLock({ name: 'sbom.spdx.json', text: readFileSync(join(work, 'sbom.spdx.json'), 'utf8') });
      parse.push(performance.now() - t0);
      parseCpu.push(cpuMs(c0));
      clearPurlMemo();
      t0 = performance.now();
      c0 = process.cpuUsage();
      await verifyContext({ contextDir: work });
      verify.push(performance.now() - t0);
      verifyCpu.push(cpuMs(c0));
    }
    const f = (v: number): string => `${v.toFixed(0)} ms`.padStart(7);
    const mb = (statSync(join(work, 'sbom.spdx.json')).size / 1024 / 1024).toFixed(1);
    console.log(`(e) verify: a lock of ${warm.packages} packages and ${warm.images} images (${mb} MB), in process, n=${iterations}`);
    console.log(`  read lock       median ${f(median(parse))}   min ${f(Math.min(...parse))}   cpu median ${f(median(parseCpu))}`);
    console.log(`  verifyContext   median ${f(median(verify))}   min ${f(Math.min(...verify))}   cpu median ${f(median(verifyCpu))}   (read + plan + pin + stale + render and compare, V10; target 150 ms)`);
    const bin = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist', 'bin', 'gosh.js');
    if (existsSync(bin)) {
      const runs: number[] = [];
      for (let i = 0; i < Math.min(iterations, 3); i++) {
        const t0 = performance.now();
        const r = spawnSync(process.execPath, [bin, 'verify', work], { encoding: 'utf8' });
        runs.push(performance.now() - t0);
        if (r.status !== 0) {
          console.log(`  gosh verify process failed: ${r.stderr.split('\n')[0] ?? ''}`);
          return;
        }
      }
      console.log(`  gosh verify     median ${f(median(runs))}   (a fresh process from dist/, node start included)`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchVerify();
