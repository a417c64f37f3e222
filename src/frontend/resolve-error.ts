import { fail, GoshError } from '../core/errors.js';
import type { Dockerfile } from '../dockerfile/instructions.js';
import { suggestClosest } from '../dockerfile/suggest.js';
import type { ImageRequest } from '../compile/plan.js';
import { GatewayCallError } from '../gateway/call-error.js';

// the names BuildKit offers as "did you mean" for an image that does not resolve; the missing
// "/" after docker.io/library is BuildKit's (dockerfile2llb commonImageNames)
const COMMON_IMAGE_NAMES = ['alpine', 'busybox', 'centos', 'debian', 'golang', 'ubuntu', 'fedora'].flatMap((n) => [
  n,
  `docker.io/library${n}`,
  `${n}:latest`,
  `docker.io/library${n}:latest`,
]);

/**
 * A base image that BuildKit could not resolve, reported as its Dockerfile frontend does: at the
 * first FROM (or --from) using it, as `<name as written>: <BuildKit's reason>`, with a
 * suggestion among the stage names and common images when one is close.
 * @throws GoshError IMAGE_RESOLVE, always
 */
export function failImageResolve(error: unknown, request: ImageRequest, dockerfile: Dockerfile): never {
  if (!(error instanceof GoshError) || error.code !== 'IMAGE_RESOLVE' || request.use === undefined) throw error;
  const cause = error.cause;
  const reason = cause instanceof GatewayCallError ? cause.status.message : error.primary.message;
  const stageNames = dockerfile.stages.flatMap((st) => (st.name !== undefined ? [st.name] : []));
  const match = suggestClosest(request.use.name, [...stageNames, ...COMMON_IMAGE_NAMES], true);
  return fail(
    'IMAGE_RESOLVE',
    `${request.use.name}: ${reason}${match !== undefined ? ` (did you mean ${match}?)` : ''}`,
    { file: dockerfile.file.name, range: request.use.range },
    undefined,
    error,
  );
}
