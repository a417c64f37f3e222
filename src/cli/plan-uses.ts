// Every image the planned build takes something from, each with the line that names it: the
// FROM of each reachable stage, `COPY --from=<image>` and `RUN --mount from=<image>`. Two views of
// the same uses: resolve/'s (reference, platform, location: what the lock pins) and lock/'s
// (consumer, role, stage: what makes an entry used, sbom-lock.md V8). Pure. The frontend's
// frontend/lock-uses.ts finds the same images with the same roles, once per reference; the CLI
// may not import frontend/, and verify reports every line that names an image.
import type { Platform } from '../core/platform.js';
import type { SourceRange } from '../core/source.js';
import type { Dockerfile, Stage } from '../dockerfile/instructions.js';
import { parseRunMount } from '../dockerfile/run-mount.js';
import type { BuildPlan, PlannedStage } from '../compile/plan.js';
import { imageLockKey } from '../lock/image-key.js';
import { ROOT, type ImageRole, type ImageUse as LockImageUse } from '../lock/model.js';
import type { ImageUse } from '../resolve/resolve.js';

export interface PlannedImageUses {
  /** in Dockerfile order: what resolve/ pins, one per line that names an image */
  readonly uses: readonly ImageUse[];
  /** the same uses as the lock's usage tree records them (the root consumer only) */
  readonly facts: readonly LockImageUse[];
}

/** The stage's name as the lock records it: the `AS` name, else its index. */
function stageLabel(stage: Stage): string {
  return stage.name ?? String(stage.index);
}

/** The target stage and the stages it is built FROM: an image at the end of it is the `base`. */
function targetChain(plan: BuildPlan): Set<number> {
  const chain = new Set<number>();
  for (let idx: number | undefined = plan.target; idx !== undefined && !chain.has(idx); ) {
    chain.add(idx);
    const base: PlannedStage['base'] = (plan.stages[idx] as PlannedStage).base;
    idx = base.kind === 'stage' ? base.index : undefined;
  }
  return chain;
}

/**
 * The image uses of the reachable stages of `plan` (from planDockerfile). An image stage made
 * for `--from`/`from=` is reported at each instruction that names it, with that instruction's
 * stage; a stage or `scratch` is no image.
 */
export function planImageUses(dockerfile: Dockerfile, plan: BuildPlan, targetPlatform: Platform): PlannedImageUses {
  const file = dockerfile.file.name;
  const uses: { use: ImageUse; fact: LockImageUse; line: number }[] = [];
  const add = (planned: PlannedStage | undefined, role: ImageRole, stage: Stage, range: SourceRange): void => {
    if (planned?.base.kind !== 'image') return;
    const use: ImageUse = { ref: planned.base.ref, platform: planned.platform ?? targetPlatform, file, range };
    const fact: LockImageUse = { consumer: ROOT, source: { kind: 'image', ref: imageLockKey(planned.base.ref) }, role, stage: stageLabel(stage) };
    uses.push({ use, fact, line: range.startLine });
  };
  const fileStages = dockerfile.stages.length;
  const chain = targetChain(plan);
  for (const idx of plan.reachable) {
    if (idx >= fileStages) continue; // made for --from; reported at the instructions below
    const planned = plan.stages[idx] as PlannedStage;
    const stage = planned.stage;
    add(planned, chain.has(idx) ? 'base' : 'build', stage, stage.from.range);
    for (const instruction of stage.instructions) {
      if (instruction.kind === 'copy' && instruction.from !== undefined) {
        const from = plan.copyFrom.get(instruction.from);
        if (from !== undefined && from >= fileStages) add(plan.stages[from], 'copy', stage, instruction.range);
      } else if (instruction.kind === 'run') {
        for (const raw of instruction.mounts) {
          const parsed = parseRunMount(raw);
          const value = parsed.ok ? parsed.mount.from : undefined;
          const from = value !== undefined ? plan.mountFrom.get(value) : undefined;
          if (from !== undefined && from >= fileStages) add(plan.stages[from], 'mount', stage, instruction.range);
        }
      }
    }
  }
  uses.sort((a, b) => a.line - b.line);
  return { uses: uses.map((u) => u.use), facts: uses.map((u) => u.fact) };
}
