// The SHA256 BuildKit verifies, for packages whose manifest pins another hash (npm's SHA512
// integrity). It is recorded once, at lock time, and read back from the lock afterwards: a lock
// entry counts only when every checksum the manifest does pin agrees with it. What is neither in
// the manifest nor in the lock has to be fetched and hashed (frontend/deps-sha256.ts).
import { packageChecksum, type Lock, type LockPackage } from '../lock/model.js';
import type { DependencySet } from './plugin.js';

const sha256 = (pkg: LockPackage): string | undefined => packageChecksum(pkg, 'SHA256');

/** A package that still needs its SHA256, with the URL to fetch it from. */
export interface PendingChecksum {
  readonly pkg: LockPackage;
  readonly url: string;
}

/** The packages of `sets` without a SHA256, each once, in manifest order. */
export function packagesWithoutSha256(sets: readonly DependencySet[]): PendingChecksum[] {
  const pending = new Map<string, PendingChecksum>();
  for (const set of sets) {
    for (const pkg of set.packages) {
      if (sha256(pkg) === undefined && !pending.has(pkg.purl)) pending.set(pkg.purl, { pkg, url: set.fetchUrls.get(pkg.purl) ?? pkg.downloadLocation });
    }
  }
  return [...pending.values()];
}

/** The lock's SHA256 for each package lacking one whose other checksums the lock entry repeats. */
export function sha256FromLock(sets: readonly DependencySet[], lock: Lock | undefined): Map<string, string> {
  const found = new Map<string, string>();
  if (lock === undefined) return found;
  for (const { pkg } of packagesWithoutSha256(sets)) {
    const locked = lock.packages.get(pkg.purl);
    const hex = locked === undefined ? undefined : sha256(locked);
    if (locked === undefined || hex === undefined) continue;
    const agrees = pkg.checksums.every((c) => locked.checksums.some((l) => l.algorithm === c.algorithm && l.value === c.value));
    if (agrees) found.set(pkg.purl, hex);
  }
  return found;
}

/** The sets with the given SHA256 added to their packages (sorted by algorithm, as the lock keeps them). */
export function withSha256(sets: readonly DependencySet[], sums: ReadonlyMap<string, string>): DependencySet[] {
  if (sums.size === 0) return [...sets];
  return sets.map((set) => ({
    ...set,
    packages: set.packages.map((pkg) => {
      const hex = sums.get(pkg.purl);
      if (hex === undefined || sha256(pkg) !== undefined) return pkg;
      const checksums = [...pkg.checksums, { algorithm: 'SHA256' as const, value: hex }].sort((a, b) => (a.algorithm < b.algorithm ? -1 : a.algorithm > b.algorithm ? 1 : 0));
      return { ...pkg, checksums };
    }),
  }));
}
