// The SBOM a build writes, and prod's checks against the committed lock: the build's facts
// (which images it uses and how, which crates it mounts), the lock it would write (the pins it
// used, the crates of its Cargo.lock files), rendered as SPDX, CycloneDX and a descriptor.
import { readFileSync } from 'node:fs';
import { GoshError, sortDiagnostics } from '../core/errors.js';
import { lockImageUse } from '../compile/image-uses.js';
import { createLock } from '../lock/create.js';
import { ROOT, type BuildFacts, type LockImage } from '../lock/model.js';
import { demandOf, findStaleEntries } from '../lock/verify.js';
import { dependencyFacts, dependencyLockEntries } from '../deps/prepare.js';
import type { DependencySet } from '../deps/plugin.js';
import { verifyDependencies } from '../deps/verify.js';
import { requireSameLock } from '../sbom/lock-compare.js';
import { renderSbomOutputs, type SbomOutputs } from '../sbom/render.js';
import { LOCK_NAME } from './inputs.js';
import type { LockSetup } from './lock-setup.js';
import type { ImageSite } from './lock-uses.js';

export interface SbomBuildInput {
  readonly setup: LockSetup;
  /** every compile's image sites (all platforms) */
  readonly sites: readonly ImageSite[];
  readonly pins: readonly LockImage[];
  readonly dependencySets: readonly DependencySet[];
  readonly sourceDateEpoch?: number;
}

/** What one build uses, as the SBOM records it: every site's usages, every prepared crate. */
export function buildFacts(name: string, sites: readonly ImageSite[], sets: readonly DependencySet[]): BuildFacts {
  const images = sites.flatMap((site) => site.usages.map((u) => lockImageUse(site.lockKey, u.role, u.stage)));
  const deps = dependencyFacts(sets, ROOT);
  return { name, images, packages: deps.packages, manifests: deps.manifests };
}

/**
 * The build's SBOM outputs. In prod the committed lock must have no entry the build does not use
 * and must equal the rendered SPDX byte for byte.
 * @throws GoshError LOCK_STALE_ENTRY (prod: every stale entry, or the first differing JSON path),
 * LOCK_DUPLICATE_ENTRY
 */
export function buildSbomOutputs(input: SbomBuildInput): SbomOutputs {
  const { setup } = input;
  const facts = buildFacts(setup.name, input.sites, input.dependencySets);
  const committed = setup.lock;
  if (setup.mode === 'prod' && committed !== undefined) {
    // crates first: their errors name the Cargo.lock line (deps/verify.ts)
    const deps = verifyDependencies(input.dependencySets, committed.parsed.lock);
    if (deps.length > 0) throw new GoshError(deps);
    const stale = findStaleEntries(committed.parsed.lock, demandOf(facts, committed.parsed.lock));
    if (stale.length > 0) throw new GoshError(sortDiagnostics(stale));
  }
  const entries = dependencyLockEntries(input.dependencySets);
  const built = createLock({
    file: committed?.input.file.name ?? LOCK_NAME,
    ...(committed?.parsed.lock.document !== undefined ? { document: committed.parsed.lock.document } : {}),
    images: input.pins,
    packages: entries.packages,
    manifests: entries.manifests,
  });
  if (built.diagnostics.length > 0) throw new GoshError(sortDiagnostics(built.diagnostics));
  const attestor = setup.config?.descriptor.attestor;
  const outputs = renderSbomOutputs(built.lock, facts, {
    mode: setup.mode,
    ...(input.sourceDateEpoch !== undefined ? { sourceDateEpoch: input.sourceDateEpoch } : {}),
    ...(setup.config !== undefined ? { namespaceBase: setup.config.sbom.namespace } : {}),
    generator: frontendGenerator(),
    ...(attestor !== undefined ? { attestorUri: attestor } : {}),
  });
  if (setup.mode === 'prod' && committed !== undefined) requireSameLock(committed.input, outputs.spdx.text, outputs.spdx.document);
  return outputs;
}

let generator: { name: string; version: string } | undefined;

/** Name and version from the package.json shipped with the frontend (two levels above this module). */
export function frontendGenerator(): { name: string; version: string } {
  if (generator !== undefined) return generator;
  let version = '0.0.0';
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    if (typeof pkg.version === 'string') version = pkg.version;
  } catch {
    // a frontend without its package.json still names itself; the version is then unknown
  }
  generator = { name: 'gosh-frontend', version };
  return generator;
}
