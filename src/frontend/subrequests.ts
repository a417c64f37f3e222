// Subrequests: when the `requestid` option is set, the client (buildx --print=…) asks about the
// build instead of running it. We answer the three BuildKit v0.13.2's Dockerfile frontend answers
// (frontend/dockerui/requests.go HandleSubrequest, dockerfile/builder/build.go): a Return with no
// ref, only metadata. Any other id is an "unsupported request" error with the
// errdefs.Subrequest detail, which tells buildx to try something else.
//
// Loaded on demand by build.ts: dockerfile-ast (for the comments) costs ~60 ms to load, which an
// ordinary build should not pay.
import type { Logger } from 'pino';
import type { Platform } from '../core/platform.js';
import type { BuildOptions } from '../config/build-options.js';
import type { Dockerfile } from '../dockerfile/instructions.js';
import { instructionComments } from '../dockerfile/comments.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import type { CompileResult } from '../compile/compile.js';
import { outlineBuild } from '../compile/outline.js';
import { listTargets } from '../compile/targets.js';
import type { GatewayClient } from '../gateway/client.js';
import type { ReturnResult } from '../gateway/client-types.js';
import type { RpcStatus } from '../gateway/rpc-status.js';
import { unsupportedSubrequestStatus } from '../gateway/status.js';
import type { BuildInputs } from './inputs.js';
import {
  describeMetadata,
  outlineMetadata,
  REQUEST_DESCRIBE,
  REQUEST_OUTLINE,
  REQUEST_TARGETS,
  targetsMetadata,
} from './subrequest-results.js';
import { sendWarnings } from './warnings.js';

/** A build compiled as far as the LLB, without solving it. */
export interface CompiledBuild {
  readonly dockerfile: Dockerfile;
  readonly compiled: CompileResult;
  readonly buildPlatform: Platform;
}

export interface SubrequestEnv {
  readonly client: GatewayClient;
  readonly log: Logger;
  readonly options: BuildOptions;
  readonly inputs: BuildInputs;
  /** parse, resolve base images and compile, as the build would with these options */
  readonly compile: (options: BuildOptions) => Promise<CompiledBuild>;
}

export type SubrequestOutcome = { readonly result: ReturnResult } | { readonly error: RpcStatus };

/**
 * Answers the subrequest `id`.
 * @throws GoshError when the Dockerfile does not parse (targets) or compile (outline)
 */
export async function runSubrequest(id: string, env: SubrequestEnv): Promise<SubrequestOutcome> {
  switch (id) {
    case REQUEST_DESCRIBE:
      return { result: { metadata: describeMetadata() } };
    case REQUEST_TARGETS: {
      // BuildKit lists targets from the parse alone: nothing is resolved, nothing warned about
      const dockerfile = parseDockerfile(env.inputs.dockerfile);
      const targets = listTargets(dockerfile, instructionComments(dockerfile));
      return { result: { metadata: targetsMetadata(targets, env.inputs.dockerfileBytes) } };
    }
    case REQUEST_OUTLINE: {
      // BuildKit converts the whole target for the outline, with no target platform given
      const options: BuildOptions = { ...env.options, platforms: [], multiPlatform: false };
      const { dockerfile, compiled, buildPlatform } = await env.compile(options);
      await sendWarnings(env.client, env.inputs, compiled.warnings, env.log);
      const outline = outlineBuild({ dockerfile, options, buildPlatform, compiled, comments: instructionComments(dockerfile) });
      return { result: { metadata: outlineMetadata(outline, env.inputs.dockerfileBytes) } };
    }
    default:
      return { error: unsupportedSubrequestStatus(id) };
  }
}
