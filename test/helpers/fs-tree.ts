// Normalized file trees of build outputs, for assertions and for the differential test.
// No mtimes anywhere: BuildKit stamps them from the build, and they are not part of what we compare.
//
// Two sources:
// - readTarTree(): `--output type=tar,dest=x.tar` — exact, including uid/gid and xattrs;
// - readDirTree(): `--output type=local,dest=DIR` — uid/gid are lost by the local exporter (files
//   belong to whoever ran buildx), so compare ownership only from a tar.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readTar } from './tar.js';

export type TreeEntryType =
  | 'file'
  | 'dir'
  | 'symlink'
  | 'hardlink'
  | 'char'
  | 'block'
  | 'fifo'
  | 'socket'
  | 'other';

export interface TreeEntry {
  /** relative POSIX path, no leading "./" or "/", no trailing "/" */
  readonly path: string;
  readonly type: TreeEntryType;
  /** permission and special bits as 4 octal digits: "0644", "4755", "1777" */
  readonly mode: string;
  readonly uid: number;
  readonly gid: number;
  /** regular files only */
  readonly size?: number;
  /** regular files only: hex sha256 of the content */
  readonly sha256?: string;
  /** symlink target as stored, or the path a hardlink points to */
  readonly target?: string;
  /** device numbers as "major,minor" for char/block devices */
  readonly device?: string;
  /** extended attributes (tar only), sorted by key */
  readonly xattrs?: Readonly<Record<string, string>>;
}

export interface TreeOptions {
  /** paths to leave out, each with everything under it ("out/cache" drops "out/cache/x") */
  readonly ignore?: readonly string[];
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

function isIgnored(path: string, ignore: readonly string[] | undefined): boolean {
  if (!ignore) return false;
  return ignore.some((raw) => {
    const p = raw.replace(/^\.?\/+/, '').replace(/\/+(\*\*)?$/, '');
    return path === p || path.startsWith(`${p}/`);
  });
}

function sortTree(entries: TreeEntry[]): TreeEntry[] {
  return entries.sort((a, b) => compareCodeUnits(a.path, b.path));
}

/** The tree of a tar archive; when a path occurs twice the later entry wins, as on extraction. */
export async function readTarTree(tarFile: string, options: TreeOptions = {}): Promise<TreeEntry[]> {
  const byPath = new Map<string, TreeEntry>();
  for (const { entry, sha256 } of await readTar(tarFile)) {
    if (entry.path === '' || isIgnored(entry.path, options.ignore)) continue;
    const xattrs = Object.keys(entry.xattrs).length > 0 ? { xattrs: entry.xattrs } : {};
    const base = { path: entry.path, mode: octal(entry.mode), uid: entry.uid, gid: entry.gid };
    let node: TreeEntry;
    switch (entry.type) {
      case 'file':
        node = { ...base, type: 'file', size: entry.size, sha256: sha256 ?? '', ...xattrs };
        break;
      case 'symlink':
        node = { ...base, type: 'symlink', target: entry.linkname, ...xattrs };
        break;
      case 'hardlink':
        node = {
          ...base,
          type: 'hardlink',
          target: entry.linkname.replace(/^\.?\/+/, ''),
          ...xattrs,
        };
        break;
      case 'char':
      case 'block':
        node = { ...base, type: entry.type, device: `${entry.devMajor},${entry.devMinor}`, ...xattrs };
        break;
      default:
        node = { ...base, type: entry.type, ...xattrs };
    }
    byPath.set(node.path, node);
  }
  return sortTree([...byPath.values()]);
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The tree under a directory (the directory itself is not listed). Never follows symlinks. */
export async function readDirTree(dir: string, options: TreeOptions = {}): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(rel === '' ? dir : join(dir, rel))).sort(compareCodeUnits);
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (isIgnored(path, options.ignore)) continue;
      const abs = join(dir, path);
      const st = await lstat(abs);
      const base = { path, mode: octal(st.mode), uid: st.uid, gid: st.gid };
      if (st.isFile()) {
        out.push({ ...base, type: 'file', size: st.size, sha256: await sha256File(abs) });
      } else if (st.isDirectory()) {
        out.push({ ...base, type: 'dir' });
        await walk(path);
      } else if (st.isSymbolicLink()) {
        out.push({ ...base, type: 'symlink', target: await readlink(abs) });
      } else if (st.isCharacterDevice() || st.isBlockDevice()) {
        const major = Math.floor(st.rdev / 256);
        const minor = st.rdev % 256;
        out.push({ ...base, type: st.isCharacterDevice() ? 'char' : 'block', device: `${major},${minor}` });
      } else if (st.isFIFO()) {
        out.push({ ...base, type: 'fifo' });
      } else if (st.isSocket()) {
        out.push({ ...base, type: 'socket' });
      } else {
        out.push({ ...base, type: 'other' });
      }
    }
  };
  await walk('');
  return sortTree(out);
}

/** Drops ownership (for trees from a local export, or to compare a tar tree with one). */
export function withoutOwnership(entries: readonly TreeEntry[]): TreeEntry[] {
  return entries.map((e) => ({ ...e, uid: 0, gid: 0 }));
}

/**
 * One line per entry, stable and diff-friendly:
 *   `file 0644 0:0 a.txt size=3 sha256=98ea6e4f…`  `symlink 0777 0:0 link -> a.txt`
 */
export function formatTree(entries: readonly TreeEntry[], options: { fullHash?: boolean } = {}): string {
  return entries
    .map((e) => {
      const parts = [e.type, e.mode, `${e.uid}:${e.gid}`, e.path];
      if (e.type === 'symlink' || e.type === 'hardlink') parts.push('->', e.target ?? '');
      if (e.size !== undefined) parts.push(`size=${e.size}`);
      if (e.sha256 !== undefined) {
        parts.push(`sha256=${options.fullHash ? e.sha256 : e.sha256.slice(0, 12)}`);
      }
      if (e.device !== undefined) parts.push(`dev=${e.device}`);
      if (e.xattrs) {
        for (const [k, v] of Object.entries(e.xattrs)) parts.push(`xattr:${k}=${JSON.stringify(v)}`);
      }
      return parts.join(' ');
    })
    .join('\n');
}

export type TreeDifference =
  | { readonly kind: 'only-left'; readonly path: string; readonly left: TreeEntry }
  | { readonly kind: 'only-right'; readonly path: string; readonly right: TreeEntry }
  | {
      readonly kind: 'changed';
      readonly path: string;
      /** the fields that differ, e.g. ["mode", "sha256"] */
      readonly fields: readonly string[];
      readonly left: TreeEntry;
      readonly right: TreeEntry;
    };

const FIELDS = ['type', 'mode', 'uid', 'gid', 'size', 'sha256', 'target', 'device', 'xattrs'] as const;

/** Path-by-path differences between two sorted trees, in path order. */
export function diffTrees(left: readonly TreeEntry[], right: readonly TreeEntry[]): TreeDifference[] {
  const l = new Map(left.map((e) => [e.path, e]));
  const r = new Map(right.map((e) => [e.path, e]));
  const paths = [...new Set([...l.keys(), ...r.keys()])].sort(compareCodeUnits);
  const out: TreeDifference[] = [];
  for (const path of paths) {
    const a = l.get(path);
    const b = r.get(path);
    if (a && !b) out.push({ kind: 'only-left', path, left: a });
    else if (!a && b) out.push({ kind: 'only-right', path, right: b });
    else if (a && b) {
      const fields = FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
      if (fields.length > 0) out.push({ kind: 'changed', path, fields, left: a, right: b });
    }
  }
  return out;
}
