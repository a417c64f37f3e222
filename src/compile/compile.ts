import { fail } from '../core/errors.js';
import type { Digest } from '../core/digest.js';
import { formatPlatform, type Platform } from '../core/platform.js';
import type { BuildOptions } from '../config/build-options.js';
import type { LockMode } from '../lock/model.js';
import type { Dockerfile, StageInstruction } from '../dockerfile/instructions.js';
import { imageSource, localSource } from '../llb/source.js';
import { State } from '../llb/state.js';
import { replaceOutput } from '../llb/rewrite.js';
import type { Output } from '../llb/vertex.js';
import { expander } from './expand.js';
import { baseImageConfig, DEFAULT_PATH_ENV, emptyImageConfig, hasNoLayers, parseEnvEntry, withConfig, type ImageConfig } from './image-config.js';
import { imageRequestKey, planBuild, type BuildPlan, type ImageRequest, type PlannedStage } from './plan.js';
import { locate, prefixCommand, type DispatchContext, type StageArg, type StageState } from './stage-state.js';
import { followPaths } from './context-paths.js';
import { dispatchInstruction } from './dispatch/dispatch.js';
import { dispatchOnbuildTriggers } from './dispatch/onbuild.js';
import { applyWorkdir } from './dispatch/workdir.js';
import { dockerfileWarnings, type BuildWarning } from './warnings.js';
import type { PreparedDependencies } from '../deps/prepare.js';
import { checkPolicyStages } from './policy-stages.js';
import { namedContextUses, type NamedContextData, type NamedContextRequest, type NamedContextUse } from './named-context.js';
import { localPlaceholder, namedContextBase, resolveLocalContexts, type NamedContextEnv } from './named-context-state.js';

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
  /** a context that is not the client's directory (git, http, a frontend input): used as is */
  readonly remote?: { readonly output: Output | undefined };
}

export interface CompileInput {
  readonly dockerfile: Dockerfile;
  readonly options: BuildOptions;
  /** by imageRequestKey(ref, platform) */
  readonly images: ReadonlyMap<string, ResolvedImage>;
  readonly context: ContextSpec;
  /** the worker's platform (BUILDPLATFORM) */
  readonly buildPlatform: Platform;
  /** the platform this compile builds for; default the first `platform` option, else implicit */
  readonly targetPlatform?: Platform;
  /** what frontend/ fetched for requiredNamedContexts(), by NamedContextRequest.key */
  readonly namedContexts?: ReadonlyMap<string, NamedContextData>;
  /**
   * the lock mode the build runs in (Gosh.yaml `mode:` / GOSH_MODE / lock present); it decides
   * RUN network policy and dependency mounts. Absent: plain BuildKit semantics, no lock policy.
   */
  readonly lockMode?: LockMode;
  /** offline dependency trees from Gosh.yaml prepare: (deps/prepare.ts); RUN steps mount them */
  readonly dependencies?: PreparedDependencies;
  /** Gosh.yaml policy.network: stage name (or index) → why its RUN steps keep network in prod */
  readonly networkExceptions?: ReadonlyMap<string, string>;
}

export interface CompileResult {
  readonly state: State;
  readonly image: ImageConfig;
  readonly baseImage?: ImageConfig;
  readonly targetPlatform: Platform;
  readonly plan: BuildPlan;
  /** every instruction of the reachable stages as dispatched, in build order (for the outline) */
  readonly steps: readonly DispatchStep[];
  readonly warnings: readonly BuildWarning[];
}

/** One dispatched instruction with its stage just before and just after it. */
export interface DispatchStep {
  readonly stageIndex: number;
  readonly instruction: StageInstruction;
  readonly before: StageState;
  readonly after: StageState;
}

const CONTEXT_NAME = 'context';

/**
 * Computes the build plan first, so the caller knows which images to resolve. Without an
 * explicit target platform the worker's is used and the image keeps its base's platform.
 */
