// The CLI's ImageResolver: the lock is the only registry it knows (no network). What the
// frontend asks BuildKit for, `gosh verify` answers from sbom.spdx.json alone.
import { fail } from '../core/errors.js';
import type { Digest } from '../core/digest.js';
import { parseImageRef, type ImageRef } from '../core/image-ref.js';
import type { Platform } from '../core/platform.js';
import { imageLockKey } from '../lock/image-key.js';
import type { Lock } from '../lock/model.js';
import type { ImageResolver, ResolvedImageConfig } from '../resolve/resolver.js';

/**
 * Resolves a reference to the digest the lock pins for it; the image config stays unknown (it
 * lives in the registry). The platform does not matter: the lock pins the top-level digest.
 * @throws GoshError IMAGE_RESOLVE for a reference the lock does not pin or pins differently
 */
export function lockResolver(lock: Lock): ImageResolver {
  return {
    // a throw in the executor rejects the promise, as BuildKit's resolver would fail
    resolve: (ref: string, _platform: Platform): Promise<ResolvedImageConfig> => new Promise((done) => done(lookUp(lock, ref))),
  };
}

/** What the lock pins for a reference: its lock key, name without digest and digest, or why not. */
export function lockPin(lock: Lock, ref: string): { ok: true; key: string; name: ImageRef; digest: Digest } | { ok: false; reason: string; located: boolean } {
  const parsed = parseImageRef(ref);
  if (!parsed.ok) return { ok: false, reason: `${ref}: ${parsed.reason}`, located: false };
  const key = imageLockKey(parsed.ref);
  const entry = lock.images.get(key);
  if (entry === undefined) return { ok: false, reason: `image ${key} is not in ${lock.file}, and gosh resolves offline from the lock only`, located: true };
  if (parsed.ref.digest !== undefined && parsed.ref.digest !== entry.digest) {
    return { ok: false, reason: `image ${key}: ${lock.file} pins ${entry.digest}, not ${parsed.ref.digest}`, located: true };
  }
  const { digest: _inline, ...name } = parsed.ref;
  return { ok: true, key, name, digest: entry.digest };
}

function lookUp(lock: Lock, ref: string): ResolvedImageConfig {
  const pin = lockPin(lock, ref);
  if (!pin.ok) return fail('IMAGE_RESOLVE', pin.reason, pin.located ? { file: lock.file } : {});
  return { ref: pin.key, digest: pin.digest };
}
