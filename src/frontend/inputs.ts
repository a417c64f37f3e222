import { fail } from '../core/errors.js';
import { sha256Digest, type Digest } from '../core/digest.js';
import type { SourceFile } from '../core/source.js';
import type { BuildOptions } from '../config/build-options.js';
import { parseDockerignore } from '../config/dockerignore.js';
import { localSource } from '../llb/source.js';
import { marshalDefinition } from '../llb/marshal.js';
import type { GatewayClient } from '../gateway/client.js';
import type { Output } from '../llb/vertex.js';
import { remoteSources } from './remote-context.js';

/** A file read beside the Dockerfile: its text for parsing, its bytes for error snippets. */
export interface InputFile {
  readonly file: SourceFile;
  readonly bytes: Uint8Array;
}

/** The gosh files next to the Dockerfile (sbom-lock.md §8): intent and lock. */
export const GOSH_YAML_NAME = 'Gosh.yaml';
export const LOCK_NAME = 'sbom.spdx.json';

/** What a build reads from the client before compiling. */
export interface BuildInputs {
  readonly dockerfile: SourceFile;
  /** the exact bytes, for error snippets */
  readonly dockerfileBytes: Uint8Array;
  readonly excludePatterns: readonly string[];
  /** the op that loaded the Dockerfile; BuildKit attaches the Dockerfile's warnings to it */
  readonly dockerfileVertex: Digest;
  /** the context when it is not the client's directory (git, http, a frontend input) */
  readonly remoteContext?: { readonly output: Output | undefined };
  /** Gosh.yaml next to the Dockerfile, when there is one */
  readonly goshYaml?: InputFile;
  /** sbom.spdx.json (the lock) next to the Dockerfile, when there is one */
  readonly lockFile?: InputFile;
}

/** Every file the user gave us, by the name diagnostics use: for errdefs.Source snippets. */
export function inputSourceFiles(inputs: BuildInputs): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>([[inputs.dockerfile.name, inputs.dockerfileBytes]]);
  for (const f of [inputs.goshYaml, inputs.lockFile]) if (f !== undefined) files.set(f.file.name, f.bytes);
  return files;
}

export interface InputsEnv {
  readonly client: GatewayClient;
  readonly options: BuildOptions;
  readonly sessionId: string | undefined;
  /** the gateway's capabilities (frontend inputs are read only when it has them) */
  readonly frontendCaps: ReadonlySet<string>;
}

/**
 * Loads the Dockerfile and the ignore file through BuildKit, with the same local sources and
 * progress names as its Dockerfile frontend (frontend/dockerui/config.go).
 * @throws GoshError DOCKERFILE_NOT_FOUND when the Dockerfile is missing or empty
 */
