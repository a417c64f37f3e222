// Where one compile uses images, for the lock: each image the build resolves (a FROM after ARG
// expansion, the stage BuildKit makes for `COPY --from=<image>` / `RUN --mount from=<image>`, a
// `docker-image://` named context standing in for either), where it is written, and how the
// SBOM records it (role and stage). Pure: the plan says it all.
import { GoshError, diagnostic, type Diagnostic } from '../core/errors.js';
import { formatImageRef, parseImageRef, withDefaultTag, type ImageRef } from '../core/image-ref.js';
import type { Platform } from '../core/platform.js';
import type { SourceRange } from '../core/source.js';
import type { BuildOptions } from '../config/build-options.js';
import type { Dockerfile } from '../dockerfile/instructions.js';
import { parseRunMount } from '../dockerfile/run-mount.js';
import { planDockerfile } from '../compile/compile.js';
import { namedContextUses, type NamedContextRequest, type NamedContextUse } from '../compile/named-context.js';
import { imageRequestKey, type BuildPlan, type PlannedStage } from '../compile/plan.js';
import { imageLockKey } from '../lock/image-key.js';
import type { ImageRole } from '../lock/model.js';
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
  const { dockerfile, options, buildPlatform } = scope;
  const explicitTarget = scope.targetPlatform ?? options.platforms[0];
  const { plan, targetPlatform } = planDockerfile(dockerfile, options, buildPlatform, explicitTarget);
  const file = dockerfile.file.name;
  const uses = new Map(
    namedContextUses(plan, dockerfile.stages.length, { contexts: options.namedContexts, explicitTarget, targetPlatform, defaultPlatform: buildPlatform, file }).map(
      (u) => [u.stageIndex, u] as const,
    ),
  );
  const chain = targetChain(plan, uses);
  const sites = new Map<string, { site: Omit<ImageSite, 'usages'>; usages: SiteUsage[] }>();
  for (const idx of plan.reachable) {
    const planned = plan.stages[idx] as PlannedStage;
    const found = siteOf(planned, uses.get(idx), targetPlatform, file);
    if (found === undefined) continue;
    const entry = sites.get(found.key) ?? { site: found.site, usages: [] };
    entry.usages.push(...usagesOf(planned, plan, dockerfile, chain));
    sites.set(found.key, entry);
  }
  const out = [...sites.values()].map(({ site, usages }) => ({ ...site, usages }));
  checkRegistries(out, scope);
  return out;
}

/** The target stage and the stages it is built FROM, down to an image or a named context. */
function targetChain(plan: BuildPlan, uses: ReadonlyMap<number, NamedContextUse>): Set<number> {
  const chain = new Set<number>();
  for (let idx: number | undefined = plan.target; idx !== undefined && !chain.has(idx); ) {
    chain.add(idx);
    const planned = plan.stages[idx] as PlannedStage;
    idx = uses.get(idx)?.replacesStage !== true && planned.base.kind === 'stage' ? planned.base.index : undefined;
  }
  return chain;
}

function siteOf(planned: PlannedStage, use: NamedContextUse | undefined, targetPlatform: Platform, file: string): { key: string; site: Omit<ImageSite, 'usages'> } | undefined {
  if (use !== undefined) {
    const src = use.request.source;
    if (src.kind !== 'image') return undefined;
    const parsed = parseImageRef(src.normalizedRef);
    if (!parsed.ok) return undefined;
    const ref = withDefaultTag(parsed.ref);
    const range = use.range ?? planned.stage.from.range;
    return {
      key: `context ${use.request.key}`,
      site: { use: resolveUse(ref, use.request.platform ?? targetPlatform, file, range), lockKey: imageLockKey(ref), namedContext: use.request },
    };
  }
  if (planned.base.kind !== 'image') return undefined;
  const platform = planned.platform ?? targetPlatform;
  const requestKey = imageRequestKey(formatImageRef(planned.base.ref), platform);
  return {
    key: `image ${requestKey}`,
    site: { use: resolveUse(planned.base.ref, platform, file, planned.stage.from.range), lockKey: imageLockKey(planned.base.ref), requestKey },
  };
}

function resolveUse(ref: ImageRef, platform: Platform, file: string, range: SourceRange): ResolveUse {
  return { ref, platform, file, range };
}

/**
 * A file stage's image is its `base` when the target descends from it, else a `build` image; the
 * stages made for `COPY --from`/`RUN --mount from=` are `copy`/`mount` images of each stage
 * naming them.
 */
function usagesOf(planned: PlannedStage, plan: BuildPlan, dockerfile: Dockerfile, chain: ReadonlySet<number>): SiteUsage[] {
  const stageName = (idx: number): string => (plan.stages[idx] as PlannedStage).stage.name ?? String(idx);
  if (planned.index < dockerfile.stages.length) return [{ role: chain.has(planned.index) ? 'base' : 'build', stage: stageName(planned.index) }];
  const out: SiteUsage[] = [];
  for (const idx of plan.reachable) {
    if (idx >= dockerfile.stages.length) continue;
    for (const ins of (plan.stages[idx] as PlannedStage).stage.instructions) {
      if (ins.kind === 'copy' && ins.from !== undefined && plan.copyFrom.get(ins.from) === planned.index) out.push({ role: 'copy', stage: stageName(idx) });
      if (ins.kind !== 'run') continue;
      for (const raw of ins.mounts) {
        const parsed = parseRunMount(raw);
        const from = parsed.ok ? parsed.mount.from : undefined;
        if (from !== undefined && plan.mountFrom.get(from) === planned.index) out.push({ role: 'mount', stage: stageName(idx) });
      }
    }
  }
  return out;
}

function checkRegistries(sites: readonly ImageSite[], scope: SiteScope): void {
  const allowed = scope.registries;
  if (allowed === undefined) return;
  const problems: Diagnostic[] = [];
  for (const site of sites) {
    const domain = site.use.ref.domain;
    if (allowed.includes(domain)) continue;
    problems.push(
      diagnostic('OPTION_INVALID', `image ${site.lockKey}: registry ${domain} is not allowed by policy.registries (${allowed.join(', ')})`, { file: site.use.file, range: site.use.range }, [
        ...(scope.configFile !== undefined ? [{ message: 'policy.registries is set here', file: scope.configFile }] : []),
      ]),
    );
  }
  if (problems.length > 0) throw new GoshError(problems);
}
