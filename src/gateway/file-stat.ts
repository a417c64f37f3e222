import type { WireStat } from './wire-types.js';

/** One file as ReadDir/StatFile report it (tonistiigi/fsutil types.Stat). */
export interface FileStat {
  readonly path: string;
  /** Go os.FileMode bits: type bits high, permission bits low */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly modTimeNs: bigint;
  readonly linkname: string;
}

// Go's os.FileMode type bits (io/fs): the wire carries them, not POSIX S_IF* bits.
const GO_MODE_DIR = 2 ** 31;
const GO_MODE_SYMLINK = 2 ** 27;
const GO_MODE_DEVICE = 2 ** 26;
const GO_MODE_NAMED_PIPE = 2 ** 25;
const GO_MODE_SOCKET = 2 ** 24;
const GO_MODE_CHAR_DEVICE = 2 ** 21;
const GO_MODE_IRREGULAR = 2 ** 19;
/** io/fs ModeType: any of these set means "not a regular file" */
const GO_MODE_TYPE =
  GO_MODE_DIR | GO_MODE_SYMLINK | GO_MODE_DEVICE | GO_MODE_NAMED_PIPE | GO_MODE_SOCKET | GO_MODE_CHAR_DEVICE | GO_MODE_IRREGULAR;

export function isDir(stat: FileStat): boolean {
  return ((stat.mode & GO_MODE_DIR) >>> 0) !== 0;
}

export function isSymlink(stat: FileStat): boolean {
  return (stat.mode & GO_MODE_SYMLINK) !== 0;
}

export function isRegularFile(stat: FileStat): boolean {
  return ((stat.mode & GO_MODE_TYPE) >>> 0) === 0;
}

/** the low 9 permission bits (0o755) */
export function permissionBits(stat: FileStat): number {
  return stat.mode & 0o777;
}

export function fileStatFromWire(wire: WireStat): FileStat {
  return {
    path: wire.path ?? '',
    mode: (wire.mode ?? 0) >>> 0,
    uid: wire.uid ?? 0,
    gid: wire.gid ?? 0,
    size: Number(wire.size ?? 0),
    modTimeNs: BigInt(wire.modTime ?? 0),
    linkname: wire.linkname ?? '',
  };
}