export async function readBuildInputs(env: InputsEnv): Promise<BuildInputs> {
  const { client, options, sessionId } = env;
  const remote = await remoteSources(client, options, env.frontendCaps);
  if (remote.dockerfile !== undefined) return readRemoteInputs(client, remote.dockerfile, remote.context);
  const filename = remote.localFilename ?? options.filename;
  const session = sessionId !== undefined ? { sessionId } : {};
  const dockerfileLocal = localSource(options.dockerfileKey, {
    ...session,
    followPaths: dockerfileNames(filename),
    sharedKeyHint: options.dockerfileKey,
    differ: 'none',
    constraints: { customName: `[internal] load build definition from ${filename}` },
  });
  const dockerfileDefinition = marshalDefinition(dockerfileLocal);
  const [dfResult, ignoreResult] = await Promise.all([
    client.solve({ definition: dockerfileDefinition }),
    // a context from inputs has no .dockerignore of the client's
    remote.context !== undefined ? Promise.resolve(undefined) : client.solve({
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
  const dockerfileBytes = await readDockerfile(client, dfRef, filename);
  const gosh = await readGoshFiles(client, dfRef, filename);
  // <Dockerfile>.dockerignore takes precedence over the context's .dockerignore
  let ignore = await readOptional(client, dfRef, `${filename}.dockerignore`);
  if (ignore === undefined) ignore = await readOptional(client, ignoreResult?.ref?.id ?? '', '.dockerignore');
  return {
    dockerfile: { name: filename.split('/').pop() ?? filename, text: new TextDecoder().decode(dockerfileBytes) },
    dockerfileBytes,
    excludePatterns: remote.context === undefined && ignore !== undefined ? parseDockerignore(new TextDecoder().decode(ignore)) : [],
    // a lone source: its op is the first of the definition (the terminal op is last)
    dockerfileVertex: sha256Digest(dockerfileDefinition.def[0] as Uint8Array),
    ...(remote.context !== undefined ? { remoteContext: remote.context } : {}),
    ...gosh,
  };
}

/** The Dockerfile from a git or http context or a frontend input; such contexts have no .dockerignore. */
async function readRemoteInputs(
  client: GatewayClient,
  dockerfile: { readonly output: Output | undefined; readonly filename: string },
  context: { readonly output: Output | undefined } | undefined,
): Promise<BuildInputs> {
  const definition = marshalDefinition(dockerfile.output);
  const solved = await client.solve({ definition });
  const bytes = await readDockerfile(client, solved.ref?.id ?? '', dockerfile.filename);
  const gosh = await readGoshFiles(client, solved.ref?.id ?? '', dockerfile.filename);
  return {
    dockerfile: { name: dockerfile.filename.split('/').pop() ?? dockerfile.filename, text: new TextDecoder().decode(bytes) },
    dockerfileBytes: bytes,
    excludePatterns: [],
    // the head op comes just before the terminal op
    dockerfileVertex: sha256Digest(definition.def[Math.max(0, definition.def.length - 2)] ?? new Uint8Array()),
    ...(context !== undefined ? { remoteContext: context } : {}),
    ...gosh,
  };
}

/** The directory part of the Dockerfile's path, with its slash: "" or "sub/". */
function dockerfileDir(filename: string): string {
  return filename.slice(0, filename.lastIndexOf('/') + 1);
}

/** Gosh.yaml and sbom.spdx.json beside the Dockerfile, read from the same ref. */
async function readGoshFiles(client: GatewayClient, ref: string, filename: string): Promise<{ goshYaml?: InputFile; lockFile?: InputFile }> {
  const dir = dockerfileDir(filename);
  const [yaml, lock] = await Promise.all([readOptional(client, ref, dir + GOSH_YAML_NAME), readOptional(client, ref, dir + LOCK_NAME)]);
  // ignoreBOM keeps a byte-order mark in the text, where the parsers refuse it
  const file = (name: string, bytes: Uint8Array): InputFile => ({ file: { name, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) }, bytes });
  return { ...(yaml !== undefined ? { goshYaml: file(GOSH_YAML_NAME, yaml) } : {}), ...(lock !== undefined ? { lockFile: file(LOCK_NAME, lock) } : {}) };
}

/** `Dockerfile` may also be spelled `dockerfile` (moby/moby#10858); its ignore file rides along. */
function dockerfileNames(filename: string): string[] {
  const names = [filename, `${filename}.dockerignore`, dockerfileDir(filename) + GOSH_YAML_NAME, dockerfileDir(filename) + LOCK_NAME];
  const slash = filename.lastIndexOf('/');
  if (filename.slice(slash + 1) === 'Dockerfile') names.push(`${filename.slice(0, slash + 1)}dockerfile`);
  return names;
}

async function readDockerfile(client: GatewayClient, ref: string, filename: string): Promise<Uint8Array> {
  let bytes: Uint8Array | undefined;
  let cause: unknown;
  try {
    bytes = await client.readFile(ref, filename);
  } catch (e) {
    cause = e;
    const slash = filename.lastIndexOf('/');
    if (filename.slice(slash + 1) === 'Dockerfile') bytes = await readOptional(client, ref, `${filename.slice(0, slash + 1)}dockerfile`);
  }
  if (bytes === undefined) return fail('DOCKERFILE_NOT_FOUND', `failed to read dockerfile: open ${filename}: no such file or directory`, {}, undefined, cause);
  if (bytes.length === 0) fail('DOCKERFILE_NOT_FOUND', `the Dockerfile cannot be empty`, { file: filename });
  return bytes;
}

async function readOptional(client: GatewayClient, ref: string, path: string): Promise<Uint8Array | undefined> {
  if (ref === '') return undefined;
  try {
    return await client.readFile(ref, path);
  } catch {
    return undefined;
  }
}
