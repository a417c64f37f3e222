// The images of a build pinned by the lock before any LLB exists: resolve/ decides (prod refuses
// all it cannot pin at once), then every reference compile sees carries its digest: FROM and the
// COPY --from / RUN --mount from= image stages through the images map, `docker-image://` named
// contexts through their rewritten option value.
import { GoshError, diagnostic, type Diagnostic } from '../core/errors.js';
import type { Digest } from '../core/digest.js';
import { formatImageRef, withDigest } from '../core/image-ref.js';
import type { ResolvedImage } from '../compile/compile.js';
import type { ImageConfig } from '../compile/image-config.js';
import type { BuildWarning } from '../compile/warnings.js';
import type { Lock, LockImage, LockMode } from '../lock/model.js';
import { resolveImageUses } from '../resolve/resolve.js';
import type { ImageResolver } from '../resolve/resolver.js';
import type { ImageSite } from './lock-uses.js';

export interface PinnedImages {
  /** compile's images map, by imageRequestKey */
  readonly images: ReadonlyMap<string, ResolvedImage>;
  /** named-context option values with the pinned digest: `docker-image://<ref>@<digest>` */
  readonly namedContexts: ReadonlyMap<string, string>;
  /** lock key → digest of every image this build uses */
  readonly pins: readonly LockImage[];
  /** one per reference dev mode had to resolve */
  readonly warnings: readonly BuildWarning[];
}

function siteKey(site: ImageSite): string {
  return site.requestKey ?? `context ${site.namedContext?.key ?? ''}`;
}

/**
 * Pins and resolves the sites of every compile of a build (all platforms), each once.
 * @throws GoshError LOCK_IMAGE_MISSING / LOCK_DIGEST_MISMATCH (prod, all at once), IMAGE_RESOLVE
 * when BuildKit gives no digest to pin, LOCK_DUPLICATE_ENTRY when one reference gets two digests
 */
export async function pinImageSites(sites: readonly ImageSite[], lock: Lock | undefined, mode: LockMode, resolver: ImageResolver, namedContexts: ReadonlyMap<string, string>): Promise<PinnedImages> {
  const unique = new Map<string, ImageSite>();
  for (const site of sites) if (!unique.has(siteKey(site))) unique.set(siteKey(site), site);
  const list = [...unique.values()];
  const resolved = await resolveImageUses(
    list.map((s) => s.use),
    lock,
    mode,
    resolver,
  );
  const images = new Map<string, ResolvedImage>();
  const contexts = new Map(namedContexts);
  const digests = new Map<string, { digest: Digest; site: ImageSite }>();
  const warnings: BuildWarning[] = [];
  const problems: Diagnostic[] = [];
  for (const [i, r] of resolved.entries()) {
    const site = list[i] as ImageSite;
    const digest = r.pin?.digest ?? r.image.digest;
    if (digest === undefined) {
      problems.push(diagnostic('IMAGE_RESOLVE', `image ${site.lockKey}: BuildKit reported no digest, so it cannot be pinned`, { file: site.use.file, range: site.use.range }));
      continue;
    }
    const seen = digests.get(site.lockKey);
    if (seen !== undefined && seen.digest !== digest) {
      problems.push(
        diagnostic('LOCK_DUPLICATE_ENTRY', `image ${site.lockKey} resolves to two digests (${seen.digest}, ${digest}); write one digest in the Dockerfile`, { file: site.use.file, range: site.use.range }, [
          { message: `first resolved here to ${seen.digest}`, file: seen.site.use.file, ...(seen.site.use.range !== undefined ? { range: seen.site.use.range } : {}) },
        ]),
      );
      continue;
    }
    digests.set(site.lockKey, { digest, site });
    if (r.resolvedUnpinned && mode === 'dev') warnings.push(unpinnedWarning(site, digest, lock?.file));
    const { digest: _inline, ...name } = site.use.ref;
    if (site.namedContext !== undefined) {
      contexts.set(site.namedContext.nameWithPlatform, `docker-image://${formatImageRef(withDigest(name, digest))}`);
    } else if (site.requestKey !== undefined) {
      images.set(site.requestKey, { ref: formatImageRef(name), digest, ...(r.image.config !== undefined ? { config: r.image.config as ImageConfig } : {}) });
    }
  }
  if (problems.length > 0) throw new GoshError(problems);
  const pins = [...digests.entries()].map(([ref, { digest }]) => ({ ref, digest }));
  return { images, namedContexts: contexts, pins, warnings };
}

function unpinnedWarning(site: ImageSite, digest: Digest, lockFile: string | undefined): BuildWarning {
  return {
    short: `image ${site.lockKey} is not pinned${lockFile !== undefined ? ` in ${lockFile}` : ''}; dev mode resolved it to ${digest}`,
    detail: ['A prod build refuses an image the lock does not pin. Run gosh lock (or build with --build-arg GOSH_MODE=lock) to record it.'],
    ...(site.use.range !== undefined ? { range: site.use.range } : {}),
  };
}
