// prod: the manifests must be exactly what the lock was made from (sbom-lock.md V6). Each
// package must be in the lock with the same SHA256, and each manifest's bytes must hash to what
// the lock recorded; every problem names the manifest line, so it is reported before anything
// is fetched or run. Lock entries the build does not use are lock/verify.ts's business.
import { diagnostic, type Diagnostic } from '../core/errors.js';
import { packageChecksum, type Lock, type LockPackage } from '../lock/model.js';
import type { DependencySet } from './plugin.js';

/** The first checksum the manifest pins that the lock does not repeat. */
function firstDifference(pkg: LockPackage, locked: LockPackage): { algorithm: string; have: string; want: string | undefined } | undefined {
  for (const c of pkg.checksums) {
    const want = packageChecksum(locked, c.algorithm);
    if (want !== c.value) return { algorithm: c.algorithm, have: c.value, want };
  }
  return undefined;
}

function where(pkg: LockPackage): { file?: string; range?: NonNullable<LockPackage['origin']>['range'] } {
  return { ...(pkg.origin !== undefined ? { file: pkg.origin.file } : {}), ...(pkg.origin?.range !== undefined ? { range: pkg.origin.range } : {}) };
}

/** Every mismatch between the manifests and the lock, in manifest order. */
export function verifyDependencies(sets: readonly DependencySet[], lock: Lock): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const set of sets) {
    const path = set.manifest.path;
    for (const pkg of set.packages) {
      const locked = lock.packages.get(pkg.purl);
      const label = `${pkg.type} package ${pkg.name} ${pkg.version}`;
      if (locked === undefined) {
        out.push(diagnostic('LOCK_ENTRY_MISSING', `${label} is not in ${lock.file}; run gosh lock`, where(pkg)));
        continue;
      }
      const differs = firstDifference(pkg, locked);
      if (differs !== undefined) {
        const algo = differs.algorithm.toLowerCase();
        const want = differs.want ?? '(none)';
        const at = locked.origin !== undefined ? [{ message: `${lock.file} pins ${algo} ${want}`, file: locked.origin.file, ...(locked.origin.range !== undefined ? { range: locked.origin.range } : {}) }] : [];
        out.push(diagnostic('LOCK_CHECKSUM_MISMATCH', `${label} has checksum ${differs.have} but ${lock.file} pins ${want}; run gosh lock`, where(pkg), at));
      }
    }
    const manifest = lock.manifests.get(path);
    if (manifest === undefined) {
      out.push(diagnostic('LOCK_ENTRY_MISSING', `${path} is not in ${lock.file}; run gosh lock`, { file: path, range: { startLine: 1, endLine: 1 } }));
    } else if (manifest.sha256 !== set.manifest.sha256) {
      out.push(
        diagnostic('LOCK_MANIFEST_CHANGED', `${path} changed since ${lock.file} was written (sha256 ${set.manifest.sha256}, locked ${manifest.sha256}); run gosh lock`, { file: path, range: { startLine: 1, endLine: 1 } }),
      );
    }
  }
  return out;
}
