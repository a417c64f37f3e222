// Stages and the references between them, with BuildKit v0.13.2's rules
// (frontend/dockerfile/dockerfile2llb/convert.go): `FROM name` sees only earlier stages and
// matches the name exactly; `COPY --from` takes a stage index or a case-insensitive name;
// `RUN --mount from=` a case-insensitive name; anything else is an image reference. The target
// (default: the last stage) decides which stages are built.
import { type Diagnostic, type DiagnosticNote, GoshError, sortDiagnostics } from '../core/errors.js';
import { blankBaseName, stageCycle, stageIndexOutOfRange, stageNotDefinedYet, targetNotFound } from './errors.js';
import type { Dockerfile, Stage, StageInstruction } from './instructions.js';
import { parseRunMount } from './run-mount.js';
import { suggestClosest } from './suggest.js';

export type StageSource =
  | { readonly kind: 'stage'; readonly stage: Stage }
  /** an image reference as written (after expansion for FROM), "scratch" included */
  | { readonly kind: 'image'; readonly ref: string };

export interface StageReference {
  readonly instruction: StageInstruction;
  /** `--from` of COPY, or the `from=` of the n-th `--mount` of RUN */
  readonly via: 'copy-from' | 'mount-from';
  /** for mount-from: index of the mount in RunInstruction.mounts */
  readonly mountIndex?: number;
  readonly source: StageSource;
}

export interface StagePlan {
  readonly target: Stage;
  /** stages the target needs (itself included), in file order — the order to build them */
  readonly reachable: readonly Stage[];
  /** what each stage starts from, by stage index */
  readonly bases: readonly StageSource[];
  /** every COPY --from / RUN --mount from= of each stage, by stage index */
  readonly references: readonly (readonly StageReference[])[];
}

export interface StagePlanOptions {
  /** the `target` build option; the last stage when absent or empty */
  readonly target?: string;
  /**
   * FROM names after expanding meta ARGs, by stage index (the caller expands, since build-arg
   * values live there); the raw names are used when absent.
   */
  readonly baseNames?: readonly string[];
}

/** A stage by `AS` name, ignoring case; the last one wins when a name repeats (as in BuildKit). */
export function findStageByName(dockerfile: Dockerfile, name: string): Stage | undefined {
  const wanted = name.toLowerCase();
  let found: Stage | undefined;
  for (const stage of dockerfile.stages) if (stage.name === wanted) found = stage;
  return found;
}

/**
 * `FROM <name>` as BuildKit resolves it: the latest earlier stage whose name equals the
 * (expanded) name exactly — stage names are stored lowercase, so `FROM Builder` is an image.
 */
export function resolveBaseName(dockerfile: Dockerfile, stageIndex: number, name: string): StageSource {
  let found: Stage | undefined;
  for (const stage of dockerfile.stages.slice(0, stageIndex)) if (stage.name === name) found = stage;
  return found !== undefined ? { kind: 'stage', stage: found } : { kind: 'image', ref: name };
}

/** Go's strconv.Atoi: optional sign and decimal digits. */
const STAGE_INDEX = /^[+-]?[0-9]+$/;

/**
 * `COPY --from=<value>`: a number is a stage index (it must exist), otherwise a stage name
 * (any case), otherwise an image reference.
 * @throws GoshError DOCKERFILE_UNKNOWN_STAGE for an index outside the file's stages
 */
export function resolveCopyFrom(dockerfile: Dockerfile, value: string, instruction?: StageInstruction): StageSource {
  if (STAGE_INDEX.test(value)) {
    const index = Number(value);
    const stage = dockerfile.stages[index];
    if (!Number.isSafeInteger(index) || stage === undefined) {
      throw new GoshError(stageIndexOutOfRange(value, dockerfile.stages.length, whereOf(dockerfile, instruction)));
    }
    return { kind: 'stage', stage };
  }
  const stage = findStageByName(dockerfile, value);
  return stage !== undefined ? { kind: 'stage', stage } : { kind: 'image', ref: value };
}

/** `RUN --mount from=<value>`: a stage name (any case) or an image; numbers are not indexes. */
export function resolveMountFrom(dockerfile: Dockerfile, value: string): StageSource {
  const stage = findStageByName(dockerfile, value);
  return stage !== undefined ? { kind: 'stage', stage } : { kind: 'image', ref: value };
}

/**
 * The target stage: by name (any case), or the last stage.
 * @throws GoshError DOCKERFILE_UNKNOWN_STAGE
 */
export function selectTarget(dockerfile: Dockerfile, target?: string): Stage {
  if (target === undefined || target === '') {
    const last = dockerfile.stages[dockerfile.stages.length - 1];
    if (last === undefined) throw new GoshError(targetNotFound('', []));
    return last;
  }
  const stage = findStageByName(dockerfile, target);
  if (stage === undefined) throw new GoshError(targetNotFound(target, stageNames(dockerfile)));
  return stage;
}

/** A stage name close to `name`, for "did you mean" on an image that failed to resolve. */
export function similarStageName(dockerfile: Dockerfile, name: string): string | undefined {
  return suggestClosest(name, stageNames(dockerfile), true);
}

