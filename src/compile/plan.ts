import { fail } from '../core/errors.js';
import { formatImageRef, parseImageRef, withDefaultTag, type ImageRef } from '../core/image-ref.js';
import { formatPlatform, parsePlatform, type Platform } from '../core/platform.js';
import type { SourceRange } from '../core/source.js';
import type { Dockerfile, Stage } from '../dockerfile/instructions.js';
import { parseRunMount } from '../dockerfile/run-mount.js';
import { planStages, type StageReference, type StageSource } from '../dockerfile/stages.js';
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
  /** the first stage (file order) based on it: the name as written and where, for resolve errors */
  readonly use?: { readonly name: string; readonly range: SourceRange };
}

export function imageRequestKey(ref: string, platform: Platform): string {
  return `${ref} ${formatPlatform(platform)}`;
}

export interface BuildPlan {
  readonly stages: readonly PlannedStage[];
  readonly target: number;
  /**
   * indexes of the stages the target needs, in build order: the implicit image stages first
   * (they depend on nothing), then file stages in file order
   */
  readonly reachable: readonly number[];
  /** base images of reachable stages, each once */
  readonly images: readonly ImageRequest[];
  /** `COPY --from` value (as written) → planned stage index, for stages and images alike */
  readonly copyFrom: ReadonlyMap<string, number>;
  /** `RUN --mount from=` value (as written) → planned stage index: a stage, an image or scratch */
  readonly mountFrom: ReadonlyMap<string, number>;
  /** BuildKit leaves the stage name out of vertex names only when it knows a single stage */
  readonly singleStage: boolean;
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
  const mountFrom = new Map<string, number>();
  // stages BuildKit creates for `COPY --from=<image>` and `RUN --mount from=<image>`; built first
  const implicit: number[] = [];
  for (const stage of plan.reachable) {
    for (const ref of plan.references[stage.index] ?? []) {
      const from = referenceValue(ref);
      if (from === undefined) continue;
      const byValue = ref.via === 'copy-from' ? copyFrom : mountFrom;
      if (byValue.has(from)) continue;
      if (ref.source.kind === 'stage') {
        byValue.set(from, ref.source.stage.index);
        continue;
      }
      const idx = stages.length;
      stages.push(implicitStage(stage, idx, ref, from, file));
      needed.add(idx);
      implicit.push(idx);
      byValue.set(from, idx);
    }
  }

  const reachable = [...implicit, ...[...needed].filter((i) => !implicit.includes(i)).sort((a, b) => a - b)];
  const images: ImageRequest[] = [];
  const seen = new Set<string>();
  for (const idx of [...needed].sort((a, b) => a - b)) {
    const st = stages[idx] as PlannedStage;
    if (st.base.kind !== 'image') continue;
    const req = { ref: formatImageRef(st.base.ref), platform: st.platform ?? input.targetPlatform, use: { name: st.base.original, range: st.stage.from.range } };
    const key = imageRequestKey(req.ref, req.platform);
    if (!seen.has(key)) {
      seen.add(key);
      images.push(req);
    }
  }
  // every RUN --mount adds an unnamed state in BuildKit, so such a file is never "single stage"
  const hasRunMount = dockerfile.stages.some((st) => st.instructions.some((i) => i.kind === 'run' && i.mounts.length > 0));
  const singleStage = stages.length === 1 && !hasRunMount;
  return { stages, target: plan.target.index, reachable, images, copyFrom, mountFrom, singleStage };
}

/** The `--from` of a COPY or the raw `from=` of a RUN mount that `ref` stands for. */
function referenceValue(ref: StageReference): string | undefined {
  if (ref.via === 'copy-from') return ref.instruction.kind === 'copy' ? ref.instruction.from : undefined;
  if (ref.instruction.kind !== 'run' || ref.mountIndex === undefined) return undefined;
  const parsed = parseRunMount(ref.instruction.mounts[ref.mountIndex] ?? '');
  return parsed.ok ? parsed.mount.from : undefined;
}

/**
 * BuildKit's unregistered stage for an image named by `--from`/`from=`: it prints a bare FROM,
 * has no steps and an empty command description; `scratch` is an empty filesystem.
 */
function implicitStage(user: Stage, index: number, ref: StageReference, value: string, file: string): PlannedStage {
  const { name: _name, ...unnamed } = user;
  const { platform: _platform, stageName: _stageName, ...fromRest } = user.from;
  const stage: Stage = { ...unnamed, index, instructions: [], from: { ...fromRest, original: '', range: ref.instruction.range } };
  if (value === 'scratch') return { stage, index, displayName: '', base: { kind: 'scratch' } };
  const parsed = parseImageRef(value);
  if (!parsed.ok) {
    const what = ref.via === 'copy-from' ? `COPY: --from=${value}` : `RUN: --mount from=${value}`;
    fail('DOCKERFILE_UNKNOWN_STAGE', `${what} is neither a stage nor a valid image reference: ${parsed.reason}`, { file, range: ref.instruction.range });
  }
  return { stage, index, displayName: '', base: { kind: 'image', ref: withDefaultTag(parsed.ref), original: value } };
}

function stageBase(source: StageSource, file: string, range: Stage['range']): StageBase {
  if (source.kind === 'stage') return { kind: 'stage', index: source.stage.index };
  if (source.ref.toLowerCase() === 'scratch') return { kind: 'scratch' };
  const parsed = parseImageRef(source.ref);
  if (!parsed.ok) fail('DOCKERFILE_SYNTAX', `FROM: failed to parse stage name "${source.ref}": ${parsed.reason}`, { file, range });
  return { kind: 'image', ref: withDefaultTag(parsed.ref), original: source.ref };
}
