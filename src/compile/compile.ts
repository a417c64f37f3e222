import { fail } from '../core/errors.js';
import type { Digest } from '../core/digest.js';
import { formatPlatform, type Platform } from '../core/platform.js';
import type { BuildOptions } from '../config/build-options.js';
import type { Dockerfile, StageInstruction } from '../dockerfile/instructions.js';
import { imageSource, localSource } from '../llb/source.js';
import { State } from '../llb/state.js';
import { replaceOutput } from '../llb/rewrite.js';
import type { Output } from '../llb/vertex.js';
import { expander } from './expand.js';
import { baseImageConfig, emptyImageConfig, hasNoLayers, parseEnvEntry, withConfig, type ImageConfig } from './image-config.js';
import { imageRequestKey, planBuild, type BuildPlan, type ImageRequest, type PlannedStage } from './plan.js';
import { locate, prefixCommand, type DispatchContext, type StageArg, type StageState } from './stage-state.js';
import { followPaths } from './context-paths.js';
import { dispatchInstruction } from './dispatch/dispatch.js';
import { applyWorkdir } from './dispatch/workdir.js';

/** What the resolver found for one base image (ResolveImageConfig). */
export interface ResolvedImage {
  /** the normalized reference to use, e.g. docker.io/library/busybox:latest */
  readonly ref: string;
  readonly digest?: Digest;
  readonly config?: ImageConfig;
}

export interface ContextSpec {
  readonly sessionId?: string;
  /** .dockerignore patterns */
  readonly excludePatterns: readonly string[];
}

export interface CompileInput {
  readonly dockerfile: Dockerfile;
  readonly options: BuildOptions;
  /** by imageRequestKey(ref, platform) */
  readonly images: ReadonlyMap<string, ResolvedImage>;
  readonly context: ContextSpec;
  /** the worker's platform (BUILDPLATFORM) */
  readonly buildPlatform: Platform;
}

export interface CompileResult {
  readonly state: State;
  readonly image: ImageConfig;
  readonly baseImage?: ImageConfig;
  readonly targetPlatform: Platform;
  readonly plan: BuildPlan;
}

const CONTEXT_NAME = 'context';

/** Computes the build plan first, so the caller knows which images to resolve. */
export function planDockerfile(dockerfile: Dockerfile, options: BuildOptions, buildPlatform: Platform): { plan: BuildPlan; metaArgs: StageArg[]; targetPlatform: Platform } {
  const targetPlatform = options.platforms[0] ?? buildPlatform;
  const metaArgs = resolveMetaArgs(dockerfile, options, buildPlatform, targetPlatform);
  const metaEnv = new Map(metaArgs.map((a) => [a.key, a.value ?? ''] as const));
  const plan = planBuild({
    dockerfile,
    ...(options.target !== undefined ? { target: options.target } : {}),
    targetPlatform,
    metaExpander: expander(metaEnv, dockerfile.directives.escape),
  });
  return { plan, metaArgs, targetPlatform };
}

/** The images planDockerfile says the build needs. */
export function requiredImages(dockerfile: Dockerfile, options: BuildOptions, buildPlatform: Platform): readonly ImageRequest[] {
  return planDockerfile(dockerfile, options, buildPlatform).plan.images;
}

/**
 * Dockerfile → LLB state of the target stage plus its image config. Pure: base images come in
 * resolved, nothing is read or fetched here.
 * @throws GoshError with a Dockerfile location for every user error
 */