/**
 * Resolves every stage reference, picks the target and the stages it needs, and checks the
 * graph: an out-of-range `--from` index or a cycle anywhere is an error (BuildKit checks all
 * stages), a reference to a later stage only when a needed stage makes it.
 * @throws GoshError DOCKERFILE_UNKNOWN_STAGE, DOCKERFILE_STAGE_CYCLE
 */
export function planStages(dockerfile: Dockerfile, options: StagePlanOptions = {}): StagePlan {
  const diagnostics: Diagnostic[] = [];
  const bases = dockerfile.stages.map((stage) =>
    resolveBaseName(dockerfile, stage.index, options.baseNames?.[stage.index] ?? stage.from.image),
  );
  for (const stage of dockerfile.stages) {
    if (options.baseNames?.[stage.index] === '') {
      diagnostics.push(blankBaseName(stage.from.image, { file: dockerfile.file.name, range: stage.from.range }));
    }
  }
  const references = dockerfile.stages.map((stage) => collectReferences(dockerfile, stage, diagnostics));
  if (diagnostics.length > 0) throw new GoshError(sortDiagnostics(diagnostics));

  const cycle = findCycle(dockerfile, references);
  if (cycle !== undefined) throw new GoshError(cycle);

  const target = selectTarget(dockerfile, options.target);
  const needed = new Set<number>();
  const visit = (index: number): void => {
    if (needed.has(index)) return;
    needed.add(index);
    const base = bases[index];
    if (base?.kind === 'stage') visit(base.stage.index);
    for (const ref of references[index] ?? []) if (ref.source.kind === 'stage') visit(ref.source.stage.index);
  };
  visit(target.index);
  const reachable = dockerfile.stages.filter((s) => needed.has(s.index));

  // BuildKit builds stages in file order, so a needed stage can use only earlier ones
  for (const stage of reachable) {
    for (const ref of references[stage.index] ?? []) {
      if (ref.source.kind === 'stage' && ref.source.stage.index > stage.index) {
        diagnostics.push(
          stageNotDefinedYet(displayName(ref.source.stage), displayName(stage), whereOf(dockerfile, ref.instruction)),
        );
      }
    }
  }
  if (diagnostics.length > 0) throw new GoshError(sortDiagnostics(diagnostics));
  return { target, reachable, bases, references };
}

function collectReferences(dockerfile: Dockerfile, stage: Stage, diagnostics: Diagnostic[]): StageReference[] {
  const refs: StageReference[] = [];
  for (const instruction of stage.instructions) {
    if (instruction.kind === 'copy' && instruction.from !== undefined && instruction.from !== '') {
      try {
        refs.push({
          instruction,
          via: 'copy-from',
          source: resolveCopyFrom(dockerfile, instruction.from, instruction),
        });
      } catch (e) {
        if (!(e instanceof GoshError)) throw e;
        diagnostics.push(...e.diagnostics);
      }
    } else if (instruction.kind === 'run') {
      instruction.mounts.forEach((raw, mountIndex) => {
        const parsed = parseRunMount(raw);
        // parse errors were reported by parseDockerfile; no from means no stage
        if (!parsed.ok || parsed.mount.from === undefined) return;
        refs.push({
          instruction,
          via: 'mount-from',
          mountIndex,
          source: resolveMountFrom(dockerfile, parsed.mount.from),
        });
      });
    }
  }
  return refs;
}

/** BuildKit's validateCircularDependency: a depth-first walk over --from/mount edges. */
function findCycle(dockerfile: Dockerfile, references: readonly (readonly StageReference[])[]): Diagnostic | undefined {
  const visited = new Set<number>();
  const onPath = new Set<number>();
  const walk = (index: number, path: readonly StageReference[]): readonly StageReference[] | undefined => {
    if (visited.has(index)) return undefined;
    visited.add(index);
    onPath.add(index);
    for (const ref of references[index] ?? []) {
      if (ref.source.kind !== 'stage') continue;
      const next = [...path, ref];
      if (onPath.has(ref.source.stage.index)) return next;
      const found = walk(ref.source.stage.index, next);
      if (found !== undefined) return found;
    }
    onPath.delete(index);
    return undefined;
  };
  for (const stage of dockerfile.stages) {
    const path = walk(stage.index, []);
    if (path === undefined) continue;
    const [first, ...rest] = path;
    const notes: DiagnosticNote[] = rest.map((ref) => ({
      message: `then ${ref.instruction.keyword.toUpperCase()} uses stage ${ref.source.kind === 'stage' ? displayName(ref.source.stage) : ''}`,
      file: dockerfile.file.name,
      range: ref.instruction.range,
    }));
    return stageCycle(displayName(stage), whereOf(dockerfile, first?.instruction), notes);
  }
  return undefined;
}

function stageNames(dockerfile: Dockerfile): string[] {
  return dockerfile.stages.flatMap((s) => (s.name !== undefined ? [s.name] : []));
}

/** The name BuildKit shows: the AS name, or "stage-N". */
export function displayName(stage: Stage): string {
  return stage.name ?? `stage-${stage.index}`;
}

function whereOf(
  dockerfile: Dockerfile,
  instruction: StageInstruction | undefined,
): { file: string; range?: StageInstruction['range'] } {
  return instruction === undefined
    ? { file: dockerfile.file.name }
    : { file: dockerfile.file.name, range: instruction.range };
}
