// Stale lock entries (sbom-lock.md V8): everything the lock pins must be used by the build,
// reachable from the root through the usage tree, like `cargo --locked` refuses an outdated lock.
import { compareCodeUnits } from '../core/canonical.js';
import { diagnostic, type Diagnostic } from '../core/errors.js';
import { originWhere } from './create.js';
import { canonicalPurl } from './purl.js';
import { consumerKey, type BuildFacts, type Consumer, type Lock, type LockOrigin } from './model.js';

/** The lock keys one build needs. */
export interface LockDemand {
  readonly images: ReadonlySet<string>;
  readonly subimages: ReadonlySet<string>;
  readonly packages: ReadonlySet<string>;
  readonly manifests: ReadonlySet<string>;
}

/**
 * The entries reachable from the root: images and sub-images used by a reachable consumer (a
 * sub-image is a consumer once used), the packages and manifests they mount, and the packages
 * those depend on according to the lock.
 */
export function demandOf(facts: BuildFacts, lock: Lock): LockDemand {
  const reachable = new Set<string>([consumerKey({ kind: 'root' })]);
  const images = new Set<string>();
  const subimages = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const use of facts.images) {
      if (!reachable.has(consumerKey(use.consumer))) continue;
      if (use.source.kind === 'image') {
        images.add(use.source.ref);
        continue;
      }
      const consumer: Consumer = { kind: 'subimage', name: use.source.name };
      subimages.add(use.source.name);
      if (!reachable.has(consumerKey(consumer))) {
        reachable.add(consumerKey(consumer));
        grew = true;
      }
    }
  }
  const packages = new Set<string>();
  const pending: string[] = [];
  for (const use of facts.packages) {
    if (reachable.has(consumerKey(use.consumer))) pending.push(canonicalPurl(use.purl) ?? use.purl);
  }
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (packages.has(next)) continue;
    packages.add(next);
    pending.push(...(lock.packages.get(next)?.dependsOn ?? []));
  }
  const manifests = new Set<string>();
  for (const use of facts.manifests) {
    if (reachable.has(consumerKey(use.consumer))) manifests.add(use.path);
  }
  return { images, subimages, packages, manifests };
}

/** One LOCK_STALE_ENTRY per entry the build does not need, in a stable order. */
export function findStaleEntries(lock: Lock, demand: LockDemand): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stale = (what: string, origin: LockOrigin | undefined): void => {
    out.push(diagnostic('LOCK_STALE_ENTRY', `${what} is in ${lock.file} but the build does not use it; run gosh lock`, originWhere(origin, lock.file)));
  };
  const sorted = <T>(map: ReadonlyMap<string, T>): T[] => [...map.keys()].sort(compareCodeUnits).map((k) => map.get(k) as T);
  for (const image of sorted(lock.images)) if (!demand.images.has(image.ref)) stale(`image ${image.ref}`, image.origin);
  for (const sub of sorted(lock.subimages)) if (!demand.subimages.has(sub.name)) stale(`sub-image ${sub.name}`, sub.origin);
  for (const pkg of sorted(lock.packages)) if (!demand.packages.has(pkg.purl)) stale(`package ${pkg.purl}`, pkg.origin);
  for (const manifest of sorted(lock.manifests)) if (!demand.manifests.has(manifest.path)) stale(`manifest ${manifest.path}`, manifest.origin);
  return out;
}
