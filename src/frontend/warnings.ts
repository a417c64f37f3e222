// Sends a build's warnings through the gateway's Warn call, as BuildKit's Dockerfile frontend
// does (frontend/dockerui/config.go Source.Warn): each on the vertex that loaded the Dockerfile,
// level 1, with the whole Dockerfile as the source so `docker --debug buildx build` can show the
// lines. buildx prints `WARN: <short>` on that vertex and "N warning(s) found" at the end.
import type { Logger } from 'pino';
import type { BuildWarning } from '../compile/warnings.js';
import type { GatewayClient } from '../gateway/client.js';
import { DOCKERFILE_LANGUAGE } from '../gateway/status.js';
import type { BuildInputs } from './inputs.js';

/** BuildKit's default level; buildx shows every level the same way */
const WARNING_LEVEL = 1;

/**
 * Sends the warnings one by one, in order. Without the gateway.warnings capability nothing is
 * sent (warnings are advisory; the build goes on), which is logged once.
 */
export async function sendWarnings(client: GatewayClient, inputs: BuildInputs, warnings: readonly BuildWarning[], log: Logger): Promise<void> {
  for (const w of warnings) {
    const sent = await client.warn({
      vertexDigest: inputs.dockerfileVertex,
      level: WARNING_LEVEL,
      short: w.short,
      detail: w.detail,
      ...(w.url !== undefined ? { url: w.url } : {}),
      source: { filename: inputs.dockerfile.name, data: inputs.dockerfileBytes, language: DOCKERFILE_LANGUAGE },
      ranges: w.range !== undefined ? [w.range] : [],
    });
    if (!sent) {
      log.info({ warnings: warnings.length }, 'BuildKit lacks the gateway.warnings capability: warnings not shown');
      return;
    }
  }
}
