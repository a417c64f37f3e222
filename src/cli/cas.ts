// The local content-addressed store, layout 1 (README "StellaOps-compatible CLI"):
//
//   <root>/handshake/sha256/<hex>.json                                   the handshake probe
//   <root>/<bucket>/scanner/surface/<tenant>/<kind>/sha256/<hex><ext>     Surface payloads
//   <root>/<bucket>/scanner/surface/<tenant>/manifests/sha256/<hex>.json  Surface manifests
//
// A path is a function of the content's sha256 (plus bucket, tenant and kind), so a rerun lands
// on the same path and finds the same bytes there: writes are idempotent, and an object whose
// bytes do not match its name is reported, never overwritten.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256Hex, type Digest } from '../core/digest.js';
import { fail } from '../core/errors.js';

export interface CasObject {
  /** relative to the CAS root, "/"-separated */
  readonly relPath: string;
  readonly digest: Digest;
  readonly bytes: Uint8Array;
}

export interface CasWrite {
  readonly path: string;
  /** false when the object was already there with the same bytes */
  readonly written: boolean;
}

/** `<prefix>/sha256/<hex><ext>` for `bytes`. */
export function casObject(prefix: string, bytes: Uint8Array, ext: string): CasObject {
  const hex = sha256Hex(bytes);
  return { relPath: `${prefix}/sha256/${hex}${ext}`, digest: `sha256:${hex}`, bytes };
}

function reason(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** Creates `dir` and its parents. @throws GoshError CAS_WRITE */
export function ensureDirectory(dir: string, what: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    fail('CAS_WRITE', `cannot create ${what} ${dir}: ${reason(cause)}`, {}, undefined, cause);
  }
  if (!statSync(dir).isDirectory()) fail('CAS_WRITE', `${what} ${dir} is not a directory`);
}

let tempCounter = 0;

/**
 * Writes `bytes` to `path` through a temporary file in the same directory and a rename, so a
 * reader never sees half a file. Creates the parent directories.
 * @throws GoshError CAS_WRITE
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, what: string): void {
  ensureDirectory(dirname(path), `the directory of ${what}`);
  const temp = `${path}.${process.pid}.${++tempCounter}.tmp`;
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (cause) {
    try {
      unlinkSync(temp);
    } catch {
      // the temporary file was never created, or is gone already
    }
    fail('CAS_WRITE', `cannot write ${what} ${path}: ${reason(cause)}`, {}, undefined, cause);
  }
}

/** The sha256 hex of the file at `path`, or undefined when there is none. @throws GoshError CAS_WRITE */
function existingHex(path: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return fail('CAS_WRITE', `cannot read the CAS object ${path}: ${reason(cause)}`, {}, undefined, cause);
  }
  return sha256Hex(bytes);
}

/**
 * Stores `object` under `root`: nothing to do when the same bytes are there already; a file
 * with other bytes under the name is a corrupt store and an error. The bytes are read back and
 * checked after writing.
 * @throws GoshError CAS_WRITE
 */
export function writeCasObject(root: string, object: CasObject): CasWrite {
  const path = join(root, ...object.relPath.split('/'));
  const expected = object.digest.slice('sha256:'.length);
  const before = existingHex(path);
  if (before === expected) return { path, written: false };
  if (before !== undefined) {
    fail('CAS_WRITE', `the CAS object ${path} holds other bytes (sha256:${before}): the store is corrupt; remove that file and retry`);
  }
  writeFileAtomic(path, object.bytes, 'the CAS object');
  const after = existingHex(path);
  if (after !== expected) fail('CAS_WRITE', `the CAS object ${path} reads back as ${after === undefined ? 'missing' : `sha256:${after}`}, not ${object.digest}`);
  return { path, written: true };
}
