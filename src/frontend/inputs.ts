import { fail } from '../core/errors.js';
import type { SourceFile } from '../core/source.js';
import type { BuildOptions } from '../config/build-options.js';
import { parseDockerignore } from '../config/dockerignore.js';
import { localSource } from '../llb/source.js';
import { marshalDefinition } from '../llb/marshal.js';
import type { GatewayClient } from '../gateway/client.js';

/** What a build reads from the client before compiling. */
export interface BuildInputs {
  readonly dockerfile: SourceFile;
  /** the exact bytes, for error snippets */
  readonly dockerfileBytes: Uint8Array;
  readonly excludePatterns: readonly string[];
}

export interface InputsEnv {
  readonly client: GatewayClient;
  readonly options: BuildOptions;
  readonly sessionId: string | undefined;
}

/**
 * Loads the Dockerfile and the ignore file through BuildKit, with the same local sources and
 * progress names as its Dockerfile frontend (frontend/dockerui/config.go).
 * @throws GoshError DOCKERFILE_NOT_FOUND when the Dockerfile is missing or empty
 */
export async function readBuildInputs(env: InputsEnv): Promise<BuildInputs> {
  const { client, options, sessionId } = env;
  const filename = options.filename;
  const session = sessionId !== undefined ? { sessionId } : {};
  const dockerfileLocal = localSource(options.dockerfileKey, {
    ...session,
    followPaths: [filename, `${filename}.dockerignore`],
    sharedKeyHint: options.dockerfileKey,
    differ: 'none',
    constraints: { customName: `[internal] load build definition from ${filename}` },
  });
  const [dfResult, ignoreResult] = await Promise.all([
    client.solve({ definition: marshalDefinition(dockerfileLocal) }),
    client.solve({
      definition: marshalDefinition(
        localSource('context', {
          ...session,
          followPaths: ['.dockerignore'],
          sharedKeyHint: 'context-.dockerignore',
          differ: 'none',
          constraints: { customName: '[internal] load .dockerignore' },
        }),
      ),
    }),
  ]);
  const dfRef = dfResult.ref?.id ?? '';
  let dockerfileBytes: Uint8Array;
  try {
    dockerfileBytes = await client.readFile(dfRef, filename);
  } catch (e) {
    return fail('DOCKERFILE_NOT_FOUND', `failed to read dockerfile: open ${filename}: no such file or directory`, {}, undefined, e);
  }
  if (dockerfileBytes.length === 0) fail('DOCKERFILE_NOT_FOUND', `the Dockerfile cannot be empty`, { file: filename });
  // <Dockerfile>.dockerignore takes precedence over the context's .dockerignore
  let ignore = await readOptional(client, dfRef, `${filename}.dockerignore`);
  if (ignore === undefined) ignore = await readOptional(client, ignoreResult.ref?.id ?? '', '.dockerignore');
  return {
    dockerfile: { name: filename.split('/').pop() ?? filename, text: new TextDecoder().decode(dockerfileBytes) },
    dockerfileBytes,
    excludePatterns: ignore !== undefined ? parseDockerignore(new TextDecoder().decode(ignore)) : [],
  };
}

async function readOptional(client: GatewayClient, ref: string, path: string): Promise<Uint8Array | undefined> {
  if (ref === '') return undefined;
  try {
    return await client.readFile(ref, path);
  } catch {
    return undefined;
  }
}
