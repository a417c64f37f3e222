import type { Logger } from 'pino';
import { fail } from '../core/errors.js';
import { LINUX_AMD64, type Platform } from '../core/platform.js';
import { parseBuildOptions, type BuildOptions } from '../config/build-options.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { compileDockerfile, requiredImages, type ResolvedImage } from '../compile/compile.js';
import { imageRequestKey } from '../compile/plan.js';
import type { GatewayClient } from '../gateway/client.js';
import type { GatewayInfo, ReturnResult } from '../gateway/client-types.js';
import { readBuildInputs, type BuildInputs } from './inputs.js';
import { resolveImageThroughGateway } from './gateway-resolver.js';
import { imageResult } from './result.js';
import { captureBuiltinLlb, DEBUG_BUILD_ARG, DEBUG_BUILTIN_LLB, DEBUG_LLB_PAIR } from './builtin-capture.js';

export interface BuildEnv {
  readonly client: GatewayClient;
  readonly info: GatewayInfo;
  readonly frontendOpts: ReadonlyMap<string, string>;
  readonly sessionId: string | undefined;
  readonly log: Logger;
}

export interface BuildOutcome {
  readonly result: ReturnResult;
}

/** Inputs read so far, so a failure can still show the Dockerfile snippet. */
export interface BuildProgress {
  inputs?: BuildInputs;
}

/**
 * One build: options → inputs → parse → resolve base images → compile → solve → result.
 * @throws GoshError for user errors (located where possible), GatewayCallError from BuildKit
 */
export async function runBuild(env: BuildEnv, progress: BuildProgress): Promise<BuildOutcome> {
  if (env.frontendOpts.get(DEBUG_BUILD_ARG) === DEBUG_BUILTIN_LLB) {
    return { result: await captureBuiltinLlb(env.client, env.frontendOpts) };
  }
  const options = parseBuildOptions(env.frontendOpts);
  if (options.requestId !== undefined) {
    fail('OPTION_UNKNOWN', `unsupported request ${options.requestId}`);
  }
  if (options.platforms.length > 1 || options.multiPlatform) {
    fail('OPTION_INVALID', 'building for several platforms at once is not supported yet');
  }
  const inputs = await readBuildInputs({ client: env.client, options, sessionId: env.sessionId });
  progress.inputs = inputs;
  const dockerfile = parseDockerfile(inputs.dockerfile);
  const buildPlatform = workerPlatform(env.info);
  const images = await resolveImages(env.client, dockerfile, options, buildPlatform);
  const compiled = compileDockerfile({
    dockerfile,
    options,
    images,
    context: { ...(env.sessionId !== undefined ? { sessionId: env.sessionId } : {}), excludePatterns: inputs.excludePatterns },
    buildPlatform,
  });
  const definition = compiled.state.marshal();
  env.log.debug({ ops: definition.def.length }, 'compiled');
  if (env.frontendOpts.get(DEBUG_BUILD_ARG) === DEBUG_LLB_PAIR) {
    return { result: await captureBuiltinLlb(env.client, env.frontendOpts, definition) };
  }
  const solved = await env.client.solve({ definition });
  return { result: imageResult(solved.ref?.id ?? '', compiled.targetPlatform, compiled.image) };
}

async function resolveImages(
  client: GatewayClient,
  dockerfile: ReturnType<typeof parseDockerfile>,
  options: BuildOptions,
  buildPlatform: Platform,
): Promise<Map<string, ResolvedImage>> {
  const requests = requiredImages(dockerfile, options, buildPlatform);
  const resolved = await Promise.all(
    requests.map(async (r) => [imageRequestKey(r.ref, r.platform), await resolveImageThroughGateway(client, r.ref, r.platform, options.imageResolveMode, options.multiPlatform)] as const),
  );
  return new Map(resolved);
}

/** The first worker's first platform (BUILDPLATFORM); linux/amd64 when none is reported. */
function workerPlatform(info: GatewayInfo): Platform {
  return info.workers[0]?.platforms[0] ?? LINUX_AMD64;
}