export function compileDockerfile(input: CompileInput): CompileResult {
  const { dockerfile, options } = input;
  const { plan, metaArgs, targetPlatform } = planDockerfile(dockerfile, options, input.buildPlatform);
  const contextPlaceholder: Output = {
    vertex: { inputs: [], body: { source: { identifier: 'local://context-placeholder', attrs: {} } }, platformSpecific: false, constraints: {}, caps: [] },
    index: 0,
  };
  refuseNamedContexts(plan, options, dockerfile.file.name);
  const done = new Map<number, StageState>();
  const single = plan.stages.length === 1;
  for (const idx of plan.reachable) {
    const planned = plan.stages[idx] as PlannedStage;
    const ctx: DispatchContext = {
      file: dockerfile.file,
      escape: dockerfile.directives.escape,
      metaArgs,
      buildArgs: options.buildArgs,
      context: contextPlaceholder,
      stages: done,
      multiPlatform: options.multiPlatform,
      networkMode: options.networkMode,
      extraHosts: options.extraHosts,
      hostname: options.hostname,
      shmSizeBytes: options.shmSizeBytes,
      ulimits: options.ulimits,
      cgroupParent: options.cgroupParent,
      epochSeconds: options.sourceDateEpoch,
      cacheMountNamespace: options.cacheMountNamespace ?? '',
    };
    let st = initStage(planned, input, ctx, targetPlatform, single, done);
    for (const ins of planned.stage.instructions) st = dispatchInstruction(st, ins, ctx, sourceFor(ins, planned, plan, done, ctx));
    done.set(idx, st);
  }

  const target = done.get(plan.target) as StageState;
  const allContextPaths = [...done.values()].flatMap((s) => s.contextPaths);
  const context = localSource(CONTEXT_NAME, {
    ...(input.context.sessionId !== undefined ? { sessionId: input.context.sessionId } : {}),
    sharedKeyHint: CONTEXT_NAME,
    excludePatterns: input.context.excludePatterns,
    ...followPathsOption(allContextPaths),
    constraints: { customName: '[internal] load build context' },
  });
  const output = replaceOutput(target.llb.output, contextPlaceholder.vertex, context);

  let image = target.image;
  if (options.labels.size > 0) {
    const labels: Record<string, string> = { ...image.config.Labels };
    for (const [k, v] of options.labels) labels[k] = v;
    image = withConfig(image, { Labels: labels });
  }
  if (options.platforms.length > 0) {
    const { variant: _v, ...rest } = image;
    image = { ...rest, os: targetPlatform.os, architecture: targetPlatform.architecture, ...(targetPlatform.variant !== undefined ? { variant: targetPlatform.variant } : {}) };
  }
  return { state: target.llb.withOutput(output), image, targetPlatform, plan };
}

function followPathsOption(paths: readonly string[]): { followPaths?: string[] } {
  const f = followPaths(paths);
  return f !== undefined ? { followPaths: f } : {};
}

function resolveMetaArgs(dockerfile: Dockerfile, options: BuildOptions, build: Platform, target: Platform): StageArg[] {
  const platformArgs: [string, string][] = [
    ['BUILDPLATFORM', formatPlatform(build)],
    ['BUILDOS', build.os],
    ['BUILDARCH', build.architecture],
    ['BUILDVARIANT', build.variant ?? ''],
    ['TARGETPLATFORM', formatPlatform(target)],
    ['TARGETOS', target.os],
    ['TARGETARCH', target.architecture],
    ['TARGETVARIANT', target.variant ?? ''],
  ];
  const args: StageArg[] = platformArgs.map(([key, value]) => ({ key, value: options.buildArgs.get(key) ?? value }));
  const escape = dockerfile.directives.escape;
  for (const ins of dockerfile.metaArgs) {
    for (const decl of ins.args) {
      const override = options.buildArgs.get(decl.key);
      let value: string | undefined;
      if (override !== undefined) value = override;
      else if (decl.value !== undefined) {
        const env = new Map(args.map((a) => [a.key, a.value ?? ''] as const));
        value = expander(env, escape).word(decl.value, { file: dockerfile.file.name, range: ins.range });
      }
      args.push({ key: decl.key, value });
    }
  }
  return args;
}

