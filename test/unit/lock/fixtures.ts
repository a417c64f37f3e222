// Small builders for lock tests: entries with sensible defaults, digests from a letter.
import type { Digest } from '../../../src/core/digest.js';
import { createLock, type LockEntries } from '../../../src/lock/create.js';
import type { Lock, LockImage, LockManifest, LockPackage, LockSubimage } from '../../../src/lock/model.js';
import { cargoPurl } from '../../../src/lock/purl.js';

export function digestOf(c: string): Digest {
  return `sha256:${c.repeat(64).slice(0, 64)}`;
}

export function image(ref: string, c = 'a'): LockImage {
  return { ref, digest: digestOf(c) };
}

export function crate(name: string, version: string, dependsOn: readonly string[] = [], c = 'c'): LockPackage {
  return {
    purl: cargoPurl(name, version),
    type: 'cargo',
    name,
    version,
    checksums: [{ algorithm: 'SHA256', value: c.repeat(64).slice(0, 64) }],
    downloadLocation: `https://static.crates.io/crates/${name}/${name}-${version}.crate`,
    dependsOn,
  };
}

export function subimage(name: string, dockerfile = `${name}/Dockerfile`, c = 'e'): LockSubimage {
  return { name, dockerfile, stableHash: digestOf(c) };
}

export function manifest(path: string): LockManifest {
  return { path, sha1: '1'.repeat(40), sha256: '2'.repeat(64) };
}

/** A lock that must be consistent: throws on any diagnostic. */
export function lockOf(entries: LockEntries): Lock {
  const built = createLock(entries);
  if (built.diagnostics.length > 0) throw new Error(built.diagnostics.map((d) => d.message).join('\n'));
  return built.lock;
}
