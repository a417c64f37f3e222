// `gosh llb`, the offline twin: a plain context compiles as before; with Gosh.yaml and a lock it
// takes the frontend's mode, pins images to the lock's digests and mounts the dependencies of
// Gosh.yaml prepare, pinned by the lock, into RUN steps that prod runs without network.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runLlbCommand } from '../../../src/cli/llb-command.js';
import type { Digest } from '../../../src/core/digest.js';
import { GoshError } from '../../../src/core/errors.js';
import { dependencyFacts, dependencyLockEntries, readDependencySets } from '../../../src/deps/prepare.js';
import { createLock } from '../../../src/lock/create.js';
import { ROOT } from '../../../src/lock/model.js';
import { writeSpdxLock } from '../../../src/sbom/spdx-write.js';
import { repoRoot } from '../../helpers/shared-fixture.js';

const CARGO_LOCK = readFileSync(join(repoRoot, 'test/fixtures/cargo/locks/small-v4.lock'));
const DIGEST: Digest = `sha256:${'7'.repeat(64)}`;
const DOCKERFILE = 'FROM rust:1.85-bookworm AS build\nRUN cargo build --offline\n';
const GOSH_YAML = 'prepare:\n  cargo:\n    - lockfile: Cargo.lock\n      stages: [build]\n';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function context(files: Readonly<Record<string, string | Buffer>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gosh-llb-'));
  dirs.push(dir);
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  return dir;
}

/** The lock a lock-mode build of DOCKERFILE with the small Cargo.lock writes. */
function lockText(): string {
  const sets = readDependencySets([{ plugin: 'cargo', spec: { lockfile: 'Cargo.lock', stages: ['build'] }, file: { name: 'Cargo.lock', text: CARGO_LOCK.toString('utf8') }, bytes: CARGO_LOCK }]);
  const entries = dependencyLockEntries(sets);
  const ref = 'docker.io/library/rust:1.85-bookworm';
  const { lock } = createLock({ images: [{ ref, digest: DIGEST }], packages: entries.packages, manifests: entries.manifests });
  const facts = { name: 'app', images: [{ consumer: ROOT, source: { kind: 'image' as const, ref }, role: 'base' as const, stage: 'build' }], ...dependencyFacts(sets, ROOT) };
  return writeSpdxLock(lock, facts, { mode: 'lock', sourceDateEpoch: 0 }).text;
}

interface LlbOutput {
  images: { ref: string; status: string; digest?: string }[];
  mode?: string;
  dependencies?: { plugin: string; lockfile: string; packages: number; unpinned: number }[];
  llb: unknown;
}

const run = (argv: readonly string[]): { out: LlbOutput; text: string } => {
  const text = runLlbCommand(argv);
  return { out: JSON.parse(text) as LlbOutput, text };
};

describe('gosh llb', () => {
  it('a plain context: images unresolved, no mode, no mounts', () => {
    const { out } = run([context({ Dockerfile: DOCKERFILE })]);
    expect(out.images).toEqual([{ ref: 'docker.io/library/rust:1.85-bookworm', platform: 'linux/amd64', status: 'unresolved' }]);
    expect(out.mode).toBeUndefined();
    expect(JSON.stringify(out.llb)).not.toContain('[gosh] cargo');
  });

  it('with Gosh.yaml and a lock: prod, the image pinned by the lock, the crates mounted and the RUN offline', () => {
    const { out, text } = run([context({ Dockerfile: DOCKERFILE, 'Gosh.yaml': GOSH_YAML, 'Cargo.lock': CARGO_LOCK, 'sbom.spdx.json': lockText() })]);
    expect(out.mode).toBe('prod');
    expect(out.images).toEqual([{ ref: 'docker.io/library/rust:1.85-bookworm', platform: 'linux/amd64', status: 'pinned-lock', digest: DIGEST }]);
    expect(out.dependencies).toEqual([{ plugin: 'cargo', lockfile: 'Cargo.lock', packages: 4, unpinned: 0 }]);
    expect(text).toContain(`"identifier": "docker-image://docker.io/library/rust:1.85-bookworm@${DIGEST}"`);
    expect(text).toContain('"llb.customname": "[gosh] cargo: 4 crates"');
    expect(text).toContain('"network": "NONE"');
  });

  it('GOSH_MODE=dev keeps the network and still mounts the crates', () => {
    const { out, text } = run(['--build-arg', 'GOSH_MODE=dev', context({ Dockerfile: DOCKERFILE, 'Gosh.yaml': GOSH_YAML, 'Cargo.lock': CARGO_LOCK })]);
    expect(out.mode).toBe('dev');
    expect(out.images[0]?.status).toBe('unresolved');
    expect(text).toContain('[gosh] cargo: 4 crates');
    expect(text).not.toContain('"network": "NONE"');
  });

  it('refuses what the frontend refuses: a bad GOSH_MODE, prod without a lock, a manifest that is not there', () => {
    const messages = (argv: readonly string[]): string[] => {
      try {
        runLlbCommand(argv);
      } catch (e) {
        if (e instanceof GoshError) return e.diagnostics.map((d) => `${d.file ?? ''}:${d.range?.startLine ?? 0}: ${d.code}: ${d.message}`);
        throw e;
      }
      return [];
    };
    expect(messages(['--build-arg', 'GOSH_MODE=fast', context({ Dockerfile: DOCKERFILE })])).toEqual([':0: OPTION_INVALID: build arg GOSH_MODE: expected prod, dev or lock, got "fast"']);
    expect(messages([context({ Dockerfile: DOCKERFILE, 'Gosh.yaml': 'mode: prod\n' })])[0]).toMatch(/^Gosh\.yaml:1: LOCK_ENTRY_MISSING: prod mode needs sbom\.spdx\.json/);
    expect(messages([context({ Dockerfile: DOCKERFILE, 'Gosh.yaml': GOSH_YAML })])).toEqual(['Gosh.yaml:3: GOSH_YAML_INVALID: prepare.cargo[0].lockfile: Cargo.lock is not in the build context']);
  });
});
