// A loopback http server for the dependency mirrors of the e2e tests and the deps benchmark
// (crate-server.ts, npm-server.ts): GET of a path that `route` maps to a file answers the file's
// bytes, or the bytes set with override() under the route's key (a tampered artifact); every
// request path is logged in arrival order. BuildKit's http source runs in the daemon on the host
// network, so http://127.0.0.1:<port>/ reaches this server while RUN steps have no network.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where a request path is answered from: `file` on disk unless an override is set for `key`. */
export interface FileRoute {
  readonly key: string;
  readonly file: string;
}

export interface FileServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** request paths (decoded, without the query) in arrival order */
  readonly requests: readonly string[];
  /** serve `bytes` for the route with this key instead of its file */
  override(key: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

export interface FileServerOptions {
  /** content-type of every answer */
  readonly contentType?: string;
  /** bytes served by route key before any override() */
  readonly overrides?: ReadonlyMap<string, Uint8Array>;
}

/** Starts a server answering the paths `route` maps (undefined: 404). */
export async function startFileServer(
  route: (path: string) => FileRoute | undefined,
  options: FileServerOptions = {},
): Promise<FileServer> {
  const overrides = new Map<string, Uint8Array>(options.overrides ?? []);
  const contentType = options.contentType ?? 'application/octet-stream';
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const raw = (req.url ?? '/').split('?')[0] ?? '/';
    let path: string;
    try {
      path = decodeURIComponent(raw);
    } catch {
      requests.push(raw);
      res.writeHead(400).end();
      return;
    }
    requests.push(path);
    const target = req.method === 'GET' ? route(path) : undefined;
    if (target === undefined) {
      res.writeHead(404).end();
      return;
    }
    const override = overrides.get(target.key);
    const body = override !== undefined ? Promise.resolve(override) : readFile(target.file);
    body.then(
      (bytes) => res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length }).end(bytes),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    override: (key, bytes) => overrides.set(key, bytes),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
