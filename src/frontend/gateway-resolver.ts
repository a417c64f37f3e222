import { fail } from '../core/errors.js';
import { isDigest } from '../core/digest.js';
import type { Platform } from '../core/platform.js';
import type { ImageConfig } from '../compile/image-config.js';
import type { ResolvedImage } from '../compile/compile.js';
import type { ImageResolveMode } from '../config/build-options.js';
import type { GatewayClient } from '../gateway/client.js';
import { parseImageRef, formatImageRef } from '../core/image-ref.js';
import type { ImageResolver, ResolvedImageConfig } from '../resolve/resolver.js';

/**
 * Resolves one base image through BuildKit (ResolveImageConfig), with the progress name its
 * Dockerfile frontend uses.
 * @throws GoshError IMAGE_RESOLVE naming the reference when BuildKit cannot find it
 */
export async function resolveImageThroughGateway(
  client: GatewayClient,
  ref: string,
  platform: Platform,
  resolveMode: ImageResolveMode,
  multiPlatform: boolean,
  logName?: string,
): Promise<ResolvedImage> {
  const prefix = multiPlatform ? `[${platform.os}/${platform.architecture}${platform.variant !== undefined ? `/${platform.variant}` : ''} internal]` : '[internal]';
  let resolved;
  try {
    resolved = await client.resolveImageConfig(ref, { platform, resolveMode, logName: logName ?? `${prefix} load metadata for ${ref}` });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return fail('IMAGE_RESOLVE', `failed to resolve image ${ref}: ${reason}`, {}, undefined, e);
  }
  let config: ImageConfig;
  try {
    config = JSON.parse(new TextDecoder().decode(resolved.config)) as ImageConfig;
  } catch (e) {
    return fail('IMAGE_RESOLVE', `image ${ref} has an invalid config`, {}, undefined, e);
  }
  // BuildKit may hand back another name (e.g. after a source policy); keep its tag form
  const name = resolved.ref !== '' ? resolved.ref : ref;
  return { ref: name, ...(isDigest(resolved.digest) ? { digest: resolved.digest } : {}), config };
}

/**
 * The resolve/ ImageResolver over BuildKit for builds with a lock: a reference that carries a
 * digest is a pin, and its progress line says so (`[gosh] pin docker.io/library/x:1 -> sha256:…`).
 */
export function gatewayImageResolver(client: GatewayClient, resolveMode: ImageResolveMode, multiPlatform: boolean): ImageResolver {
  return {
    async resolve(ref: string, platform: Platform): Promise<ResolvedImageConfig> {
      const parsed = parseImageRef(ref);
      let logName: string | undefined;
      if (parsed.ok && parsed.ref.digest !== undefined) {
        const { digest, ...name } = parsed.ref;
        logName = pinLogName(formatImageRef(name), digest, platform, multiPlatform);
      }
      const r = await resolveImageThroughGateway(client, ref, platform, resolveMode, multiPlatform, logName);
      return { ref: r.ref, ...(r.digest !== undefined ? { digest: r.digest } : {}), ...(r.config !== undefined ? { config: r.config } : {}) };
    },
  };
}

/** `[gosh] pin <ref> -> <digest>`, with the platform when the build has several. */
export function pinLogName(name: string, digest: string, platform: Platform, multiPlatform: boolean): string {
  const where = multiPlatform ? ` (${platform.os}/${platform.architecture}${platform.variant !== undefined ? `/${platform.variant}` : ''})` : '';
  return `[gosh] pin ${name} -> ${digest}${where}`;
}
