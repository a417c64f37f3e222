import type { Digest } from '../core/digest.js';
import type { Platform } from '../core/platform.js';

/** What resolving one image reference gives: the name to use, its digest and config JSON. */
export interface ResolvedImageConfig {
  /** normalized reference, e.g. docker.io/library/busybox:latest */
  readonly ref: string;
  readonly digest?: Digest;
  /** the image config, parsed */
  readonly config?: unknown;
}

/**
 * Looks an image up outside the pure layers: BuildKit's ResolveImageConfig in the frontend,
 * the lock alone in the CLI. `ref` may carry a digest (then that exact image is wanted).
 */
export interface ImageResolver {
  resolve(ref: string, platform: Platform): Promise<ResolvedImageConfig>;
}
