// The frontend.outline subrequest as data: the build args, secrets and ssh sockets the target
// stage uses, as BuildKit v0.13.2 collects them while it converts the file
// (dockerfile2llb/outline.go, convert.go dispatchArg, convert_secrets.go, convert_ssh.go).
//
// BuildKit's rules, stage by stage:
// - a global ARG counts when a FROM line of the stage expands it, or when an ARG of the stage
//   without value imports it; a global ARG whose default expands other globals pulls them in;
// - an ARG of the stage counts with its own definition, unless it only imports a global one;
// - a secret or ssh id counts from the first RUN --mount of the stage that names it;
// then the target's own, its base stage's and those of every stage it copies or mounts from,
// recursively, the first one found for a name winning. Each list is sorted by line.
import type { SourceRange } from '../core/source.js';
import type { Platform } from '../core/platform.js';
import type { BuildOptions } from '../config/build-options.js';
import { docComment, type InstructionComments } from '../dockerfile/comments.js';
import type { Dockerfile, RunInstruction } from '../dockerfile/instructions.js';
import { parseRunMount } from '../dockerfile/run-mount.js';
import { planDockerfile, type CompileResult } from './compile.js';
import { goPathBase } from './dispatch/run-go-path.js';
import { envMap, expander, type Where } from './expand.js';
import type { PlannedStage } from './plan.js';

export interface OutlineArg {
  readonly name: string;
  readonly description: string;
  /** '' when the ARG has no value */
  readonly value: string;
  /** the ARG instruction that defines it */
  readonly range: SourceRange;
}

export interface OutlineMount {
  /** secret or ssh id */
  readonly name: string;
  readonly required: boolean;
  /** the RUN instruction */
  readonly range: SourceRange;
}

export interface Outline {
  /** the target stage's name; '' when it has none */
  readonly name: string;
  readonly description: string;
  readonly args: readonly OutlineArg[];
  readonly secrets: readonly OutlineMount[];
  readonly ssh: readonly OutlineMount[];
}

export interface OutlineInput {
  readonly dockerfile: Dockerfile;
  /** the options the build was compiled with */
  readonly options: BuildOptions;
  readonly buildPlatform: Platform;
  readonly compiled: CompileResult;
  readonly comments: InstructionComments;
}

interface ArgInfo extends OutlineArg {
  /** global ARGs its default expanded */
  readonly deps: ReadonlySet<string>;
  /** declaration order, to keep ARGs of one line in file order */
  readonly order: number;
}

/** What one stage contributes, before its base and dependencies are added. */
interface StageCapture {
  readonly args: ReadonlyMap<string, ArgInfo>;
  readonly used: ReadonlySet<string>;
  readonly secrets: ReadonlyMap<string, OutlineMount>;
  readonly ssh: ReadonlyMap<string, OutlineMount>;
  readonly base: number | undefined;
  /** stages it copies or mounts from, in file order */
  readonly deps: readonly number[];
}

/** The outline of the target stage the build was compiled for. Pure. */
export function outlineBuild(input: OutlineInput): Outline {
  const { compiled } = input;
  const plan = compiled.plan;
  const globals = globalArgs(input);
  const captures = new Map<number, StageCapture>();
  for (const idx of plan.reachable) captures.set(idx, captureStage(plan.stages[idx] as PlannedStage, globals, input));

  const order = (stage: number, collect: (c: StageCapture) => void): void => {
    const seen = new Set<number>();
    const visit = (idx: number): void => {
      const capture = captures.get(idx);
      if (capture === undefined || seen.has(idx)) return;
      seen.add(idx);
      collect(capture);
      if (capture.base !== undefined) visit(capture.base);
      for (const dep of capture.deps) visit(dep);
    };
    visit(stage);
  };

  const args = new Map<string, ArgInfo>();
  order(plan.target, (c) => {
    for (const key of withDependencies(c.used, c.args)) {
      const info = c.args.get(key);
      if (info !== undefined && !args.has(key)) args.set(key, info);
    }
  });
  const mounts = (pick: (c: StageCapture) => ReadonlyMap<string, OutlineMount>): OutlineMount[] => {
    const found = new Map<string, OutlineMount>();
    order(plan.target, (c) => {
      for (const [id, m] of pick(c)) if (!found.has(id)) found.set(id, m);
    });
    return [...found.values()].sort((a, b) => a.range.startLine - b.range.startLine);
  };

  const target = (plan.stages[plan.target] as PlannedStage).stage;
  const name = target.name ?? '';
  return {
    name,
    description: docComment(input.comments.get(target.from.range.startLine), name),
    args: [...args.values()]
      .sort((a, b) => a.range.startLine - b.range.startLine || a.order - b.order)
      .map(({ name: n, description, value, range }) => ({ name: n, description, value, range })),
    secrets: mounts((c) => c.secrets),
    ssh: mounts((c) => c.ssh),
  };
}

interface Globals {
  readonly infos: ReadonlyMap<string, ArgInfo>;
  /** every global ARG (platform ARGs first) → value, for FROM lines */
  readonly env: ReadonlyMap<string, string>;
}

