// A build context that is not the client's directory (frontend/dockerui/context.go
// initContext): a git repository or an http(s) download named by the `context` option, or the
// `context`/`dockerfile` Definitions a caller passes as frontend inputs. `contextsubdir`
// narrows such a context to one directory.
import type { BuildOptions } from '../config/build-options.js';
import { parseGitRef } from '../compile/dispatch/remote-source.js';
import { fileOp } from '../llb/file.js';
import { gitSource, httpSource } from '../llb/source.js';
import { definitionOutput } from '../llb/definition-input.js';
import { marshalDefinition } from '../llb/marshal.js';
import type { Output } from '../llb/vertex.js';
import type { GatewayClient } from '../gateway/client.js';
import { GATEWAY_CAPS } from '../gateway/service.js';

/** Where the Dockerfile and the context come from when they are not local directories. */
export interface RemoteSources {
  /** the filesystem holding the Dockerfile; undefined: the local `dockerfile` directory */
  readonly dockerfile?: { readonly output: Output | undefined; readonly filename: string };
  /** the build context; undefined: the local `context` directory */
  readonly context?: { readonly output: Output | undefined };
  /** `dockerfilekey` given: the Dockerfile's name in that local (a plain download renames it) */
  readonly localFilename?: string;
}

// the name BuildKit gives a downloaded context
const HTTP_CONTEXT_FILE = 'context';
const DOCKERFILE_INPUT = 'dockerfile';
const CONTEXT_INPUT = 'context';

/**
 * Finds a remote context (git first, then http) or frontend inputs, as dockerui does before it
 * reads the Dockerfile.
 * @throws GatewayCallError when BuildKit cannot fetch the download or the inputs
 */
export async function remoteSources(client: GatewayClient, options: BuildOptions, frontendCaps: ReadonlySet<string>): Promise<RemoteSources> {
  const url = options.remoteContext;
  const git = url !== undefined ? parseGitRef(url) : undefined;
  let found: RemoteSources = {};
  if (url !== undefined && git !== undefined) {
    const output = gitSource(git.identifier, {
      ...(git.commit !== '' || git.subdir !== '' ? { ref: git.commit } : {}),
      ...(git.subdir !== '' ? { subdir: git.subdir } : {}),
      fullUrl: git.remote,
      keepGitDir: options.keepGitDir,
      authTokenSecret: 'GIT_AUTH_TOKEN',
      authHeaderSecret: 'GIT_AUTH_HEADER',
      ...(git.scheme === 'ssh' ? { mountSshSock: 'default' } : {}),
      constraints: { customName: `[internal] load git source ${url}` },
    });
    found = { dockerfile: { output, filename: options.filename }, context: { output } };
  } else if (url !== undefined && /^https?:\/\//.test(url)) {
    found = await httpContext(client, url, options.filename);
  } else if (frontendCaps.has(GATEWAY_CAPS.frontendInputs)) {
    const inputs = await client.inputs();
    const df = options.forceLocalDockerfile ? undefined : inputs[options.dockerfileKey];
    const ctx = inputs[CONTEXT_INPUT];
    found = {
      ...(df !== undefined ? { dockerfile: { output: definitionOutput(df, `frontend input ${DOCKERFILE_INPUT}`), filename: options.filename } } : {}),
      ...(ctx !== undefined ? { context: { output: definitionOutput(ctx, `frontend input ${CONTEXT_INPUT}`) } } : {}),
    };
  }
  // dockerui ReadEntrypoint: with dockerfilekey the Dockerfile always comes from that local
  // directory, even for a git or http context (buildx: -f /abs/path with a remote context)
  if (options.forceLocalDockerfile && found.dockerfile !== undefined) {
    const { dockerfile, ...rest } = found;
    found = { ...rest, localFilename: dockerfile.filename };
  }
  if (found.context !== undefined && options.contextSubdir !== undefined) {
    found = { ...found, context: { output: scopeToSubdir(found.context.output, options.contextSubdir) } };
  }
  return found;
}

/** A downloaded context: an archive is unpacked into the context, anything else is the Dockerfile. */
async function httpContext(client: GatewayClient, url: string, filename: string): Promise<RemoteSources> {
  const download = httpSource(url, { filename: HTTP_CONTEXT_FILE, constraints: { customName: '[internal] load remote build context' } });
  const solved = await client.solve({ definition: marshalDefinition(download) });
  const head = await client.readFile(solved.ref?.id ?? '', HTTP_CONTEXT_FILE, { offset: 0, length: 1024 });
  if (isArchive(head)) {
    const unpacked = fileOp(undefined, [{ kind: 'copy', source: download, src: `/${HTTP_CONTEXT_FILE}`, dest: '/', attemptUnpackDockerCompatibility: true }]);
    return { dockerfile: { output: unpacked, filename }, context: { output: unpacked } };
  }
  return { dockerfile: { output: download, filename: HTTP_CONTEXT_FILE }, context: { output: download } };
}

function scopeToSubdir(output: Output | undefined, dir: string): Output {
  return fileOp(undefined, [{ kind: 'copy', source: output, src: dir, dest: '/', dirCopyContents: true }]);
}

/** gzip, bzip2 and xz by magic bytes, or a tar header with a valid checksum (dockerui isArchive). */
export function isArchive(header: Uint8Array): boolean {
  const magics = [
    [0x42, 0x5a, 0x68],
    [0x1f, 0x8b, 0x08],
    [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
  ];
  for (const m of magics) if (header.length >= m.length && m.every((b, i) => header[i] === b)) return true;
  return isTarHeader(header);
}

/** Go's tar.Reader.Next on the first block: a full header whose checksum matches. */
function isTarHeader(b: Uint8Array): boolean {
  if (b.length < 512) return false;
  const block = b.subarray(0, 512);
  if (block.every((x) => x === 0)) return false;
  const field = new TextDecoder('latin1').decode(block.subarray(148, 156)).replace(/\0.*$/s, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  const want = parseInt(field, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const x = i >= 148 && i < 156 ? 0x20 : (block[i] as number);
    unsigned += x;
    signed += x > 127 ? x - 256 : x;
  }
  return want === unsigned || want === signed;
}
