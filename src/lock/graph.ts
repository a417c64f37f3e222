// Joins what a build uses (BuildFacts) with what the lock pins: the one graph every SBOM
// format renders. Only entries the build uses appear, so rendering after a re-lock drops stale
// ones; a use the lock cannot pin is an error, never a silent omission.
import { compareCodeUnits } from '../core/canonical.js';
import { GoshError, diagnostic, type Diagnostic } from '../core/errors.js';
import { canonicalPurl } from './purl.js';
import {
  consumerKey,
  type BuildFacts,
  type Consumer,
  type ImageUse,
  type Lock,
  type LockImage,
  type LockManifest,
  type LockPackage,
  type LockSubimage,
  type ManifestUse,
  type PackageUse,
} from './model.js';

export interface BuildGraph {
  readonly name: string;
  /** each list sorted by its lock key, without duplicates */
  readonly images: readonly LockImage[];
  readonly subimages: readonly LockSubimage[];
  /** the packages used, and every package they depend on */
  readonly packages: readonly LockPackage[];
  readonly manifests: readonly LockManifest[];
  /** deduplicated and sorted by (consumer, source, role, stage) */
  readonly imageUses: readonly ImageUse[];
  readonly packageUses: readonly PackageUse[];
  readonly manifestUses: readonly ManifestUse[];
}

function sourceKey(use: ImageUse): string {
  return use.source.kind === 'image' ? `image:${use.source.ref}` : `subimage:${use.source.name}`;
}

function imageUseKey(use: ImageUse): string {
  return [consumerKey(use.consumer), sourceKey(use), use.role, use.stage ?? ''].join('\u0000');
}

function dedupe<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) if (!byKey.has(key(item))) byKey.set(key(item), item);
  return [...byKey.keys()].sort(compareCodeUnits).map((k) => byKey.get(k) as T);
}

function sortedValues<T>(map: ReadonlyMap<string, T>): T[] {
  return [...map.keys()].sort(compareCodeUnits).map((k) => map.get(k) as T);
}

/**
 * @throws GoshError LOCK_IMAGE_MISSING for an image the lock does not pin, LOCK_ENTRY_MISSING
 * for a sub-image, package, dependency or manifest it lacks (all of them, at once)
 */
export function resolveBuildGraph(lock: Lock, facts: BuildFacts): BuildGraph {
  const problems: Diagnostic[] = [];
  const missing = new Set<string>();
  const report = (code: 'LOCK_IMAGE_MISSING' | 'LOCK_ENTRY_MISSING', what: string): void => {
    if (missing.has(what)) return;
    missing.add(what);
    problems.push(diagnostic(code, `${what} is not in ${lock.file}; run gosh lock`, { file: lock.file }));
  };

  const images = new Map<string, LockImage>();
  const subimages = new Map<string, LockSubimage>();
  const needSubimage = (name: string): void => {
    const sub = lock.subimages.get(name);
    if (sub === undefined) report('LOCK_ENTRY_MISSING', `sub-image ${name}`);
    else subimages.set(name, sub);
  };
  const needConsumer = (c: Consumer): void => {
    if (c.kind === 'subimage') needSubimage(c.name);
  };

  for (const use of facts.images) {
    needConsumer(use.consumer);
    if (use.source.kind === 'subimage') {
      needSubimage(use.source.name);
      continue;
    }
    const image = lock.images.get(use.source.ref);
    if (image === undefined) report('LOCK_IMAGE_MISSING', `image ${use.source.ref}`);
    else images.set(image.ref, image);
  }

  const packages = new Map<string, LockPackage>();
  const pending: { purl: string; from?: string }[] = [];
  const packageUses = facts.packages.map((use) => ({ ...use, purl: canonicalPurl(use.purl) ?? use.purl }));
  for (const use of packageUses) {
    needConsumer(use.consumer);
    pending.push({ purl: use.purl });
  }
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (packages.has(next.purl)) continue;
    const pkg = lock.packages.get(next.purl);
    if (pkg === undefined) {
      report('LOCK_ENTRY_MISSING', next.from === undefined ? `package ${next.purl}` : `package ${next.purl} (a dependency of ${next.from})`);
      continue;
    }
    packages.set(pkg.purl, pkg);
    for (const dep of pkg.dependsOn) pending.push({ purl: dep, from: pkg.purl });
  }

  const manifests = new Map<string, LockManifest>();
  for (const use of facts.manifests) {
    needConsumer(use.consumer);
    const manifest = lock.manifests.get(use.path);
    if (manifest === undefined) report('LOCK_ENTRY_MISSING', `manifest ${use.path}`);
    else manifests.set(manifest.path, manifest);
  }

  if (problems.length > 0) throw new GoshError(problems);
  return {
    name: facts.name,
    images: sortedValues(images),
    subimages: sortedValues(subimages),
    packages: sortedValues(packages),
    manifests: sortedValues(manifests),
    imageUses: dedupe(facts.images, imageUseKey),
    packageUses: dedupe(packageUses, (u) => `${consumerKey(u.consumer)}\u0000${u.purl}`),
    manifestUses: dedupe(facts.manifests, (u) => `${consumerKey(u.consumer)}\u0000${u.path}`),
  };
}