/** The ARGs before the first FROM, with the globals each default expanded (BuildKit's deps). */
function globalArgs(input: OutlineInput): Globals {
  const { dockerfile, options } = input;
  const { metaArgs } = planDockerfile(dockerfile, options, input.buildPlatform);
  const declared = dockerfile.metaArgs.reduce((n, ins) => n + ins.args.length, 0);
  // planDockerfile lists the platform ARGs first, then one entry per declaration
  const env = new Map(metaArgs.slice(0, metaArgs.length - declared).map((a) => [a.key, a.value ?? ''] as const));
  const infos = new Map<string, ArgInfo>();
  let order = 0;
  for (const ins of dockerfile.metaArgs) {
    const where: Where = { file: dockerfile.file.name, range: ins.range };
    for (const decl of ins.args) {
      let value = options.buildArgs.get(decl.key);
      let deps: ReadonlySet<string> = new Set();
      if (value === undefined && decl.value !== undefined) {
        ({ word: value, used: deps } = expander(env, dockerfile.directives.escape).wordWithUses(decl.value, where));
      }
      env.set(decl.key, value ?? '');
      infos.set(decl.key, {
        name: decl.key,
        description: docComment(input.comments.get(ins.range.startLine), decl.key),
        value: value ?? '',
        range: ins.range,
        deps,
        order: order++,
      });
    }
  }
  return { infos, env };
}

function captureStage(planned: PlannedStage, globals: Globals, input: OutlineInput): StageCapture {
  const { dockerfile, compiled, options } = input;
  const plan = compiled.plan;
  const file = dockerfile.file.name;
  const escape = dockerfile.directives.escape;
  const args = new Map(globals.infos);
  const used = new Set<string>();
  const secrets = new Map<string, OutlineMount>();
  const ssh = new Map<string, OutlineMount>();
  const deps: number[] = [];
  const addDep = (idx: number | undefined): void => {
    if (idx !== undefined && !deps.includes(idx)) deps.push(idx);
  };
  // stages BuildKit makes for `COPY --from=<image>` have nothing to report
  if (planned.index >= dockerfile.stages.length) {
    return { args: new Map(), used, secrets, ssh, base: undefined, deps };
  }

  const from = planned.stage.from;
  const metaExpander = expander(globals.env, escape);
  for (const word of [from.image, from.platform]) {
    if (word === undefined) continue;
    for (const name of metaExpander.wordWithUses(word, { file, range: from.range }).used) used.add(name);
  }

  let order = globals.infos.size;
  for (const step of compiled.steps) {
    if (step.stageIndex !== planned.index) continue;
    const ins = step.instruction;
    if (ins.kind === 'arg') {
      const added = step.after.args.slice(step.before.args.length);
      ins.args.forEach((decl, i) => {
        const arg = added[i];
        if (arg === undefined) return;
        used.add(arg.key);
        // a bare ARG naming a global one only imports it: the global definition stays
        const imports = decl.value === undefined && !options.buildArgs.has(arg.key) && isGlobal(arg.key, globals);
        if (imports) return;
        args.set(arg.key, {
          name: arg.key,
          description: docComment(input.comments.get(ins.range.startLine), decl.key),
          value: arg.value ?? '',
          range: ins.range,
          deps: new Set(),
          order: order++,
        });
      });
    } else if (ins.kind === 'run') {
      captureMounts(ins, step.before.llb.env, { secrets, ssh }, input);
      for (const raw of ins.mounts) {
        const parsed = parseRunMount(raw);
        if (parsed.ok && parsed.mount.from !== undefined) addDep(plan.mountFrom.get(parsed.mount.from));
      }
    } else if (ins.kind === 'copy' && ins.from !== undefined) {
      addDep(plan.copyFrom.get(ins.from));
    }
  }
  const base = planned.base.kind === 'stage' ? planned.base.index : undefined;
  return { args, used, secrets, ssh, base, deps: deps.sort((a, b) => a - b) };
}

/** Platform ARGs (BUILDPLATFORM, TARGETOS…) are global too, though never reported. */
function isGlobal(key: string, globals: Globals): boolean {
  return globals.env.has(key);
}

/** Secret and ssh ids of one RUN, with its values expanded in the stage env before it. */
function captureMounts(
  ins: RunInstruction,
  env: Parameters<typeof envMap>[0],
  into: { secrets: Map<string, OutlineMount>; ssh: Map<string, OutlineMount> },
  input: OutlineInput,
): void {
  const where: Where = { file: input.dockerfile.file.name, range: ins.range };
  const ex = expander(envMap(env), input.dockerfile.directives.escape);
  for (const raw of ins.mounts) {
    // the compile accepted these mounts, so they parse
    const parsed = parseRunMount(raw, (value) => ex.word(value, where));
    if (!parsed.ok) continue;
    const m = parsed.mount;
    if (m.type === 'secret') {
      const id = m.source ?? m.id ?? (m.target !== undefined ? goPathBase(m.target) : undefined);
      if (id !== undefined && !into.secrets.has(id)) into.secrets.set(id, { name: id, required: m.required, range: ins.range });
    } else if (m.type === 'ssh') {
      const id = m.id ?? 'default';
      if (!into.ssh.has(id)) into.ssh.set(id, { name: id, required: m.required, range: ins.range });
    }
  }
}

/** The names used plus the globals their defaults expanded, transitively. */
function withDependencies(used: ReadonlySet<string>, args: ReadonlyMap<string, ArgInfo>): Set<string> {
  const out = new Set<string>();
  const visit = (key: string): void => {
    if (out.has(key)) return;
    out.add(key);
    for (const dep of args.get(key)?.deps ?? []) visit(dep);
  };
  for (const key of used) visit(key);
  return out;
}
