// Pinning one image reference against the lock (sbom-lock.md V3, V5). Pure: the outcome is
// data; resolve/ turns `unpinned` into a resolver call and refusals into one GoshError.
import type { Digest } from '../core/digest.js';
import { diagnostic, type Diagnostic, type DiagnosticNote } from '../core/errors.js';
import { withDigest, type ImageRef } from '../core/image-ref.js';
import type { SourceRange } from '../core/source.js';
import { imageLockKey } from './image-key.js';
import type { Lock, LockMode, LockOrigin } from './model.js';

/**
 * `change` says what a dev/lock run must record: `none` (the lock already pins it), `added`
 * (new entry from an inline digest), `updated` (the inline digest replaces the locked one).
 */
export interface PinnedImage {
  readonly kind: 'pinned';
  /** the lock key */
  readonly key: string;
  /** the reference with the pinned digest attached */
  readonly ref: ImageRef;
  readonly digest: Digest;
  readonly change: 'none' | 'added' | 'updated';
  /** the locked digest an `updated` pin replaces */
  readonly previous?: Digest;
}

/** dev/lock mode only: the lock has no digest for it and the reference carries none; resolve it. */
export interface UnpinnedImage {
  readonly kind: 'unpinned';
  readonly key: string;
  readonly ref: ImageRef;
}

/** prod mode only: LOCK_IMAGE_MISSING or LOCK_DIGEST_MISMATCH. */
export interface RefusedImage {
  readonly kind: 'refused';
  readonly key: string;
  readonly diagnostic: Diagnostic;
}

export type PinResult = PinnedImage | UnpinnedImage | RefusedImage;

/** Where the reference is written (Dockerfile:3), for the refusal's location. */
export interface PinSite {
  readonly file?: string;
  readonly range?: SourceRange;
}

function lockNote(origin: LockOrigin | undefined, digest: Digest): DiagnosticNote[] {
  if (origin === undefined) return [];
  return [{ message: `locked as ${digest} at ${origin.jsonPath}`, file: origin.file, ...(origin.range !== undefined ? { range: origin.range } : {}) }];
}

/**
 * Looks `ref` up in the lock by its normalized key. In prod an unlisted image is refused even
 * when the Dockerfile pins a digest inline, and an inline digest must equal the locked one; dev
 * and lock modes accept the inline digest as the new pin and ask for resolution otherwise.
 */
export function pinImage(ref: ImageRef, lock: Lock, mode: LockMode, site: PinSite = {}): PinResult {
  const key = imageLockKey(ref);
  const entry = lock.images.get(key);
  const where = { file: site.file, range: site.range };
  if (entry === undefined) {
    if (mode === 'prod') {
      return {
        kind: 'refused',
        key,
        diagnostic: diagnostic('LOCK_IMAGE_MISSING', `image ${key} is not in ${lock.file}; run gosh lock`, where),
      };
    }
    if (ref.digest !== undefined) return { kind: 'pinned', key, ref, digest: ref.digest, change: 'added' };
    return { kind: 'unpinned', key, ref };
  }
  if (ref.digest === undefined || ref.digest === entry.digest) {
    return { kind: 'pinned', key, ref: withDigest(ref, entry.digest), digest: entry.digest, change: 'none' };
  }
  if (mode === 'prod') {
    return {
      kind: 'refused',
      key,
      diagnostic: diagnostic(
        'LOCK_DIGEST_MISMATCH',
        `image ${key}: digest ${ref.digest} differs from ${entry.digest} in ${lock.file}; run gosh lock`,
        where,
        lockNote(entry.origin, entry.digest),
      ),
    };
  }
  return { kind: 'pinned', key, ref, digest: ref.digest, change: 'updated', previous: entry.digest };
}