function initStage(
  planned: PlannedStage,
  input: CompileInput,
  ctx: DispatchContext,
  targetPlatform: Platform,
  single: boolean,
  done: ReadonlyMap<number, StageState>,
): StageState {
  const { stage, base } = planned;
  const file = input.dockerfile.file.name;
  const platform = planned.platform ?? targetPlatform;
  const counted = stage.instructions.filter((i) => i.kind === 'run' || i.kind === 'copy' || i.kind === 'add' || i.kind === 'workdir').length;
  const noCache = input.options.noCache;
  const ignoreCache = noCache !== undefined && (noCache.size === 0 || (stage.name !== undefined && noCache.has(stage.name)));
  let st: StageState = {
    index: planned.index,
    name: single ? '' : planned.displayName,
    llb: State.scratch().withPlatform(platform),
    image: emptyImageConfig(platform),
    platform,
    args: [],
    cmdSet: false,
    cmdIndex: 0,
    // stages made for COPY --from=<image> print a bare FROM, as BuildKit's unregistered stages do
    cmdTotal: planned.displayName === '' ? 0 : counted + (base.kind === 'image' ? 1 : 0),
    ignoreCache,
    contextPaths: [],
  };
  if (base.kind === 'stage') {
    const from = done.get(base.index);
    if (from === undefined) fail('INTERNAL', `stage ${base.index} was not built before stage ${planned.index}`, { file, range: stage.from.range });
    st = { ...st, llb: from.llb, image: from.image, platform: from.platform };
  } else if (base.kind === 'image') {
    const key = imageRequestKey(refString(base), platform);
    const resolved = input.images.get(key);
    if (resolved === undefined) fail('IMAGE_RESOLVE', `FROM: image ${base.original} was not resolved`, { file, range: stage.from.range });
    const ref = resolved.digest !== undefined && !resolved.ref.includes('@') ? `${resolved.ref}@${resolved.digest}` : resolved.ref;
    const config = resolved.config !== undefined ? baseImageConfig(resolved.config) : emptyImageConfig(platform);
    if ((config.config.OnBuild?.length ?? 0) > 0) {
      fail('DOCKERFILE_UNSUPPORTED', `FROM: ONBUILD triggers of ${base.original} are not supported yet`, { file, range: stage.from.range });
    }
    st = { ...st, image: withConfig(config, { OnBuild: null }) };
    if (resolved.config === undefined || !hasNoLayers(resolved.config)) {
      const named = prefixCommand(st, `FROM ${ref}`, ctx);
      st = named.stage;
      const src = imageSource(ref, {
        platform,
        resolveMode: input.options.imageResolveMode,
        constraints: {
          customName: named.name,
          description: { 'com.docker.dockerfile.v1.command': stage.from.original },
          ...locate(ctx, stage.from.range),
        },
      });
      st = { ...st, llb: st.llb.withOutput(src) };
    }
  }
  st = { ...st, llb: st.llb.withEnvPairs((st.image.config.Env ?? []).map(parseEnvEntry)) };
  const wd = st.image.config.WorkingDir;
  if (wd !== undefined && wd !== '') st = applyWorkdir(st, wd);
  const user = st.image.config.User;
  if (user !== undefined && user !== '') st = { ...st, llb: st.llb.withUser(user) };
  const net = input.options.networkMode;
  st = { ...st, llb: st.llb.withNetwork(net === 'sandbox' ? undefined : net) };
  return st;
}

function refString(base: Extract<PlannedStage['base'], { kind: 'image' }>): string {
  const r = base.ref;
  return `${r.domain}/${r.path}${r.tag !== undefined ? `:${r.tag}` : ''}${r.digest !== undefined ? `@${r.digest}` : ''}`;
}

function sourceFor(
  ins: StageInstruction,
  planned: PlannedStage,
  plan: BuildPlan,
  done: ReadonlyMap<number, StageState>,
  ctx: DispatchContext,
): { output: Output | undefined; isContext: boolean } {
  if (ins.kind !== 'copy' || ins.from === undefined) return { output: ctx.context, isContext: true };
  const index = plan.copyFrom.get(ins.from);
  const src = index !== undefined ? done.get(index) : undefined;
  if (src === undefined) {
    fail('DOCKERFILE_UNKNOWN_STAGE', `COPY: cannot copy from stage "${ins.from}", it needs to be defined before current stage "${planned.displayName}"`, {
      file: ctx.file.name,
      range: ins.range,
    });
  }
  return { output: src.llb.output, isContext: false };
}

/** Named contexts replace stages and images BuildKit would otherwise build or pull; not yet ours. */
function refuseNamedContexts(plan: BuildPlan, options: BuildOptions, file: string): void {
  if (options.namedContexts.size === 0) return;
  for (const idx of plan.reachable) {
    const st = plan.stages[idx] as PlannedStage;
    const names = [st.stage.name, st.base.kind === 'image' ? st.base.original : undefined, st.base.kind === 'image' ? refString(st.base) : undefined];
    for (const name of names) {
      if (name !== undefined && options.namedContexts.has(name)) {
        fail('DOCKERFILE_UNSUPPORTED', `named context "${name}" (--build-context) is not supported yet`, { file, range: st.stage.from.range });
      }
    }
  }
}
