import { canonicalJson } from '../core/canonical.js';
import { formatPlatform, normalizePlatform, type Platform } from '../core/platform.js';
import type { ImageConfig } from '../compile/image-config.js';
import type { Attestation, ReturnResult } from '../gateway/client-types.js';

// result metadata keys (exporter/containerimage/exptypes/types.go @v0.13.2)
export const META_IMAGE_CONFIG = 'containerimage.config';
export const META_BASE_IMAGE_CONFIG = 'containerimage.base.config';
export const META_REFS_PLATFORMS = 'refs.platforms';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** One platform's solved image. */
export interface PlatformImage {
  /** what the exporter files it under: the requested platform, or the frontend's own */
  readonly platform: Platform;
  /** "" for an empty (scratch) result */
  readonly refId: string;
  readonly image: ImageConfig;
  /** the base image's config as resolved; the exporter keeps its history times under SOURCE_DATE_EPOCH */
  readonly baseImage?: ImageConfig;
}

/**
 * The Return of a build (dockerui ResultBuilder): `ref` and unsuffixed config keys for one
 * platform, or `refs` keyed by platform id with `<key>/<id>` configs when several platforms
 * were asked for; `refs.platforms` maps the ids either way.
 */
export function buildResult(images: readonly PlatformImage[], multiPlatform: boolean, attestations?: readonly Attestation[]): ReturnResult {
  const metadata: Record<string, Uint8Array> = {};
  // keyed like refs.platforms: that is how exporters find a platform's attestations
  const attested: Record<string, readonly Attestation[]> = {};
  const refs: Record<string, string> = {};
  let ref: string | undefined;
  const platforms: { ID: string; Platform: Record<string, string> }[] = [];
  for (const built of images) {
    const p = normalizePlatform(built.platform);
    const id = formatPlatform(p);
    const suffix = multiPlatform ? `/${id}` : '';
    if (multiPlatform) refs[id] = built.refId;
    else ref = built.refId;
    metadata[META_IMAGE_CONFIG + suffix] = utf8(canonicalJson(built.image));
    if (built.baseImage !== undefined) metadata[META_BASE_IMAGE_CONFIG + suffix] = utf8(canonicalJson(built.baseImage));
    platforms.push({ ID: id, Platform: { architecture: p.architecture, os: p.os, ...(p.variant !== undefined ? { variant: p.variant } : {}) } });
    if (attestations !== undefined && attestations.length > 0) attested[id] = attestations;
  }
  metadata[META_REFS_PLATFORMS] = utf8(canonicalJson({ Platforms: platforms }));
  const withAttestations = Object.keys(attested).length > 0 ? { attestations: attested } : {};
  return multiPlatform ? { refs, metadata, ...withAttestations } : { ref: ref ?? '', metadata, ...withAttestations };
}

/** The Return for a single-platform image: the ref, its config and the platform mapping. */
export function imageResult(refId: string, platform: Platform, image: ImageConfig, baseImage?: ImageConfig): ReturnResult {
  return buildResult([{ platform, refId, image, ...(baseImage !== undefined ? { baseImage } : {}) }], false);
}
