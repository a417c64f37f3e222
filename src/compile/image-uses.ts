// Where one compile takes images, for the lock: every image the build resolves (a FROM after ARG
// expansion, the stage BuildKit makes for `COPY --from=<image>` / `RUN --mount from=<image>`, a
// `docker-image://` named context standing in for either) and every line that uses one, with the
// role and stage the SBOM records (sbom-lock.md V8). One walk for the frontend, which pins each
// image once, and for `gosh verify`, which reports each line. Pure: the plan says it all.
import { parseImageRef, withDefaultTag, type ImageRef } from '../core/image-ref.js';
import type { Platform } from '../core/platform.js';
import type { SourceRange } from '../core/source.js';
import type { BuildOptions } from '../config/build-options.js';
import type { Dockerfile } from '../dockerfile/instructions.js';
import { parseRunMount } from '../dockerfile/run-mount.js';
import { ROOT, type ImageRole, type ImageUse as LockImageUse } from '../lock/model.js';
import type { ImageUse as ResolveUse } from '../resolve/resolve.js';
import { planDockerfile } from './compile.js';
import { namedContextUses, type NamedContextRequest, type NamedContextUse } from './named-context.js';
import type { BuildPlan, PlannedStage } from './plan.js';

/** An image one planned stage stands for. */
export interface UsedImage {
  /** a file stage (its FROM, or the named context replacing it) or a stage made for `--from`/`from=` */
  readonly stageIndex: number;
  /** normalized, with a tag */
  readonly ref: ImageRef;
  readonly platform: Platform;
  /** where it is named first: the stage's FROM, or the instruction its stage was made for */
  readonly range: SourceRange;
  /** the `docker-image://` named context that stands in, when one does */
  readonly namedContext?: NamedContextRequest;
}

/** One line that takes an image, as the SBOM records it. */
export interface ImageUseLine {
  readonly image: UsedImage;
  readonly range: SourceRange;
  readonly role: ImageRole;
  /** the using stage as the lock records it: the AS name, else its index */
  readonly stage: string;
}

export interface ImageUseScope {
  readonly dockerfile: Dockerfile;
  readonly options: BuildOptions;
  readonly buildPlatform: Platform;
  /** the compile's platform; undefined: the first of options.platforms, else the worker's */
  readonly targetPlatform: Platform | undefined;
}

export interface BuildImageUses {
  /** the Dockerfile's name, the file of every range */
  readonly file: string;
  /** one per planned stage that stands for an image, in build order (plan.reachable) */
  readonly images: readonly UsedImage[];
  /** in build order: each reachable file stage's FROM, then its COPY --from and RUN --mount from= */
  readonly uses: readonly ImageUseLine[];
}

/**
 * The images one compile resolves and the lines that use them. A stage or `scratch` is no image;
 * a file stage's image is its `base` when the target descends from it, else a `build` image; an
 * image stage made for `--from`/`from=` is a `copy`/`mount` image of each stage naming it.
 * @throws GoshError OPTION_INVALID for an invalid named context (as the compile would)
 */
export function buildImageUses(scope: ImageUseScope): BuildImageUses {
  const { dockerfile, options, buildPlatform } = scope;
  const explicitTarget = scope.targetPlatform ?? options.platforms[0];
  const { plan, targetPlatform } = planDockerfile(dockerfile, options, buildPlatform, explicitTarget);
  const file = dockerfile.file.name;
  const fileStages = dockerfile.stages.length;
  const contexts = new Map(
    namedContextUses(plan, fileStages, { contexts: options.namedContexts, explicitTarget, targetPlatform, defaultPlatform: buildPlatform, file }).map((u) => [u.stageIndex, u] as const),
  );
  const images = new Map<number, UsedImage>();
  for (const idx of plan.reachable) {
    const image = imageOf(plan.stages[idx] as PlannedStage, contexts.get(idx), targetPlatform);
    if (image !== undefined) images.set(idx, image);
  }

  const chain = targetChain(plan, contexts);
  const uses: ImageUseLine[] = [];
  for (const idx of plan.reachable) {
    if (idx >= fileStages) continue; // made for --from; used at the instructions below
    const stage = (plan.stages[idx] as PlannedStage).stage;
    const label = stage.name ?? String(idx);
    const add = (imageStage: number | undefined, role: ImageRole, range: SourceRange): void => {
      const image = imageStage !== undefined ? images.get(imageStage) : undefined;
      if (image !== undefined) uses.push({ image, range, role, stage: label });
    };
    add(idx, chain.has(idx) ? 'base' : 'build', stage.from.range);
    for (const ins of stage.instructions) {
      if (ins.kind === 'copy' && ins.from !== undefined) add(madeFor(plan.copyFrom.get(ins.from), fileStages), 'copy', ins.range);
      if (ins.kind !== 'run') continue;
      for (const raw of ins.mounts) {
        const parsed = parseRunMount(raw);
        const from = parsed.ok ? parsed.mount.from : undefined;
        if (from !== undefined) add(madeFor(plan.mountFrom.get(from), fileStages), 'mount', ins.range);
      }
    }
  }
  return { file, images: [...images.values()], uses };
}

/** A `--from`/`from=` target counts only when it is a stage made for an image, not a file stage. */
function madeFor(idx: number | undefined, fileStages: number): number | undefined {
  return idx !== undefined && idx >= fileStages ? idx : undefined;
}

/** The target stage and the stages it is built FROM, down to an image or a named context. */
function targetChain(plan: BuildPlan, contexts: ReadonlyMap<number, NamedContextUse>): Set<number> {
  const chain = new Set<number>();
  for (let idx: number | undefined = plan.target; idx !== undefined && !chain.has(idx); ) {
    chain.add(idx);
    const planned = plan.stages[idx] as PlannedStage;
    idx = contexts.get(idx)?.replacesStage !== true && planned.base.kind === 'stage' ? planned.base.index : undefined;
  }
  return chain;
}

function imageOf(planned: PlannedStage, context: NamedContextUse | undefined, targetPlatform: Platform): UsedImage | undefined {
  if (context !== undefined) {
    const src = context.request.source;
    if (src.kind !== 'image') return undefined;
    const parsed = parseImageRef(src.normalizedRef);
    if (!parsed.ok) return undefined;
    return {
      stageIndex: planned.index,
      ref: withDefaultTag(parsed.ref),
      platform: context.request.platform ?? targetPlatform,
      range: context.range ?? planned.stage.from.range,
      namedContext: context.request,
    };
  }
  if (planned.base.kind !== 'image') return undefined;
  return { stageIndex: planned.index, ref: planned.base.ref, platform: planned.platform ?? targetPlatform, range: planned.stage.from.range };
}

/** What resolve/ pins for an image, located at `range` (default: where the image is named first). */
export function resolveUseOf(image: UsedImage, file: string, range: SourceRange = image.range): ResolveUse {
  return { ref: image.ref, platform: image.platform, file, range };
}

/** A use as the lock's usage tree records it (the root consumer only). */
export function lockImageUse(lockKey: string, role: ImageRole, stage: string): LockImageUse {
  return { consumer: ROOT, source: { kind: 'image', ref: lockKey }, role, stage };
}
