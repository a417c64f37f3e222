// The frontend image's entrypoint. stdout is the gRPC stream: nothing else may write there.
import { performance } from 'node:perf_hooks';
import { isGoshError } from '../core/errors.js';
import { frontendOptsFromEnv } from '../config/build-options.js';
import { connectGateway } from '../gateway/connect.js';
import { errorToRpcStatus } from '../gateway/status.js';
import { runBuild, type BuildProgress } from '../frontend/build.js';
import { inputSourceFiles } from '../frontend/inputs.js';
import { childLogger, logger } from '../log.js';

async function main(): Promise<number> {
  const log = childLogger('frontend');
  const conn = await connectGateway();
  const progress: BuildProgress = {};
  try {
    const outcome = await runBuild(
      { client: conn.client, info: conn.info, frontendOpts: frontendOptsFromEnv(process.env), sessionId: process.env['BUILDKIT_SESSION_ID'], log },
      progress,
    );
    if ('error' in outcome) await conn.client.returnError(outcome.error);
    else await conn.client.returnResult(outcome.result);
  } catch (error) {
    if (!conn.client.hasReturned) {
      const files = progress.inputs !== undefined ? inputSourceFiles(progress.inputs) : new Map<string, Uint8Array>();
      if (!isGoshError(error) || error.code === 'INTERNAL') log.error({ err: error }, 'build failed');
      await conn.client.returnError(errorToRpcStatus(error, files, progress.inputs !== undefined ? { dockerfile: progress.inputs.dockerfile.name } : {}));
    } else {
      log.error({ err: error }, 'error after Return');
    }
  } finally {
    // performance.now() counts from process start, so this includes module loading
    log.info({ ms: Math.round(performance.now()) }, 'start-to-return');
    await conn.close();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    logger.fatal({ err: error }, 'frontend failed before it could return');
    process.exit(1);
  },
);