export function planDockerfile(
  dockerfile: Dockerfile,
  options: BuildOptions,
  buildPlatform: Platform,
  explicitTarget: Platform | undefined = options.platforms[0],
): { plan: BuildPlan; metaArgs: StageArg[]; targetPlatform: Platform } {
  const targetPlatform = explicitTarget ?? buildPlatform;
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

/** The base images the build resolves: the plan's, less the ones named contexts stand in for. */
export function requiredImages(dockerfile: Dockerfile, options: BuildOptions, buildPlatform: Platform, explicitTarget: Platform | undefined = options.platforms[0]): readonly ImageRequest[] {
  const { plan, targetPlatform } = planDockerfile(dockerfile, options, buildPlatform, explicitTarget);
  const uses = contextUses(plan, dockerfile, options, buildPlatform, explicitTarget, targetPlatform);
  if (uses.size === 0) return plan.images;
  const keys = new Set<string>();
  for (const idx of plan.reachable) {
    const st = plan.stages[idx] as PlannedStage;
    if (st.base.kind === 'image' && !uses.has(idx)) keys.add(imageRequestKey(refString(st.base), st.platform ?? targetPlatform));
  }
  return plan.images.filter((r) => keys.has(imageRequestKey(r.ref, r.platform)));
}

/** The named contexts the build reads, each once, for frontend/ to fetch before compiling. */
export function requiredNamedContexts(dockerfile: Dockerfile, options: BuildOptions, buildPlatform: Platform, explicitTarget: Platform | undefined = options.platforms[0]): NamedContextRequest[] {
  const { plan, targetPlatform } = planDockerfile(dockerfile, options, buildPlatform, explicitTarget);
  const byKey = new Map<string, NamedContextRequest>();
  for (const use of contextUses(plan, dockerfile, options, buildPlatform, explicitTarget, targetPlatform).values()) byKey.set(use.request.key, use.request);
  return [...byKey.values()];
}

function contextUses(plan: BuildPlan, dockerfile: Dockerfile, options: BuildOptions, buildPlatform: Platform, explicitTarget: Platform | undefined, targetPlatform: Platform): Map<number, NamedContextUse> {
  const scope = { contexts: options.namedContexts, explicitTarget, targetPlatform, defaultPlatform: buildPlatform, file: dockerfile.file.name };
  return new Map(namedContextUses(plan, dockerfile.stages.length, scope).map((u) => [u.stageIndex, u] as const));
}

/**
 * Dockerfile → LLB state of the target stage plus its image config. Pure: base images come in
 * resolved, nothing is read or fetched here.
 * @throws GoshError with a Dockerfile location for every user error
 */
export function compileDockerfile(input: CompileInput): CompileResult {
  const { dockerfile, options } = input;
  const explicitTarget = input.targetPlatform ?? options.platforms[0];
  const { plan, metaArgs, targetPlatform } = planDockerfile(dockerfile, options, input.buildPlatform, explicitTarget);
  checkPolicyStages(input);
  const contextPlaceholder: Output = {
    vertex: { inputs: [], body: { source: { identifier: 'local://context-placeholder', attrs: {} } }, platformSpecific: false, constraints: {}, caps: [] },
    index: 0,
  };
  const uses = contextUses(plan, dockerfile, options, input.buildPlatform, explicitTarget, targetPlatform);
  const named: NamedContextEnv = { ...(input.context.sessionId !== undefined ? { sessionId: input.context.sessionId } : {}), locals: [] };
  // the raw config of each stage's base image, for containerimage.base.config
  const baseImages = new Map<number, ImageConfig | undefined>();
  const done = new Map<number, StageState>();
  const steps: DispatchStep[] = [];
  const single = plan.singleStage;
  const policyWarnings: BuildWarning[] = [];
  for (const idx of plan.reachable) {
    const planned = plan.stages[idx] as PlannedStage;
    const ctx: DispatchContext = {
      file: dockerfile.file,
      escape: dockerfile.directives.escape,
      metaArgs,
      buildArgs: options.buildArgs,
      context: contextPlaceholder,
      stages: done,
      mountFrom: plan.mountFrom,
      multiPlatform: options.multiPlatform,
      networkMode: options.networkMode,
      extraHosts: options.extraHosts,
      hostname: options.hostname,
      shmSizeBytes: options.shmSizeBytes,
      ulimits: options.ulimits,
      cgroupParent: options.cgroupParent,
      proxyEnv: options.proxyEnv,
      epochSeconds: options.sourceDateEpoch,
      cacheMountNamespace: options.cacheMountNamespace ?? '',
      ...stagePolicy(input, planned, idx, policyWarnings),
    };
    const use = uses.get(idx);
    if (use?.replacesStage === true) {
      // a stage a named context takes over is never dispatched
      done.set(idx, replacedStage(planned, use, input, named, single, targetPlatform));
      continue;
    }
    let st = initStage(planned, input, ctx, targetPlatform, single, done, { use, named, baseImages });
    // the stages BuildKit makes for `COPY --from=<image>` are never dispatched: no triggers
    if (planned.index < dockerfile.stages.length) {
      st = dispatchOnbuildTriggers(st, { fromRange: planned.stage.from.range, stages: dockerfile.stages }, ctx);
    }
    for (const ins of planned.stage.instructions) {
      const before = st;
      st = dispatchInstruction(st, ins, ctx, sourceFor(ins, planned, plan, done, ctx, named));
      steps.push({ stageIndex: idx, instruction: ins, before, after: st });
    }
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
  const withContext = replaceOutput(target.llb.output, contextPlaceholder.vertex, input.context.remote !== undefined ? input.context.remote.output : context);
  const output = resolveLocalContexts(withContext, named.locals, input.context.sessionId);

  let image = target.image;
  if (options.labels.size > 0) {
    const labels: Record<string, string> = { ...image.config.Labels };
    for (const [k, v] of options.labels) labels[k] = v;
    image = withConfig(image, { Labels: labels });
  }
  if (explicitTarget !== undefined) {
    const { variant: _v, ...rest } = image;
    image = { ...rest, os: targetPlatform.os, architecture: targetPlatform.architecture, ...(targetPlatform.variant !== undefined ? { variant: targetPlatform.variant } : {}) };
  }
  const baseImage = baseImages.get(plan.target);
  // ops that name no platform (those of FROM scratch stages) get the target's, as in BuildKit
  const state = target.llb.withOutput(output).withPlatform(targetPlatform);
  const warnings = [...dockerfileWarnings(dockerfile), ...policyWarnings];
  return { state, image, ...(baseImage !== undefined ? { baseImage } : {}), targetPlatform, plan, steps, warnings };
}

/** A stage's dependency mounts, lock mode and network exception (issue #6); nothing without them. */
function stagePolicy(input: CompileInput, planned: PlannedStage, index: number, warnings: BuildWarning[]): Partial<DispatchContext> {
  const name = planned.stage.name;
  const runCommands = planned.stage.instructions.flatMap((i) => (i.kind === 'run' ? [i.original] : []));
  const mounts = input.dependencies?.mountsForStage({ ...(name !== undefined ? { name } : {}), index, runCommands }) ?? [];
  const exception = [...(input.networkExceptions ?? [])].find(([stage]) => stage === String(index) || stage.toLowerCase() === name?.toLowerCase())?.[1];
  return {
    ...(mounts.length > 0 ? { dependencyMounts: mounts } : {}),
    ...(input.lockMode !== undefined ? { lockMode: input.lockMode, warn: (w: BuildWarning) => warnings.push(w) } : {}),
    ...(exception !== undefined ? { networkException: exception } : {}),
  };
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

interface StageInit {
  /** the named context standing in for the stage's base image */
  readonly use: NamedContextUse | undefined;
  readonly named: NamedContextEnv;
  readonly baseImages: Map<number, ImageConfig | undefined>;
}

function initStage(
  planned: PlannedStage,
  input: CompileInput,
  ctx: DispatchContext,
  targetPlatform: Platform,
  single: boolean,
  done: ReadonlyMap<number, StageState>,
  init: StageInit,
): StageState {
  const { stage, base } = planned;
  const file = input.dockerfile.file.name;
  // FROM --platform does not apply to scratch: BuildKit builds it for the target platform
  const platform = base.kind === 'scratch' ? targetPlatform : (planned.platform ?? targetPlatform);
  const counted = stage.instructions.filter((i) => i.kind === 'run' || i.kind === 'copy' || i.kind === 'add' || i.kind === 'workdir').length;
  const noCache = input.options.noCache;
  // dockerui's IsNoCache: stage names ignoring case; the stages made for --from never
  const isFileStage = planned.index < input.dockerfile.stages.length;
  const ignoreCache = isFileStage && noCache !== undefined && (noCache.size === 0 || noCache.has(stage.name ?? ''));
  let st: StageState = {
    index: planned.index,
    name: single ? '' : planned.displayName,
    llb: base.kind === 'scratch' ? State.scratch() : State.scratch().withPlatform(platform),
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
    st = { ...st, llb: from.llb, image: withDefaultPath(from.image), platform: from.platform };
    init.baseImages.set(planned.index, init.baseImages.get(base.index));
  } else if (base.kind === 'image' && init.use !== undefined) {
    // a named context stands in for the image; no FROM step, no base config for the exporter
    const data = input.namedContexts?.get(init.use.request.key);
    const ctxBase = namedContextBase(init.use.request, data, init.named);
    st = {
      ...st,
      llb: State.from(ctxBase.output).withPlatform(platform),
      image: ctxBase.image !== undefined ? withDefaultPath(ctxBase.image) : emptyImageConfig(targetPlatform),
    };
  } else if (base.kind === 'image') {
    const key = imageRequestKey(refString(base), platform);
    const resolved = input.images.get(key);
    if (resolved === undefined) fail('IMAGE_RESOLVE', `FROM: image ${base.original} was not resolved`, { file, range: stage.from.range });
    const ref = resolved.digest !== undefined && !resolved.ref.includes('@') ? `${resolved.ref}@${resolved.digest}` : resolved.ref;
    const config = resolved.config !== undefined ? baseImageConfig(resolved.config) : emptyImageConfig(platform);
    // its ONBUILD triggers stay in the config until dispatchOnbuildTriggers runs them
    st = { ...st, image: config };
    init.baseImages.set(planned.index, resolved.config);
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

/**
 * A stage a named context replaces by its AS name: the context's filesystem and config as they
 * come (Go's zero image config when it has none); later stages start from it.
 */
function replacedStage(planned: PlannedStage, use: NamedContextUse, input: CompileInput, named: NamedContextEnv, single: boolean, targetPlatform: Platform): StageState {
  const base = namedContextBase(use.request, input.namedContexts?.get(use.request.key), named);
  const image = base.image ?? { architecture: '', os: '', rootfs: { type: '' }, config: {} };
  const configPlatform = image.os !== '' && image.architecture !== '' ? { os: image.os, architecture: image.architecture, ...(image.variant !== undefined && image.variant !== '' ? { variant: image.variant } : {}) } : undefined;
  return {
    index: planned.index,
    name: single ? '' : planned.displayName,
    llb: base.state.withOutput(base.output),
    image,
    platform: configPlatform ?? planned.platform ?? targetPlatform,
    args: [],
    cmdSet: false,
    cmdIndex: 0,
    cmdTotal: 0,
    ignoreCache: false,
    contextPaths: [],
  };
}

/** The config a dispatched stage starts from: PATH is always set (dockerfile2llb). */
function withDefaultPath(image: ImageConfig): ImageConfig {
  const env = image.config.Env ?? [];
  if (env.some((e) => parseEnvEntry(e)[0] === 'PATH')) return image;
  return withConfig(image, { Env: [...env, DEFAULT_PATH_ENV] });
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
  named: NamedContextEnv,
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
  // BuildKit makes a new local source for each COPY --from=<local context>, with its own followpaths
  const local = named.locals.find((l) => l.vertex === src.llb.output?.vertex);
  if (local !== undefined && index !== undefined && (plan.stages[index] as PlannedStage).displayName === '') {
    return { output: localPlaceholder(local.request, local.localName, local.excludePatterns, named), isContext: false };
  }
  return { output: src.llb.output, isContext: false };
}
