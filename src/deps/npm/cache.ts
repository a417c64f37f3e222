// The tarballs of one or more package-lock.json files as an npm cache, in LLB only, laid out as
// npm's cache (cacache) stores a registry download, so `npm ci` finds every tarball offline:
//   /_cacache/content-v2/sha512/<h[0:2]>/<h[2:4]>/<h[4:]>   the tarball, h = hex of its SHA512
//   /_cacache/index-v5/<k[0:2]>/<k[2:4]>/<k[4:]>            "\n<sha1 of entry>\t<entry JSON>",
//       k = sha256 of the key "make-fetch-happen:request-cache:<resolved URL>"
// An index entry is a pure function of the lock (URL and integrity; time 0, no size or headers:
// npm needs neither offline), so the tree is the same on every machine. Each tarball is one http
// source pinned by its recorded SHA256; the tarballs are placed by a fixed number of FileOps
// and merged, like the Cargo vendor tree. Mounted read-only at /.npm with npm_config_cache
// pointing there and npm_config_offline set, `npm ci` reads it without touching the network.
import { createHash } from 'node:crypto';
import { compareCodeUnits } from '../../core/canonical.js';
import { packageChecksum, type LockPackage } from '../../lock/model.js';
import { fileOp, type FileAction } from '../../llb/file.js';
import { mergeOp } from '../../llb/merge.js';
import { httpSource } from '../../llb/source.js';
import type { Output } from '../../llb/vertex.js';
import type { DependencyMount, DependencySet } from '../plugin.js';

/** Where RUN steps see the cache. */
export const NPM_MOUNT_TARGET = '/.npm';
/** npm writes its debug logs into the cache unless told otherwise; the cache is read-only */
const NPM_LOGS_DIR = '/tmp/npm-logs';
const EPOCH_NS = 0;
const CACHE_BUCKETS = 16;
const encoder = new TextEncoder();

function sha512Of(pkg: LockPackage): string {
  const hex = packageChecksum(pkg, 'SHA512');
  if (hex === undefined) throw new Error(`npm package ${pkg.purl} has no SHA512`);
  return hex;
}

/** cacache's content path for a SHA512 (hex). */
export function contentPath(sha512Hex: string): string {
  return `/_cacache/content-v2/sha512/${sha512Hex.slice(0, 2)}/${sha512Hex.slice(2, 4)}/${sha512Hex.slice(4)}`;
}

/** cacache's index bucket path and text for npm's request-cache entry of `url`. */
export function indexEntry(url: string, sha512Hex: string): { path: string; text: string } {
  const key = `make-fetch-happen:request-cache:${url}`;
  const integrity = `sha512-${Buffer.from(sha512Hex, 'hex').toString('base64')}`;
  const entry = JSON.stringify({ key, integrity, time: 0, metadata: { url, reqHeaders: {}, resHeaders: {}, options: { compress: true } } });
  const bucket = createHash('sha256').update(key).digest('hex');
  const line = `\n${createHash('sha1').update(entry).digest('hex')}\t${entry}`;
  return { path: `/_cacache/index-v5/${bucket.slice(0, 2)}/${bucket.slice(2, 4)}/${bucket.slice(4)}`, text: line };
}

/** The tarball's file name in its http source: the last path segment of its URL. */
function tarballName(pkg: LockPackage): string {
  const base = pkg.name.startsWith('@') ? pkg.name.slice(pkg.name.indexOf('/') + 1) : pkg.name;
  return `${base}-${pkg.version}.tgz`;
}

/** One tarball's download, pinned by its SHA256 when recorded, named after the package. */
export function tarballSource(pkg: LockPackage, url: string): Output {
  const sha256 = packageChecksum(pkg, 'SHA256');
  return httpSource(url, {
    ...(sha256 !== undefined ? { checksum: `sha256:${sha256}` } : {}),
    filename: tarballName(pkg),
    constraints: { customName: `[gosh] npm: fetch ${pkg.name} ${pkg.version}` },
  });
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

/** The packages of one bucket placed in the cache, with their index entries, in one FileOp. */
function bucketLayer(items: readonly { pkg: LockPackage; url: string }[]): Output {
  const actions: FileAction[] = items.flatMap(({ pkg, url }) => {
    const sha512 = sha512Of(pkg);
    const index = indexEntry(pkg.downloadLocation, sha512);
    return [
      { kind: 'copy', source: tarballSource(pkg, url), src: `/${tarballName(pkg)}`, dest: contentPath(sha512), createDestPath: true },
      { kind: 'mkdir', path: dirOf(index.path), mode: 0o755, makeParents: true, timestampNs: EPOCH_NS },
      { kind: 'mkfile', path: index.path, mode: 0o644, data: encoder.encode(index.text), timestampNs: EPOCH_NS },
    ] satisfies FileAction[];
  });
  const first = items[0]?.pkg;
  const last = items[items.length - 1]?.pkg;
  const span = first === undefined || last === undefined || first === last ? `${first?.name} ${first?.version}` : `${first.name} … ${last.name}`;
  return fileOp(undefined, actions, { customName: `[gosh] npm: cache ${items.length} ${items.length === 1 ? 'tarball' : 'tarballs'} (${span})` });
}

/** Every package of `sets` once (first fetch URL wins), sorted so the merge does not depend on order. */
export function assembleNpm(sets: readonly DependencySet[]): DependencyMount {
  const byPurl = new Map<string, { pkg: LockPackage; url: string }>();
  for (const set of sets) {
    for (const pkg of set.packages) if (!byPurl.has(pkg.purl)) byPurl.set(pkg.purl, { pkg, url: set.fetchUrls.get(pkg.purl) ?? pkg.downloadLocation });
  }
  const sorted = [...byPurl.values()].sort((a, b) => compareCodeUnits(a.pkg.purl, b.pkg.purl));
  const buckets = Array.from({ length: CACHE_BUCKETS }, () => [] as { pkg: LockPackage; url: string }[]);
  for (const item of sorted) buckets[parseInt(sha512Of(item.pkg).slice(0, 4), 16) % CACHE_BUCKETS]?.push(item);
  const root = fileOp(undefined, [{ kind: 'mkdir', path: '/_cacache', mode: 0o755, timestampNs: EPOCH_NS }], { customName: '[gosh] npm: cache directory' });
  const layers = [root, ...buckets.filter((b) => b.length > 0).map(bucketLayer)];
  const noun = sorted.length === 1 ? 'package' : 'packages';
  const output = mergeOp(layers, { customName: `[gosh] npm: ${sorted.length} ${noun}` }) ?? root;
  return {
    plugin: 'npm',
    target: NPM_MOUNT_TARGET,
    output,
    env: [
      ['npm_config_cache', NPM_MOUNT_TARGET],
      ['npm_config_offline', 'true'],
      ['npm_config_logs_dir', NPM_LOGS_DIR],
      ['npm_config_update_notifier', 'false'],
      // both ask the registry, which a RUN step cannot reach
      ['npm_config_audit', 'false'],
      ['npm_config_fund', 'false'],
    ],
    packageCount: sorted.length,
  };
}
