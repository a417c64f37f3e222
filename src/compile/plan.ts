import { fail } from '../core/errors.js';
import { formatImageRef, parseImageRef, withDefaultTag, type ImageRef } from '../core/image-ref.js';
import { formatPlatform, parsePlatform, type Platform } from '../core/platform.js';
import type { Dockerfile, Stage } from '../dockerfile/instructions.js';
import { planStages, type StageSource } from '../dockerfile/stages.js';
import type { Expander } from './expand.js';

export type StageBase =
  | { readonly kind: 'scratch' }
  | { readonly kind: 'stage'; readonly index: number }
  | { readonly kind: 'image'; readonly ref: ImageRef; readonly original: string };

export interface PlannedStage {
  readonly stage: Stage;
  /** index in the file; stages made for `COPY --from=<image>` come after the file's */
  readonly index: number;
  /** the name used in progress output: the AS name, stage-<i>, or '' for an image stage */
  readonly displayName: string;
  readonly base: StageBase;
  /** `FROM --platform`, expanded */
  readonly platform?: Platform;
}

/** An image the build needs, identified by normalized ref and platform. */
export interface ImageRequest {
  readonly ref: string;
  readonly platform: Platform;
}

export function imageRequestKey(ref: string, platform: Platform): string {
  return `${ref} ${formatPlatform(platform)}`;
}

export interface BuildPlan {
  readonly stages: readonly PlannedStage[];
  readonly target: number;
  /** indexes of the stages the target needs, file stages first in file order */
  readonly reachable: readonly number[];
  /** base images of reachable stages, each once */
  readonly images: readonly ImageRequest[];
  /** `COPY --from` value (as written) → planned stage index, for stages and images alike */
  readonly copyFrom: ReadonlyMap<string, number>;
}

export interface PlanInput {
  readonly dockerfile: Dockerfile;
  readonly target?: string;
  readonly targetPlatform: Platform;
  /** expands FROM lines with the meta args */
  readonly metaExpander: Expander;
}

/**
 * Decides what every stage is based on, which stages the target needs (dockerfile/stages.ts
 * has BuildKit's rules) and which base images must be resolved. Pure.
 */
export function planBuild(input: PlanInput): BuildPlan {
  const { dockerfile, metaExpander } = input;
  const file = dockerfile.file.name;
  const baseNames = dockerfile.stages.map((st) => metaExpander.word(st.from.image, { file, range: st.from.range }));
  const plan = planStages(dockerfile, { ...(input.target !== undefined ? { target: input.target } : {}), baseNames });

  const stages: PlannedStage[] = dockerfile.stages.map((stage) => {
    const range = stage.from.range;
    let platform: Platform | undefined;
    if (stage.from.platform !== undefined) {
      const spec = metaExpander.word(stage.from.platform, { file, range });
      platform = parsePlatform(spec);
      if (platform === undefined) fail('DOCKERFILE_INVALID_FLAG', `FROM: failed to parse platform ${spec}`, { file, range });
    }
    return {
      stage,
      index: stage.index,
      displayName: stage.name ?? `stage-${stage.index}`,
      base: stageBase(plan.bases[stage.index] as StageSource, file, range),
      ...(platform !== undefined ? { platform } : {}),
    };
  });

  const needed = new Set(plan.reachable.map((s) => s.index));
  const copyFrom = new Map<string, number>();
  for (const stage of plan.reachable) {
    for (const ref of plan.references[stage.index] ?? []) {
      if (ref.via !== 'copy-from' || ref.instruction.kind !== 'copy' || ref.instruction.from === undefined) continue;
      const from = ref.instruction.from;
      if (copyFrom.has(from)) continue;
      if (ref.source.kind === 'stage') {
        copyFrom.set(from, ref.source.stage.index);
        continue;
      }
      // BuildKit builds an unnamed stage from the image: it prints a bare FROM and has no steps
      const parsed = parseImageRef(ref.source.ref);
      if (!parsed.ok) fail('DOCKERFILE_UNKNOWN_STAGE', `COPY: --from=${from} is neither a stage nor a valid image reference: ${parsed.reason}`, { file, range: ref.instruction.range });
      const { name: _name, ...unnamed } = stage;
      const idx = stages.length;
      stages.push({
        stage: { ...unnamed, index: idx, instructions: [] },
        index: idx,
        displayName: '',
        base: { kind: 'image', ref: withDefaultTag(parsed.ref), original: from },
      });
      needed.add(idx);
      copyFrom.set(from, idx);
    }
  }

  const reachable = [...needed].sort((a, b) => a - b);
  const images: ImageRequest[] = [];
  const seen = new Set<string>();
  for (const idx of reachable) {
    const st = stages[idx] as PlannedStage;
    if (st.base.kind !== 'image') continue;
    const req = { ref: formatImageRef(st.base.ref), platform: st.platform ?? input.targetPlatform };
    const key = imageRequestKey(req.ref, req.platform);
    if (!seen.has(key)) {
      seen.add(key);
      images.push(req);
    }
  }
  return { stages, target: plan.target.index, reachable, images, copyFrom };
}

function stageBase(source: StageSource, file: string, range: Stage['range']): StageBase {
  if (source.kind === 'stage') return { kind: 'stage', index: source.stage.index };
  if (source.ref.toLowerCase() === 'scratch') return { kind: 'scratch' };
  const parsed = parseImageRef(source.ref);
  if (!parsed.ok) fail('DOCKERFILE_SYNTAX', `FROM: failed to parse stage name "${source.ref}": ${parsed.reason}`, { file, range });
  return { kind: 'image', ref: withDefaultTag(parsed.ref), original: source.ref };
}
