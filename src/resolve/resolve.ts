import { GoshError, sortDiagnostics, type Diagnostic } from '../core/errors.js';
import { formatImageRef, type ImageRef } from '../core/image-ref.js';
import type { Platform } from '../core/platform.js';
import type { SourceRange } from '../core/source.js';
import type { Lock, LockMode } from '../lock/model.js';
import { pinImage, type PinnedImage } from '../lock/pin.js';
import type { ImageResolver, ResolvedImageConfig } from './resolver.js';

/** One place the build uses an image: the reference as normalized, where it is written. */
export interface ImageUse {
  readonly ref: ImageRef;
  readonly platform: Platform;
  readonly file: string;
  readonly range?: SourceRange;
}

export interface ResolvedUse {
  readonly use: ImageUse;
  /** how the lock treated it; undefined when the build has no lock */
  readonly pin?: PinnedImage;
  /** true when dev/lock mode had to ask the resolver for the digest (warned about) */
  readonly resolvedUnpinned: boolean;
  readonly image: ResolvedImageConfig;
}

/**
 * Pins every image use against the lock, then resolves configs: in prod every use must be in
 * the lock with a matching digest (all refusals reported at once, before anything resolves);
 * in dev mode unpinned references are resolved and become new pins; lock mode re-resolves
 * every reference written without a digest (that is how a pin moves when a tag moves) and
 * takes inline digests as pins.
 * @throws GoshError LOCK_IMAGE_MISSING / LOCK_DIGEST_MISMATCH (prod), IMAGE_RESOLVE
 */
export async function resolveImageUses(
  uses: readonly ImageUse[],
  lock: Lock | undefined,
  mode: LockMode,
  resolver: ImageResolver,
): Promise<ResolvedUse[]> {
  const pins: (PinnedImage | undefined)[] = [];
  const refusals: Diagnostic[] = [];
  for (const use of uses) {
    if (lock === undefined || (mode === 'lock' && use.ref.digest === undefined)) {
      pins.push(undefined);
      continue;
    }
    const pin = pinImage(use.ref, lock, mode, { file: use.file, ...(use.range !== undefined ? { range: use.range } : {}) });
    if (pin.kind === 'refused') refusals.push(pin.diagnostic);
    pins.push(pin.kind === 'pinned' ? pin : undefined);
  }
  if (refusals.length > 0) throw new GoshError(sortDiagnostics(refusals));
  return Promise.all(
    uses.map(async (use, i) => {
      const pin = pins[i];
      const wanted = pin !== undefined ? formatImageRef(pin.ref) : formatImageRef(use.ref);
      const image = await resolver.resolve(wanted, use.platform);
      return { use, ...(pin !== undefined ? { pin } : {}), resolvedUnpinned: pin === undefined && use.ref.digest === undefined, image };
    }),
  );
}
