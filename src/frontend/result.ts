import { canonicalJson } from '../core/canonical.js';
import { formatPlatform, type Platform } from '../core/platform.js';
import type { ImageConfig } from '../compile/image-config.js';
import type { ReturnResult } from '../gateway/client-types.js';

// result metadata keys (exporter/containerimage/exptypes/types.go @v0.13.2)
export const META_IMAGE_CONFIG = 'containerimage.config';
export const META_BASE_IMAGE_CONFIG = 'containerimage.base.config';
export const META_REFS_PLATFORMS = 'refs.platforms';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The Return for a single-platform image: the ref, its config and the platform mapping. */
export function imageResult(refId: string, platform: Platform, image: ImageConfig, baseImage?: ImageConfig): ReturnResult {
  const id = formatPlatform(platform);
  const platforms = {
    Platforms: [
      {
        ID: id,
        Platform: { architecture: platform.architecture, os: platform.os, ...(platform.variant !== undefined ? { variant: platform.variant } : {}) },
      },
    ],
  };
  const metadata: Record<string, Uint8Array> = {
    [META_IMAGE_CONFIG]: utf8(canonicalJson(image)),
    [META_REFS_PLATFORMS]: utf8(canonicalJson(platforms)),
  };
  if (baseImage !== undefined) metadata[META_BASE_IMAGE_CONFIG] = utf8(canonicalJson(baseImage));
  return { ref: refId, metadata };
}
