// A build with the lock in play (Gosh.yaml, sbom.spdx.json or GOSH_MODE), or one asked for an
// SBOM (`--sbom=true`): pin every image first (prod refuses before anything runs), compile every
// platform, write the SBOM (prod: it must be the committed lock), then either return the SBOM
// files (lock mode: nothing is built) or solve the image and attach the files as attestations.
import type { Logger } from 'pino';
import type { Platform } from '../core/platform.js';
import type { BuildOptions } from '../config/build-options.js';
import type { ResolvedImage } from '../compile/compile.js';
import type { LockMode } from '../lock/model.js';
import type { DependencySet } from '../deps/plugin.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import type { GatewayClient } from '../gateway/client.js';
import type { ReturnResult } from '../gateway/client-types.js';
import { gatewayImageResolver } from './gateway-resolver.js';
import type { BuildInputs } from './inputs.js';
import { pinImageSites } from './lock-pins.js';
import { sbomAttestations, sbomFiles, solveSbomFiles } from './lock-output.js';
import { buildSbomOutputs } from './lock-sbom.js';
import { DEFAULT_SBOM_NAME, type LockSetup } from './lock-setup.js';
import { imageSites } from './lock-uses.js';
import { buildResult, type PlatformImage } from './result.js';
import type { CompiledBuild } from './subrequests.js';
import { sendWarnings } from './warnings.js';

/** How build.ts compiles one platform with images and named contexts already pinned. */
export type PinnedCompile = (options: BuildOptions, targetPlatform: Platform | undefined, pinned: PinnedInputs) => Promise<CompiledBuild>;

export interface PinnedInputs {
  readonly images: ReadonlyMap<string, ResolvedImage>;
  /** absent for an SBOM-only build: no lock policy in compile */
  readonly lockMode?: LockMode;
}

export interface LockedBuildEnv {
  readonly client: GatewayClient;
  readonly log: Logger;
  readonly options: BuildOptions;
  readonly inputs: BuildInputs;
  /** undefined: no Gosh.yaml, lock or GOSH_MODE, only `--sbom` asked for an SBOM */
  readonly setup: LockSetup | undefined;
  readonly buildPlatform: Platform;
  readonly dependencySets: readonly DependencySet[];
  readonly compile: PinnedCompile;
  /** what an implicit target platform is filed under */
  readonly defaultPlatform: Platform;
}

/** An SBOM-only build records what it resolves like dev mode, without dev's warnings or policies. */
const SBOM_ONLY: LockSetup = { mode: 'dev', modeSource: 'default', name: DEFAULT_SBOM_NAME, args: new Map() };

/**
 * @throws GoshError for a refused pin, a stale or differing lock, a malformed input (all
 * before any solve), GatewayCallError from BuildKit
 */
export async function runLockedBuild(env: LockedBuildEnv): Promise<ReturnResult> {
  const setup = env.setup ?? SBOM_ONLY;
  const options = withGoshArgs(env.options, setup.args);
  const dockerfile = parseDockerfile(env.inputs.dockerfile);
  const targets: readonly (Platform | undefined)[] = options.platforms.length > 0 ? options.platforms : [undefined];
  const registries = setup.config?.policy.registries;
  const sites = targets.flatMap((t) =>
    imageSites({
      dockerfile,
      options,
      buildPlatform: env.buildPlatform,
      targetPlatform: t,
      ...(registries !== undefined ? { registries } : {}),
      ...(setup.config !== undefined ? { configFile: setup.config.file } : {}),
    }),
  );
  const resolver = gatewayImageResolver(env.client, options.imageResolveMode, options.multiPlatform);
  const pinned = await pinImageSites(sites, setup.lock?.parsed.lock, setup.mode, resolver, options.namedContexts);
  const pinnedOptions: BuildOptions = { ...options, namedContexts: pinned.namedContexts };
  const inputs: PinnedInputs = { images: pinned.images, ...(env.setup !== undefined ? { lockMode: setup.mode } : {}) };
  const compiled = await Promise.all(targets.map((t) => env.compile(pinnedOptions, t, inputs)));

  const outputs = buildSbomOutputs({
    setup,
    sites,
    pins: pinned.pins,
    dependencySets: env.dependencySets,
    ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
  });
  const first = compiled[0];
  if (first !== undefined) await sendWarnings(env.client, env.inputs, [...first.compiled.warnings, ...(env.setup !== undefined ? pinned.warnings : [])], env.log);
  const files = sbomFiles(outputs, setup.config?.sbom.formats.includes('cyclonedx-1.6') ?? true);
  env.log.debug({ mode: setup.mode, images: pinned.pins.length }, 'sbom written');
  if (setup.mode === 'lock') {
    const refId = await solveSbomFiles(env.client, files, outputs.spdx.created);
    return { ref: refId, metadata: {} };
  }
  const [sbomRef, ...images] = await Promise.all([
    solveSbomFiles(env.client, files, outputs.spdx.created),
    ...compiled.map(async ({ compiled: c }, i): Promise<PlatformImage> => {
      const solved = await env.client.solve({ definition: c.state.marshal(), cacheImports: options.cacheImports });
      return {
        platform: targets[i] ?? env.defaultPlatform,
        refId: solved.ref?.id ?? '',
        image: c.image,
        ...(c.baseImage !== undefined ? { baseImage: c.baseImage } : {}),
      };
    }),
  ]);
  return buildResult(images, options.multiPlatform, sbomAttestations(sbomRef, files));
}

/** Gosh.yaml `args` are defaults: a --build-arg of the same name wins. */
export function withGoshArgs(options: BuildOptions, args: ReadonlyMap<string, string>): BuildOptions {
  if (args.size === 0) return options;
  const merged = new Map(args);
  for (const [k, v] of options.buildArgs) merged.set(k, v);
  return { ...options, buildArgs: merged };
}
