// Recording the SHA256 of packages whose manifest pins another hash (npm's SHA512 integrity):
// from the lock when it already has it, otherwise (dev and lock mode) by having BuildKit fetch
// the tarballs once and hashing what it got. The manifest's own hash must match those bytes, so
// what the lock records is what the manifest pinned; from then on BuildKit verifies the SHA256.
import { createHash } from 'node:crypto';
import { GoshError, diagnostic, type Diagnostic } from '../core/errors.js';
import { packagesWithoutSha256, sha256FromLock, withSha256, type PendingChecksum } from '../deps/checksums.js';
import type { DependencySet } from '../deps/plugin.js';
import { dependencyPlugin } from '../deps/registry.js';
import type { GatewayClient } from '../gateway/client.js';
import type { Lock, LockMode } from '../lock/model.js';
import { fileOp } from '../llb/file.js';
import { marshalDefinition } from '../llb/marshal.js';

/** ReadFile answers stay well under gRPC's 4 MiB message limit */
const READ_CHUNK = 1024 * 1024;

async function readWhole(client: GatewayClient, ref: string, path: string): Promise<Buffer> {
  const { size } = await client.statFile(ref, path);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < size; offset += READ_CHUNK) {
    chunks.push(await client.readFile(ref, path, { offset, length: Math.min(READ_CHUNK, size - offset) }));
  }
  return Buffer.concat(chunks);
}

function mismatch(item: PendingChecksum, algorithm: string, want: string, have: string): Diagnostic {
  const origin = item.pkg.origin;
  return diagnostic(
    'DEPENDENCY_DOWNLOAD_MISMATCH',
    `${item.pkg.name} ${item.pkg.version} from ${item.url} has ${algorithm.toLowerCase()} ${have}, but ${origin?.file ?? 'its manifest'} pins ${want}`,
    origin !== undefined ? { file: origin.file, ...(origin.range !== undefined ? { range: origin.range } : {}) } : {},
  );
}

/**
 * Fetches `pending` through BuildKit (one FileOp gathers the downloads), hashes each file and
 * checks it against the checksums the manifest pins.
 * @throws GoshError DEPENDENCY_DOWNLOAD_MISMATCH at the manifest line of every package whose bytes differ
 */
async function fetchSha256(client: GatewayClient, pending: readonly PendingChecksum[]): Promise<Map<string, string>> {
  const plugins = [...new Set(pending.map((item) => item.pkg.type))].join(', ');
  const gathered = fileOp(
    undefined,
    pending.map((item, i) => ({ kind: 'copy' as const, source: dependencyPlugin(item.pkg.type).source(item.pkg, item.url), src: '/', dest: `/${i}/`, createDestPath: true })),
    { customName: `[gosh] ${plugins}: fetch ${pending.length} ${pending.length === 1 ? 'tarball' : 'tarballs'} to record their sha256` },
  );
  const solved = await client.solve({ definition: marshalDefinition(gathered), evaluate: true });
  const ref = solved.ref?.id ?? '';
  const sums = new Map<string, string>();
  const problems: Diagnostic[] = [];
  for (const [i, item] of pending.entries()) {
    const [entry] = await client.readDir(ref, `/${i}`);
    if (entry === undefined) throw new Error(`the download of ${item.url} left no file`);
    const bytes = await readWhole(client, ref, `/${i}/${entry.path}`);
    const wrong = item.pkg.checksums.map((c) => ({ c, have: createHash(c.algorithm.toLowerCase()).update(bytes).digest('hex') })).find(({ c, have }) => have !== c.value);
    if (wrong !== undefined) {
      problems.push(mismatch(item, wrong.c.algorithm, wrong.c.value, wrong.have));
      continue;
    }
    sums.set(item.pkg.purl, createHash('sha256').update(bytes).digest('hex'));
  }
  if (problems.length > 0) throw new GoshError(problems);
  return sums;
}

/**
 * The sets with every SHA256 the lock holds, and in dev and lock mode every other one fetched and
 * recorded. In prod a package still without one is left so: prod's lock check names it.
 */
export async function recordDependencySha256(client: GatewayClient, sets: readonly DependencySet[], lock: Lock | undefined, mode: LockMode | undefined): Promise<DependencySet[]> {
  const known = withSha256(sets, sha256FromLock(sets, lock));
  const pending = packagesWithoutSha256(known);
  if (pending.length === 0 || mode === undefined || mode === 'prod') return known;
  return withSha256(known, await fetchSha256(client, pending));
}
