// A crate mirror on loopback for the Cargo e2e tests and the deps benchmark: serves the
// `.crate` files of one directory at /<name>/<name>-<version>.crate (the mirror template
// CRATE_MIRROR_PATH), with per-file overrides to serve other bytes (a tampered crate) and a log
// of what was requested (see file-server.ts).
import { join } from 'node:path';
import { startFileServer } from './file-server.js';

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
  const server = await startFileServer(
    (path) => {
      const m = /^\/([^/]+)\/([^/]+\.crate)$/.exec(path);
      const fileName = m?.[2];
      return fileName === undefined ? undefined : { key: fileName, file: join(dir, fileName) };
    },
    { contentType: 'application/x-tar', overrides: extra },
  );
  return {
    url: server.url,
    mirror: `${server.url}/${CRATE_MIRROR_PATH}`,
    requests: server.requests,
    override: (fileName, bytes) => server.override(fileName, bytes),
    close: () => server.close(),
  };
}
