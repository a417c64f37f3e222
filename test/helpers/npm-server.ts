// An npm tarball mirror on loopback for the npm e2e tests: serves the files of one directory laid
// out like the registry's paths (`$STATE_DIR/npm/tarballs` from scripts/provision.sh:
// express/-/express-4.21.2.tgz, @types/node/-/node-20.1.0.tgz) at /<path>, with per-path
// overrides to serve other bytes (a tampered tarball) and a log of what was requested (see
// file-server.ts). A lock entry's tarball is fetched from `mirror` + npmRegistryPath(resolved).
import { join } from 'node:path';
import { NPM_REGISTRY } from '../../src/deps/npm/registry-url.js';
import { startFileServer } from './file-server.js';


/** The registry path of a `resolved` URL (`express/-/express-4.21.2.tgz`). */
export function npmRegistryPath(resolved: string): string {
  if (!resolved.startsWith(NPM_REGISTRY)) throw new Error(`not a ${NPM_REGISTRY} URL: ${resolved}`);
  return resolved.slice(NPM_REGISTRY.length);
}

export interface NpmServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** the Gosh.yaml `mirror:` value for this server: `${url}/`, the registry base */
  readonly mirror: string;
  /** request paths in arrival order (`/express/-/express-4.21.2.tgz`) */
  readonly requests: readonly string[];
  /** serve `bytes` instead of the file at this registry path (with or without the leading `/`) */
  override(path: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

/** Path segments of a request path under the mirror, or undefined for an unsafe one. */
function segments(path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined;
  const parts = path.slice(1).split('/');
  const bad = (part: string) => part === '' || part === '.' || part === '..' || part.includes('\\') || part.includes('\0');
  return parts.some(bad) ? undefined : parts;
}

const key = (path: string) => path.replace(/^\/+/, '');

/** Starts a server for the registry-shaped tree in `dir` (plus `extra` files by registry path). */
export async function startNpmServer(dir: string, extra: ReadonlyMap<string, Uint8Array> = new Map()): Promise<NpmServer> {
  const server = await startFileServer(
    (path) => {
      const parts = segments(path);
      return parts === undefined ? undefined : { key: parts.join('/'), file: join(dir, ...parts) };
    },
    { contentType: 'application/octet-stream', overrides: new Map([...extra].map(([path, bytes]) => [key(path), bytes])) },
  );
  return {
    url: server.url,
    mirror: `${server.url}/`,
    requests: server.requests,
    override: (path, bytes) => server.override(key(path), bytes),
    close: () => server.close(),
  };
}
