// What `gosh llb` takes from Gosh.yaml and sbom.spdx.json, offline, so the LLB it prints is the
// one the frontend would build in that mode: images pinned to the lock's digests, the
// dependency mounts of Gosh.yaml `prepare` (pinned by the lock's SHA256; a package the lock
// does not have yet stays unpinned and is counted), RUN network by mode. Without Gosh.yaml, lock
// and GOSH_MODE nothing changes: a plain Dockerfile compile.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GoshError, type Diagnostic } from '../core/errors.js';
import type { Digest } from '../core/digest.js';
import { formatImageRef } from '../core/image-ref.js';
import { GOSH_YAML_FILE, missingManifest, parseGoshYaml, preparedManifests, type GoshConfig } from '../config/gosh-yaml.js';
import { packagesWithoutSha256, sha256FromLock, withSha256 } from '../deps/checksums.js';
import { dependencyMounts, readDependencySets, type ManifestInput, type PreparedDependencies } from '../deps/prepare.js';
import { LOCK_FILE_NAME, type Lock, type LockMode } from '../lock/model.js';
import { chooseLockMode } from '../lock/mode.js';
import { readSpdxLock } from '../sbom/spdx-read.js';
import { lockPin } from './lock-resolver.js';

export interface LlbLockContext {
  readonly mode: LockMode;
  /** Gosh.yaml `args`: build-arg defaults (--build-arg wins) */
  readonly args: ReadonlyMap<string, string>;
  readonly lock?: Lock;
  readonly dependencies?: PreparedDependencies;
  readonly networkExceptions?: ReadonlyMap<string, string>;
  /** per manifest: its plugin, path, packages and how many the lock gives no SHA256 yet */
  readonly report: readonly { plugin: string; lockfile: string; packages: number; unpinned: number }[];
}

function readIfFile(path: string): Buffer | undefined {
  return existsSync(path) && statSync(path).isFile() ? readFileSync(path) : undefined;
}

/** The dependency manifests Gosh.yaml names, read from the context directory. */
function manifestInputs(root: string, config: GoshConfig): ManifestInput[] {
  const missing: Diagnostic[] = [];
  const inputs: ManifestInput[] = [];
  for (const manifest of preparedManifests(config)) {
    const { kind, spec } = manifest;
    const bytes = readIfFile(join(root, spec.lockfile));
    if (bytes === undefined) missing.push(missingManifest(config, manifest));
    else inputs.push({ plugin: kind, spec, file: { name: spec.lockfile, text: bytes.toString('utf8') }, bytes });
  }
  if (missing.length > 0) throw new GoshError(missing);
  return inputs;
}

/**
 * Reads Gosh.yaml and the lock beside the Dockerfile; undefined for a plain build.
 * @throws GoshError GOSH_YAML_INVALID / SBOM_INVALID / MANIFEST_INVALID (located), OPTION_INVALID,
 *   LOCK_ENTRY_MISSING (prod without a lock)
 */
export function readLlbLockContext(root: string, modeArg: string | undefined): LlbLockContext | undefined {
  const yamlBytes = readIfFile(join(root, GOSH_YAML_FILE));
  const lockBytes = readIfFile(join(root, LOCK_FILE_NAME));
  if (yamlBytes === undefined && lockBytes === undefined && (modeArg === undefined || modeArg === '')) return undefined;
  const config = yamlBytes !== undefined ? parseGoshYaml({ name: GOSH_YAML_FILE, text: yamlBytes.toString('utf8') }) : undefined;
  const lock = lockBytes !== undefined ? readSpdxLock({ name: LOCK_FILE_NAME, text: lockBytes.toString('utf8') }).lock : undefined;
  const { mode } = chooseLockMode({
    ...(modeArg !== undefined ? { buildArg: modeArg } : {}),
    ...(config !== undefined ? { config: { ...(config.mode !== undefined ? { mode: config.mode } : {}), file: config.file, range: config.ranges.get('mode') } } : {}),
    ...(lock !== undefined ? { lockFile: LOCK_FILE_NAME } : {}),
  });
  const sets = config !== undefined ? readDependencySets(manifestInputs(root, config)) : [];
  const pinned = withSha256(sets, sha256FromLock(sets, lock));
  const unpinned = new Set(packagesWithoutSha256(pinned).map((p) => p.pkg.purl));
  const exceptions = config?.policy.network;
  return {
    mode,
    args: config?.args ?? new Map(),
    ...(lock !== undefined ? { lock } : {}),
    ...(pinned.length > 0 ? { dependencies: dependencyMounts(pinned) } : {}),
    ...(exceptions !== undefined && exceptions.size > 0 ? { networkExceptions: exceptions } : {}),
    report: pinned.map((set) => ({ plugin: set.plugin, lockfile: set.spec.lockfile, packages: set.packages.length, unpinned: set.packages.filter((p) => unpinned.has(p.purl)).length })),
  };
}

/** The digest the lock pins for an image reference, if any (an inline digest must agree). */
export function lockedImage(lock: Lock | undefined, ref: string): { ref: string; digest: Digest } | undefined {
  const pin = lock !== undefined ? lockPin(lock, ref) : undefined;
  return pin?.ok === true ? { ref: formatImageRef(pin.name), digest: pin.digest } : undefined;
}
