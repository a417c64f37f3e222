// A crate mirror on loopback for the Cargo e2e tests and the deps benchmark: serves the
// `.crate` files of one directory at /<name>/<name>-<version>.crate (the mirror template
// CRATE_MIRROR_PATH), with per-file overrides to serve other bytes (a tampered crate) and a log
// of what was requested. BuildKit's http source runs in the daemon on the host network, so
// http://127.0.0.1:<port>/ reaches this server while RUN steps have no network.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** The Gosh.yaml mirror template path that this server answers. */
export const CRATE_MIRROR_PATH = '{crate}/{crate}-{version}.crate';

export interface CrateServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** the Gosh.yaml `mirror:` value for this server */
  readonly mirror: string;
  /** request paths in arrival order */
  readonly requests: readonly string[];
  /** serve `bytes` instead of the file for `<name>-<version>.crate` */
  override(fileName: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

/** Starts a server for the `.crate` files in `dir` (plus `extra` files by name). */
export async function startCrateServer(dir: string, extra: ReadonlyMap<string, Uint8Array> = new Map()): Promise<CrateServer> {
  const overrides = new Map<string, Uint8Array>(extra);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    requests.push(path);
    const m = /^\/([^/]+)\/([^/]+\.crate)$/.exec(path);
    if (req.method !== 'GET' || m === null) {
      res.writeHead(404).end();
      return;
    }
    const fileName = m[2] as string;
    const override = overrides.get(fileName);
    const body = override !== undefined ? Promise.resolve(override) : readFile(join(dir, fileName));
    body.then(
      (bytes) => res.writeHead(200, { 'content-type': 'application/x-tar', 'content-length': bytes.length }).end(bytes),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    mirror: `${url}/${CRATE_MIRROR_PATH}`,
    requests,
    override: (fileName, bytes) => overrides.set(fileName, bytes),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
