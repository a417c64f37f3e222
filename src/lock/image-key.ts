// The lock key of an image reference: one spelling per image, whatever the Dockerfile wrote.
import { formatImageRef, parseImageRef, withDefaultTag, type ImageRef } from '../core/image-ref.js';

/**
 * `debian` → `docker.io/library/debian:latest`; `debian:12@sha256:…` → `docker.io/library/debian:12`
 * (the inline digest is checked against the lock, not part of the key); a digest-only reference
 * keeps its digest: `docker.io/library/debian@sha256:…`.
 */
export function imageLockKey(ref: ImageRef): string {
  const named = withDefaultTag(ref);
  if (named.tag !== undefined) return formatImageRef({ domain: named.domain, path: named.path, tag: named.tag });
  return formatImageRef(named);
}

export type LockKeyResult = { readonly ok: true; readonly ref: ImageRef } | { readonly ok: false; readonly reason: string };

/** Accepts only a reference already in lock-key form (as written in the lock's package names). */
export function parseImageLockKey(text: string): LockKeyResult {
  const parsed = parseImageRef(text);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const key = imageLockKey(parsed.ref);
  if (key !== text) return { ok: false, reason: `image name is not normalized: expected "${key}"` };
  return { ok: true, ref: withDefaultTag(parsed.ref) };
}
