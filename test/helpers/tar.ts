// A small streaming tar reader for build outputs (`--output type=tar`, OCI tarballs, `docker save`).
// BuildKit writes these with Go's archive/tar: ustar headers, PAX records for long names and
// xattrs, base-256 numbers for big values. Reading it ourselves keeps uid/gid exact (a local
// export loses them) and needs no extra dependency.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export type TarEntryType =
  | 'file'
  | 'hardlink'
  | 'symlink'
  | 'char'
  | 'block'
  | 'dir'
  | 'fifo'
  | 'other';

export interface TarEntry {
  /** as stored, without a leading "./" or "/" and without a trailing "/" */
  readonly path: string;
  readonly type: TarEntryType;
  /** permission and special bits (mode & 0o7777) */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** symlink or hardlink target */
  readonly linkname: string;
  readonly devMajor: number;
  readonly devMinor: number;
  /** PAX `SCHILY.xattr.*` records, key without the prefix */
  readonly xattrs: Readonly<Record<string, string>>;
}

export interface TarReadOptions {
  /** hash regular file contents (sha256, hex); default true */
  readonly hash?: boolean;
  /** return the bytes of the regular files for which this returns true */
  readonly keepContent?: (entry: TarEntry) => boolean;
}

export interface TarRecord {
  readonly entry: TarEntry;
  readonly sha256?: string;
  readonly content?: Buffer;
}

const BLOCK = 512;
const CHUNK = 1 << 20;

function cString(buf: Buffer, start: number, length: number): string {
  const field = buf.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

function tarNumber(buf: Buffer, start: number, length: number): number {
  const field = buf.subarray(start, start + length);
  const first = field[0] ?? 0;
  if (first & 0x80) {
    // base-256 (GNU / Go for values that do not fit in octal)
    let value = first & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const text = cString(buf, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const length = parseInt(data.subarray(pos, space).toString('ascii'), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, pos + length - 1).toString('utf8'); // drop the "\n"
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    pos += length;
  }
  return records;
}

function normalizeTarPath(name: string): string {
  let path = name;
  while (path.startsWith('./')) path = path.slice(2);
  while (path.startsWith('/')) path = path.slice(1);
  while (path.endsWith('/')) path = path.slice(0, -1);
  return path === '.' ? '' : path;
}

function entryType(flag: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '3':
      return 'char';
    case '4':
      return 'block';
    case '5':
      return 'dir';
    case '6':
      return 'fifo';
    default:
      return 'other';
  }
}

/**
 * Reads every entry of a tar file, in archive order. Regular files are hashed while streaming.
 * Throws on a truncated archive or a bad header checksum.
 */
export async function readTar(file: string, options: TarReadOptions = {}): Promise<TarRecord[]> {
  const hash = options.hash ?? true;
  const fh = await open(file, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    const records: TarRecord[] = [];
    const header = Buffer.alloc(BLOCK);
    let pos = 0;
    let pax = new Map<string, string>();
    let globalPax = new Map<string, string>();
    let longName: string | undefined;
    let longLink: string | undefined;

    const readExact = async (buf: Buffer, at: number): Promise<void> => {
      const { bytesRead } = await fh.read(buf, 0, buf.length, at);
      if (bytesRead !== buf.length) throw new Error(`${file}: truncated tar at offset ${at}`);
    };

    while (pos + BLOCK <= fileSize) {
      await readExact(header, pos);
      pos += BLOCK;
      if (header.every((b) => b === 0)) break; // end-of-archive marker

      const stored = tarNumber(header, 148, 8);
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
      if (sum !== stored) throw new Error(`${file}: bad tar header checksum at offset ${pos - BLOCK}`);

      const flag = String.fromCharCode(header[156] ?? 0);
      const size = tarNumber(header, 124, 12);
      const padded = Math.ceil(size / BLOCK) * BLOCK;

      if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
        const data = Buffer.alloc(size);
        await readExact(data, pos);
        pos += padded;
        if (flag === 'x') pax = parsePax(data);
        else if (flag === 'g') globalPax = new Map([...globalPax, ...parsePax(data)]);
        else if (flag === 'L') longName = cString(data, 0, data.length);
        else longLink = cString(data, 0, data.length);
        continue;
      }

      const attrs = new Map([...globalPax, ...pax]);
      const magic = cString(header, 257, 6);
      const prefix = magic.startsWith('ustar') ? cString(header, 345, 155) : '';
      const rawName = prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100);
      const name = attrs.get('path') ?? longName ?? rawName;
      const linkname = attrs.get('linkpath') ?? longLink ?? cString(header, 157, 100);
      const xattrs: Record<string, string> = {};
      for (const [key, value] of [...attrs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (key.startsWith('SCHILY.xattr.')) xattrs[key.slice('SCHILY.xattr.'.length)] = value;
      }
      const realSize = attrs.has('size') ? Number(attrs.get('size')) : size;
      const entry: TarEntry = {
        path: normalizeTarPath(name),
        type: entryType(flag),
        mode: tarNumber(header, 100, 8) & 0o7777,
        uid: attrs.has('uid') ? Number(attrs.get('uid')) : tarNumber(header, 108, 8),
        gid: attrs.has('gid') ? Number(attrs.get('gid')) : tarNumber(header, 116, 8),
        size: entryType(flag) === 'file' ? realSize : 0,
        linkname,
        devMajor: tarNumber(header, 329, 8),
        devMinor: tarNumber(header, 337, 8),
        xattrs,
      };
      pax = new Map();
      longName = undefined;
      longLink = undefined;

      const dataSize = entry.type === 'file' ? realSize : 0;
      const dataPadded = entry.type === 'file' ? Math.ceil(realSize / BLOCK) * BLOCK : padded;
      const keep = entry.type === 'file' && (options.keepContent?.(entry) ?? false);
      if (entry.type === 'file' && (hash || keep)) {
        const hasher = createHash('sha256');
        const parts: Buffer[] = [];
        let remaining = dataSize;
        let at = pos;
        while (remaining > 0) {
          const chunk = Buffer.alloc(Math.min(CHUNK, remaining));
          await readExact(chunk, at);
          hasher.update(chunk);
          if (keep) parts.push(chunk);
          at += chunk.length;
          remaining -= chunk.length;
        }
        records.push({
          entry,
          sha256: hasher.digest('hex'),
          ...(keep ? { content: Buffer.concat(parts) } : {}),
        });
      } else {
        records.push({ entry });
      }
      pos += dataPadded;
    }
    return records;
  } finally {
    await fh.close();
  }
}
