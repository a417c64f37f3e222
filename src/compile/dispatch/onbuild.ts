// ONBUILD triggers of a stage's base (dockerfile2llb dispatchOnBuildTriggers): each recorded
// trigger is parsed on its own and dispatched in the new stage before the stage's own
// instructions; then the list is cleared, so the triggers fire once. A base is an image or an
// earlier stage: BuildKit copies the stage's config, OnBuild included, so `FROM <stage>` fires
// the triggers that stage recorded.
import { GoshError, fail, type Diagnostic } from '../../core/errors.js';
import type { SourceRange } from '../../core/source.js';
import type { Stage, StageInstruction } from '../../dockerfile/instructions.js';
import { parseRunMount } from '../../dockerfile/run-mount.js';
import { parseTrigger } from '../../dockerfile/parse-trigger.js';
import { withConfig } from '../image-config.js';
import type { DispatchContext, StageState } from '../stage-state.js';
import type { CopySource } from './copy.js';
import { dispatchInstruction } from './dispatch.js';

/** The stage being started, as the triggers see it. */
export interface TriggerTarget {
  /** the stage's FROM line: BuildKit reports every trigger error there */
  readonly fromRange: SourceRange;
  /** the Dockerfile's stages, for `COPY --from` in a trigger */
  readonly stages: readonly Stage[];
}

/**
 * Runs the base's ONBUILD triggers in `st` and clears them from its config.
 * @throws GoshError located at the FROM line, with the trigger in a note
 */
export function dispatchOnbuildTriggers(st: StageState, target: TriggerTarget, ctx: DispatchContext): StageState {
  let next = st;
  for (const trigger of st.image.config.OnBuild ?? []) {
    const at = { file: ctx.file.name, range: target.fromRange };
    const note = { message: `in the base image's ONBUILD trigger ${JSON.stringify(trigger)}` };
    try {
      const ins = parseTrigger(trigger, ctx.file.name);
      if (ins.kind === 'from') fail('DOCKERFILE_SYNTAX', 'FROM isn\'t allowed as an ONBUILD trigger', at);
      next = dispatchInstruction(next, ins, { ...ctx, mountFrom: triggerMountFrom(ins, target.stages, ctx) }, triggerSource(next, ins, target, ctx));
    } catch (e) {
      if (!(e instanceof GoshError)) throw e;
      // trigger ranges are lines of the trigger text, not of this Dockerfile
      const moved = e.diagnostics.map((d): Diagnostic => ({ ...d, file: at.file, range: at.range, notes: [...(d.notes ?? []), note] }));
      throw new GoshError(moved, { cause: e });
    }
  }
  return { ...next, image: withConfig(next.image, { OnBuild: null }) };
}

/**
 * What a trigger's COPY reads: the context, or a stage of this Dockerfile that is already built
 * (or the current one). Unlike the file's own `COPY --from`, a trigger cannot make BuildKit build
 * a stage or pull an image first.
 */
function triggerSource(st: StageState, ins: StageInstruction, target: TriggerTarget, ctx: DispatchContext): CopySource {
  if (ins.kind !== 'copy' || ins.from === undefined) return { output: ctx.context, isContext: true };
  const from = ins.from;
  let index: number | undefined;
  if (/^[+-]?\d+$/.test(from)) {
    index = Number(from);
    if (index < 0 || index >= target.stages.length) fail('DOCKERFILE_UNKNOWN_STAGE', `COPY: invalid stage index ${from}`, { file: ctx.file.name, range: ins.range });
  } else {
    index = target.stages.find((s) => s.name === from.toLowerCase())?.index;
  }
  const source = index === st.index ? st : index !== undefined ? ctx.stages.get(index) : undefined;
  if (source === undefined) {
    fail('DOCKERFILE_UNKNOWN_STAGE', `COPY: cannot copy from stage "${from}", it needs to be defined before current stage "${st.name}"`, {
      file: ctx.file.name,
      range: ins.range,
    });
  }
  return { output: source.llb.output, isContext: false };
}

/** `RUN --mount from=` in a trigger may name a stage that is already built, nothing else. */
function triggerMountFrom(ins: StageInstruction, stages: readonly Stage[], ctx: DispatchContext): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  if (ins.kind !== 'run') return map;
  for (const raw of ins.mounts) {
    const parsed = parseRunMount(raw);
    const from = parsed.ok ? parsed.mount.from : undefined;
    if (from === undefined) continue;
    const stage = stages.find((s) => s.name === from.toLowerCase());
    if (stage !== undefined && ctx.stages.has(stage.index)) map.set(from, stage.index);
  }
  return map;
}
