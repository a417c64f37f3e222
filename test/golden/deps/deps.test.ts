// Golden cases for src/deps: Cargo.lock and package-lock.json files → the assembled LLB (expect.llb.json) and the SBOM
// the build records for them in SPDX and CycloneDX (expect.spdx.json, expect.cdx.json: purls,
// SHA256 checksums, download locations, DEPENDS_ON edges, the manifests), or the located error
// (expect.error.txt). UPDATE_GOLDEN=1 rewrites the expect files; review the diff.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Digest } from '../../../src/core/digest.js';
import { GoshError, formatDiagnostic } from '../../../src/core/errors.js';
import type { DependencySpec } from '../../../src/deps/plugin.js';
import { withSha256 } from '../../../src/deps/checksums.js';
import { dependencyFacts, dependencyLockEntries, dependencyMounts, readDependencySets } from '../../../src/deps/prepare.js';
import { createLock } from '../../../src/lock/create.js';
import { ROOT, type BuildFacts, type PackageType } from '../../../src/lock/model.js';
import { dumpDefinition } from '../../../src/llb/dump.js';
import { marshalDefinition } from '../../../src/llb/marshal.js';
import { renderSbomOutputs, type SbomRenderOptions } from '../../../src/sbom/render.js';
import { readSpdxLock } from '../../../src/sbom/spdx-read.js';
import { cycloneDxSchemaErrors, spdxSchemaErrors } from '../../unit/sbom/schemas.js';

interface CaseJson {
  /** Gosh.yaml prepare.cargo / prepare.npm entries; each lockfile is a file of the case folder */
  readonly cargo?: readonly DependencySpec[];
  readonly npm?: readonly DependencySpec[];
  /** purl → the SHA256 recorded at lock time (npm), as the lock would give it back */
  readonly sha256?: Readonly<Record<string, string>>;
  /** the stage the mount is asked for (its RUN commands) */
  readonly stage: { readonly name?: string; readonly index: number; readonly runCommands: readonly string[] };
  /** the build's base image, so the SBOM has a root that descends from something */
  readonly image: { readonly ref: string; readonly digest: Digest };
  readonly sbom: SbomRenderOptions;
}

const root = dirname(fileURLToPath(import.meta.url));
const update = process.env['UPDATE_GOLDEN'] === '1';
const cases = readdirSync(root).filter((n) => statSync(join(root, n)).isDirectory()).sort();

function render(dir: string): Record<string, string> {
  const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseJson;
  let prepared;
  const manifest = (plugin: PackageType) => (spec: DependencySpec) => {
    const bytes = readFileSync(join(dir, spec.lockfile));
    return { plugin, spec, file: { name: spec.lockfile, text: bytes.toString('utf8') }, bytes };
  };
  try {
    const sets = readDependencySets([...(c.cargo ?? []).map(manifest('cargo')), ...(c.npm ?? []).map(manifest('npm'))]);
    prepared = dependencyMounts(withSha256(sets, new Map(Object.entries(c.sha256 ?? {}))));
  } catch (e) {
    if (e instanceof GoshError) return { 'expect.error.txt': `${e.diagnostics.map(formatDiagnostic).join('\n')}\n` };
    throw e;
  }
  const mounts = prepared.mountsForStage(c.stage);
  const out: Record<string, string> = {};
  if (mounts[0] !== undefined) out['expect.llb.json'] = dumpDefinition(marshalDefinition(mounts[0].output));
  const entries = dependencyLockEntries(prepared.sets);
  const built = createLock({ images: [c.image], packages: entries.packages, manifests: entries.manifests });
  expect(built.diagnostics).toEqual([]);
  const uses = dependencyFacts(prepared.sets, ROOT);
  const facts: BuildFacts = { name: 'deps-golden', images: [{ consumer: ROOT, source: { kind: 'image', ref: c.image.ref }, role: 'base', stage: '0' }], ...uses };
  const sbom = renderSbomOutputs(built.lock, facts, c.sbom);
  out['expect.spdx.json'] = sbom.spdx.text;
  out['expect.cdx.json'] = sbom.cyclonedx;
  return out;
}

it('finds the golden cases', () => {
  expect(cases).toEqual(['git-source', 'npm-lock', 'single-lock', 'two-locks']);
});

describe.each(cases)('%s', (name) => {
  const dir = join(root, name);
  const output = render(dir);
  it.each(Object.keys(output))('%s', (file) => {
    const path = join(dir, file);
    if (update) writeFileSync(path, output[file] as string);
    expect(existsSync(path), `${path} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
    expect(output[file]).toBe(readFileSync(path, 'utf8'));
  });
  if (output['expect.spdx.json'] !== undefined) {
    it('is valid SPDX 2.3 and CycloneDX 1.6', () => {
      expect(spdxSchemaErrors(JSON.parse(output['expect.spdx.json'] as string))).toEqual([]);
      expect(cycloneDxSchemaErrors(JSON.parse(output['expect.cdx.json'] as string))).toEqual([]);
    });
    it('reads back as a lock with every package and its checksums', () => {
      const lock = readSpdxLock({ name: 'sbom.spdx.json', text: output['expect.spdx.json'] as string }).lock;
      const written = JSON.parse(output['expect.spdx.json'] as string) as { packages: { externalRefs?: { referenceLocator: string }[]; checksums?: unknown[] }[] };
      const packages = written.packages.filter((p) => p.externalRefs?.[0]?.referenceLocator.startsWith('pkg:cargo/') === true || p.externalRefs?.[0]?.referenceLocator.startsWith('pkg:npm/') === true);
      expect(lock.packages.size).toBe(packages.length);
      for (const pkg of lock.packages.values()) expect(pkg.checksums.some((c) => c.algorithm === 'SHA256')).toBe(true);
    });
  }
});
