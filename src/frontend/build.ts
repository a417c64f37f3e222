import type { Logger } from 'pino';
import { LINUX_AMD64, normalizePlatform, type Platform } from '../core/platform.js';
import { parseBuildOptions, type BuildOptions } from '../config/build-options.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { compileDockerfile, requiredImages, requiredNamedContexts, type ResolvedImage } from '../compile/compile.js';
import { imageRequestKey } from '../compile/plan.js';
import type { GatewayClient } from '../gateway/client.js';
import type { GatewayInfo, ReturnResult } from '../gateway/client-types.js';
import type { RpcStatus } from '../gateway/rpc-status.js';
import { readBuildInputs, type BuildInputs } from './inputs.js';
import { readDependencyInputs } from './deps-inputs.js';
import { recordDependencySha256 } from './deps-sha256.js';
import { dependencyMounts, type PreparedDependencies } from '../deps/prepare.js';
import { parseGoshYaml } from '../config/gosh-yaml.js';
import { resolveImageThroughGateway } from './gateway-resolver.js';
import { failImageResolve } from './resolve-error.js';
import { buildResult, type PlatformImage } from './result.js';
import { NamedContextFetcher } from './named-contexts.js';
import { captureBuiltinLlb, DEBUG_BUILD_ARG, DEBUG_BUILTIN_LLB, DEBUG_LLB_PAIR } from './builtin-capture.js';
import type { CompiledBuild } from './subrequests.js';
import { sendWarnings } from './warnings.js';
import { loadLockSetup, wantsSbomAttestation } from './lock-setup.js';
import { runLockedBuild, type PinnedInputs } from './lock-build.js';

export interface BuildEnv {
  readonly client: GatewayClient;
  readonly info: GatewayInfo;
  readonly frontendOpts: ReadonlyMap<string, string>;
  readonly sessionId: string | undefined;
  readonly log: Logger;
}

/** What the compiler gets from Gosh.yaml's prepare: and policy.network. */
interface CompileDependencies {
  readonly dependencies?: PreparedDependencies;
  readonly networkExceptions?: ReadonlyMap<string, string>;
}

/** A result, or an error that is not a failure of ours (an unsupported subrequest). */
export type BuildOutcome = { readonly result: ReturnResult } | { readonly error: RpcStatus };

/** Inputs read so far, so a failure can still show the Dockerfile snippet. */
export interface BuildProgress {
  inputs?: BuildInputs;
}

/**
 * One build: options → inputs → parse → resolve base images → compile → solve → result; or,
 * with `requestid`, the answer to a subrequest (subrequests.ts).
 * @throws GoshError for user errors (located where possible), GatewayCallError from BuildKit
 */
export async function runBuild(env: BuildEnv, progress: BuildProgress): Promise<BuildOutcome> {
  if (env.frontendOpts.get(DEBUG_BUILD_ARG) === DEBUG_BUILTIN_LLB) {
    return { result: await captureBuiltinLlb(env.client, env.frontendOpts) };
  }
  const options = parseBuildOptions(env.frontendOpts);
  const inputs = await readBuildInputs({ client: env.client, options, sessionId: env.sessionId, frontendCaps: env.info.frontendCaps });
  progress.inputs = inputs;
  const contexts = new NamedContextFetcher({ client: env.client, options, sessionId: env.sessionId });
  const pairDebug = env.frontendOpts.get(DEBUG_BUILD_ARG) === DEBUG_LLB_PAIR;
  // subrequests and the LLB-pair debug switch stay plain BuildKit: no lock, no SBOM
  const lockSetup = options.requestId === undefined && !pairDebug ? loadLockSetup(inputs, options) : undefined;
  const gosh = lockSetup?.config ?? (inputs.goshYaml !== undefined ? parseGoshYaml(inputs.goshYaml.file) : undefined);
  const read = await readDependencyInputs(env.client, env.sessionId, inputs, gosh);
  const sets = read.sets.length === 0 ? [] : await recordDependencySha256(env.client, read.sets, lockSetup?.lock?.parsed.lock, lockSetup?.mode);
  const deps: CompileDependencies = {
    ...(read.networkExceptions !== undefined ? { networkExceptions: read.networkExceptions } : {}),
    ...(sets.length > 0 ? { dependencies: dependencyMounts(sets) } : {}),
  };
  const compile = (opts: BuildOptions, targetPlatform?: Platform): Promise<CompiledBuild> => compileInputs(env, opts, inputs, contexts, targetPlatform, deps);
  if (options.requestId !== undefined) {
    const { runSubrequest } = await import('./subrequests.js');
    return runSubrequest(options.requestId, { client: env.client, log: env.log, options, inputs, compile });
  }
  if (lockSetup !== undefined || (!pairDebug && wantsSbomAttestation(options))) {
    const result = await runLockedBuild({
      client: env.client,
      log: env.log,
      options,
      inputs,
      setup: lockSetup,
      buildPlatform: workerPlatform(env.info),
      dependencySets: sets,
      compile: (opts, targetPlatform, pinned) => compileInputs(env, opts, inputs, contexts, targetPlatform, deps, pinned),
      defaultPlatform: frontendPlatform(),
    });
    return { result };
  }
  // one compile and solve per target platform, in parallel, as dockerui's Build does
  const targets: readonly (Platform | undefined)[] = options.platforms.length > 0 ? options.platforms : [undefined];
  const built = await Promise.all(
    targets.map(async (target, i) => {
      const { compiled } = await compile(options, target);
      // only the first platform reports the Dockerfile's warnings
      if (i === 0) await sendWarnings(env.client, inputs, compiled.warnings, env.log);
      const definition = compiled.state.marshal();
      env.log.debug({ ops: definition.def.length, platform: target }, 'compiled');
      if (pairDebug) return { definition };
      const solved = await env.client.solve({ definition, cacheImports: options.cacheImports });
      const image: PlatformImage = {
        platform: target ?? frontendPlatform(),
        refId: solved.ref?.id ?? '',
        image: compiled.image,
        ...(compiled.baseImage !== undefined ? { baseImage: compiled.baseImage } : {}),
      };
      return { definition, image };
    }),
  );
  if (pairDebug) return { result: await captureBuiltinLlb(env.client, env.frontendOpts, built.map((b) => b.definition)) };
  return { result: buildResult(built.map((b) => b.image as PlatformImage), options.multiPlatform) };
}

