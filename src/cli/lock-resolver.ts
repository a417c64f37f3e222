// The CLI's ImageResolver: the lock is the only registry it knows (no network). What the
// frontend asks BuildKit for, `gosh verify` answers from sbom.spdx.json alone.
import { fail } from '../core/errors.js';
import { parseImageRef } from '../core/image-ref.js';
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

function lookUp(lock: Lock, ref: string): ResolvedImageConfig {
  const parsed = parseImageRef(ref);
  if (!parsed.ok) return fail('IMAGE_RESOLVE', `${ref}: ${parsed.reason}`);
  const key = imageLockKey(parsed.ref);
  const entry = lock.images.get(key);
  if (entry === undefined) return fail('IMAGE_RESOLVE', `image ${key} is not in ${lock.file}, and gosh resolves offline from the lock only`, { file: lock.file });
  if (parsed.ref.digest !== undefined && parsed.ref.digest !== entry.digest) {
    return fail('IMAGE_RESOLVE', `image ${key}: ${lock.file} pins ${entry.digest}, not ${parsed.ref.digest}`, { file: lock.file });
  }
  return { ref: key, digest: entry.digest };
}
