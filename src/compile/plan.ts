import { fail } from '../core/errors.js';
import { formatImageRef, parseImageRef, withDefaultTag, type ImageRef } from '../core/image-ref.js';
import { formatPlatform, parsePlatform, type Platform } from '../core/platform.js';
import type { Dockerfile, Stage } from '../dockerfile/instructions.js';
import type { Expander } from './expand.js';

export type StageBase =
  | { readonly kind: 'scratch' }
  | { readonly kind: 'stage'; readonly index: number }
  | { readonly kind: 'image'; readonly ref: ImageRef; readonly original: string };

export interface PlannedStage {
  readonly stage: Stage;
  /** index in the file; implicit image stages (COPY --from=<image>) come after the file's */
  readonly index: number;
  /** the name used in progress output: the AS name or stage-<i> */
  readonly displayName: string;
  readonly base: StageBase;
  /** `FROM --platform`, expanded */
  readonly platform?: Platform;
  /** stages (by index) whose output this stage's instructions read */
  readonly deps: ReadonlyMap<number, number>;
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
  /** stage indexes reachable from the target, in file order */
  readonly reachable: readonly number[];
  /** base images of reachable stages, each once */
  readonly images: readonly ImageRequest[];
  /** image refs used by `COPY --from=<image>`, keyed by the raw --from value */
  readonly copyFromImages: ReadonlyMap<string, number>;
}

export interface PlanInput {
  readonly dockerfile: Dockerfile;
  readonly target?: string;
  readonly targetPlatform: Platform;
  /** expands FROM lines with the meta args */
  readonly metaExpander: Expander;
}

/**
 * Decides what every stage is based on, which stage is the target and which stages and base
 * images the target needs. Pure; unknown targets, blank bases and bad refs are located errors.
 */
export function planBuild(input: PlanInput): BuildPlan {
  const { dockerfile, metaExpander } = input;
  const file = dockerfile.file.name;
  const byName = new Map<string, number>();
  for (const st of dockerfile.stages) if (st.name !== undefined) byName.set(st.name, st.index);

  const planned: PlannedStage[] = [];
  const copyFromImages = new Map<string, number>();
  const implicit: PlannedStage[] = [];
  for (const stage of dockerfile.stages) {
    const range = stage.from.range;
    const name = metaExpander.word(stage.from.image, { file, range });
    if (name === '') fail('DOCKERFILE_SYNTAX', `FROM: base name (${stage.from.image}) should not be blank`, { file, range });
    let platform: Platform | undefined;
    if (stage.from.platform !== undefined) {
      const spec = metaExpander.word(stage.from.platform, { file, range });
      platform = parsePlatform(spec);
      if (platform === undefined) fail('DOCKERFILE_INVALID_FLAG', `FROM: failed to parse platform ${spec}`, { file, range });
    }
    const base = stageBase(name, byName, stage.index, file, range);
    const deps = new Map<number, number>();
    if (base.kind === 'stage') deps.set(base.index, range.startLine);
    for (const ins of stage.instructions) {
      if (ins.kind !== 'copy' || ins.from === undefined) continue;
      const from = ins.from;
      if (/^-?\d+$/.test(from)) {
        const idx = Number(from);
        if (idx < 0 || idx >= dockerfile.stages.length) fail('DOCKERFILE_UNKNOWN_STAGE', `COPY: invalid stage index ${idx}`, { file, range: ins.range });
        deps.set(idx, ins.range.startLine);
      } else if (byName.has(from.toLowerCase())) {
        deps.set(byName.get(from.toLowerCase()) as number, ins.range.startLine);
      } else {
        let idx = copyFromImages.get(from);
        if (idx === undefined) {
          const parsed = parseImageRef(from);
          if (!parsed.ok) fail('DOCKERFILE_UNKNOWN_STAGE', `COPY: --from=${from} is neither a stage nor a valid image reference: ${parsed.reason}`, { file, range: ins.range });
          idx = dockerfile.stages.length + implicit.length;
          copyFromImages.set(from, idx);
          const { name: _name, ...unnamed } = stage;
          implicit.push({
            stage: { ...unnamed, index: idx, instructions: [] },
            index: idx,
            displayName: '',
            base: { kind: 'image', ref: withDefaultTag(parsed.ref), original: from },
            deps: new Map(),
          });
        }
        deps.set(idx, ins.range.startLine);
      }
    }
    planned.push({
      stage,
      index: stage.index,
      displayName: stage.name ?? `stage-${stage.index}`,
      base,
      ...(platform !== undefined ? { platform } : {}),
      deps,
    });
  }
  const stages = [...planned, ...implicit];

  let target = planned.length - 1;
  if (input.target !== undefined) {
    const found = byName.get(input.target.toLowerCase());
    if (found === undefined) fail('DOCKERFILE_UNKNOWN_STAGE', `target stage "${input.target}" could not be found`, { file });
    target = found;
  }

  detectCycles(stages, file);
  const reachable = reachableFrom(stages, target);
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
  return { stages, target, reachable, images, copyFromImages };
}

function stageBase(name: string, byName: ReadonlyMap<string, number>, index: number, file: string, range: Stage['range']): StageBase {
  if (name.toLowerCase() === 'scratch') return { kind: 'scratch' };
  // BuildKit matches the expanded name exactly against the (lowercased) stage names
  const stageIndex = byName.get(name);
  if (stageIndex !== undefined && stageIndex < index) return { kind: 'stage', index: stageIndex };
  if (stageIndex !== undefined) fail('DOCKERFILE_STAGE_CYCLE', `FROM: stage "${name}" must be defined before it is used`, { file, range });
  const parsed = parseImageRef(name);
  if (!parsed.ok) fail('DOCKERFILE_SYNTAX', `FROM: failed to parse stage name "${name}": ${parsed.reason}`, { file, range });
  return { kind: 'image', ref: withDefaultTag(parsed.ref), original: name };
}

function reachableFrom(stages: readonly PlannedStage[], target: number): number[] {
  const seen = new Set<number>();
  const visit = (i: number): void => {
    if (seen.has(i)) return;
    seen.add(i);
    for (const dep of (stages[i] as PlannedStage).deps.keys()) visit(dep);
  };
  visit(target);
  return [...seen].sort((a, b) => a - b);
}

function detectCycles(stages: readonly PlannedStage[], file: string): void {
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number, line: number | undefined): void => {
    const s = state.get(i);
    if (s === 'done') return;
    const st = stages[i] as PlannedStage;
    if (s === 'visiting') {
      fail('DOCKERFILE_STAGE_CYCLE', `circular dependency detected on stage: ${st.displayName}`, {
        file,
        ...(line !== undefined ? { range: { startLine: line, endLine: line } } : {}),
      });
    }
    state.set(i, 'visiting');
    for (const [dep, depLine] of st.deps) visit(dep, depLine);
    state.set(i, 'done');
  };
  for (const st of stages) visit(st.index, undefined);
}