async function compileInputs(
  env: BuildEnv,
  options: BuildOptions,
  inputs: BuildInputs,
  contexts: NamedContextFetcher,
  targetPlatform: Platform | undefined,
  deps: CompileDependencies,
  pinned?: PinnedInputs,
): Promise<CompiledBuild> {
  const dockerfile = parseDockerfile(inputs.dockerfile);
  const buildPlatform = workerPlatform(env.info);
  // planned before any request starts: a plan error (unknown target) must not leave a request
  // rejected and unhandled, which kills the process before it can Return
  const contextRequests = requiredNamedContexts(dockerfile, options, buildPlatform, targetPlatform);
  const [images, namedContexts] = await Promise.all([
    // with a lock, lock-pins.ts has pinned and resolved the images already
    pinned !== undefined ? Promise.resolve(pinned.images) : resolveImages(env.client, dockerfile, options, buildPlatform, targetPlatform),
    contexts.fetch(contextRequests),
  ]);
  const compiled = compileDockerfile({
    dockerfile,
    options,
    images,
    context: {
      ...(env.sessionId !== undefined ? { sessionId: env.sessionId } : {}),
      excludePatterns: inputs.excludePatterns,
      ...(inputs.remoteContext !== undefined ? { remote: inputs.remoteContext } : {}),
    },
    buildPlatform,
    ...(targetPlatform !== undefined ? { targetPlatform } : {}),
    namedContexts,
    ...deps,
    ...(pinned?.lockMode !== undefined ? { lockMode: pinned.lockMode } : {}),
  });
  return { dockerfile, compiled, buildPlatform };
}

async function resolveImages(
  client: GatewayClient,
  dockerfile: ReturnType<typeof parseDockerfile>,
  options: BuildOptions,
  buildPlatform: Platform,
  targetPlatform: Platform | undefined,
): Promise<Map<string, ResolvedImage>> {
  const requests = requiredImages(dockerfile, options, buildPlatform, targetPlatform);
  const resolved = await Promise.all(
    requests.map(async (r) => {
      const image = await resolveImageThroughGateway(client, r.ref, r.platform, options.imageResolveMode, options.multiPlatform).catch((e: unknown) => failImageResolve(e, r, dockerfile));
      return [imageRequestKey(r.ref, r.platform), image] as const;
    }),
  );
  return new Map(resolved);
}

/** containerd's platforms.DefaultSpec of this process: what an implicit target is filed under. */
function frontendPlatform(): Platform {
  const arch = ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<string, string>)[process.arch] ?? process.arch;
  return normalizePlatform({ os: process.platform === 'win32' ? 'windows' : process.platform, architecture: arch });
}

/** The first worker's first platform (BUILDPLATFORM); linux/amd64 when none is reported. */
function workerPlatform(info: GatewayInfo): Platform {
  return info.workers[0]?.platforms[0] ?? LINUX_AMD64;
}
