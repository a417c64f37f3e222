// Where one compile uses images, for the lock, once per image: compile/image-uses.ts finds every
// image and line; here they become the sites frontend/ pins and resolves, each with every use the
// SBOM records, after Gosh.yaml's registry policy.
import { GoshError } from '../core/errors.js';
import { formatImageRef } from '../core/image-ref.js';
import type { Platform } from '../core/platform.js';
import type { BuildOptions } from '../config/build-options.js';
import type { Dockerfile } from '../dockerfile/instructions.js';
import { buildImageUses, resolveUseOf } from '../compile/image-uses.js';
import type { NamedContextRequest } from '../compile/named-context.js';
import { imageRequestKey } from '../compile/plan.js';
import { imageLockKey } from '../lock/image-key.js';
import type { ImageRole } from '../lock/model.js';
import { disallowedRegistries } from '../resolve/registry-policy.js';
import type { ImageUse as ResolveUse } from '../resolve/resolve.js';

/** How the SBOM records one use: the role and the stage that uses the image. */
export interface SiteUsage {
  readonly role: ImageRole;
  readonly stage: string;
}

/** One image the compile needs, once per reference and platform. */
export interface ImageSite {
  /** what resolve/ pins and resolves: the reference as normalized and its first location */
  readonly use: ResolveUse;
  /** the lock key of the reference */
  readonly lockKey: string;
  /** compile's images map key; undefined for a named context */
  readonly requestKey?: string;
  /** the named context the image comes from, when it does */
  readonly namedContext?: NamedContextRequest;
  readonly usages: readonly SiteUsage[];
}

export interface SiteScope {
  readonly dockerfile: Dockerfile;
  readonly options: BuildOptions;
  readonly buildPlatform: Platform;
  readonly targetPlatform: Platform | undefined;
  /** Gosh.yaml policy.registries; undefined allows every registry */
  readonly registries?: readonly string[];
  /** Gosh.yaml, for the policy error's note */
  readonly configFile?: string;
}

/**
 * The images one compile resolves, with their uses.
 * @throws GoshError OPTION_INVALID at the Dockerfile line of an image from a registry
 * policy.registries does not allow (every such image at once)
 */
export function imageSites(scope: SiteScope): ImageSite[] {
  const found = buildImageUses(scope);
  const sites = new Map<string, { site: Omit<ImageSite, 'usages'>; usages: SiteUsage[] }>();
  for (const image of found.images) {
    const requestKey = image.namedContext === undefined ? imageRequestKey(formatImageRef(image.ref), image.platform) : undefined;
    const key = requestKey !== undefined ? `image ${requestKey}` : `context ${image.namedContext?.key ?? ''}`;
    const site = {
      use: resolveUseOf(image, found.file),
      lockKey: imageLockKey(image.ref),
      ...(requestKey !== undefined ? { requestKey } : {}),
      ...(image.namedContext !== undefined ? { namedContext: image.namedContext } : {}),
    };
    const entry = sites.get(key) ?? { site, usages: [] };
    for (const u of found.uses) if (u.image === image) entry.usages.push({ role: u.role, stage: u.stage });
    sites.set(key, entry);
  }
  const out = [...sites.values()].map(({ site, usages }) => ({ ...site, usages }));
  const allowed = scope.registries;
  if (allowed !== undefined) {
    const problems = disallowedRegistries(
      out.map((s) => s.use),
      allowed,
      scope.configFile !== undefined ? { file: scope.configFile } : undefined,
    );
    if (problems.length > 0) throw new GoshError(problems);
  }
  return out;
}
