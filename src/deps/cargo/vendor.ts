// The crates of one or more Cargo.lock files as a cargo directory source, in LLB only:
//   /config.toml                    source replacement: crates-io → the vendor directory
//   /vendor/<name>-<version>/       the .crate unpacked (ADD's archive extraction, in BuildKit)
//   /vendor/<name>-<version>/.cargo-checksum.json   {"files":{},"package":"<sha256>"}
// Each crate is one http source pinned by its Cargo.lock checksum (BuildKit refuses other bytes),
// named after the crate so a refused download says which crate it was; the crates are unpacked
// by a fixed number of FileOps (one per crate costs an op and a snapshot each: bench/deps.ts) and
// the pieces are merged into one state. Mounted at /.cargo, the config is found from any working
// directory (cargo reads /.cargo/config.toml as the root of its config hierarchy) without
// touching CARGO_HOME, which images such as rust:* point at their toolchain.
import { compareCodeUnits } from '../../core/canonical.js';
import type { LockPackage } from '../../lock/model.js';
import { fileOp, type FileAction } from '../../llb/file.js';
import { mergeOp } from '../../llb/merge.js';
import { httpSource } from '../../llb/source.js';
import type { Output } from '../../llb/vertex.js';
import type { DependencyMount, DependencySet } from '../plugin.js';

/** Where RUN steps see the vendor tree and config. */
export const CARGO_MOUNT_TARGET = '/.cargo';
export const CARGO_VENDOR_DIR = `${CARGO_MOUNT_TARGET}/vendor`;
const SOURCE_NAME = 'gosh-vendored-sources';
/** files made here get the epoch as mtime, so the tree's bytes do not depend on the clock */
const EPOCH_NS = 0;
/** unpack FileOps per tree; each crate goes to a fixed one (bench/deps.ts measured the choice) */
const UNPACK_BUCKETS = 16;

/** The config.toml that points cargo at the vendor tree and keeps it offline. */
export function cargoConfigToml(): string {
  return [
    '# written by gosh: crates come from the read-only vendor tree beside this file,',
    '# fetched by BuildKit and checked against the Cargo.lock checksums',
    '[source.crates-io]',
    `replace-with = "${SOURCE_NAME}"`,
    '',
    `[source.${SOURCE_NAME}]`,
    `directory = "${CARGO_VENDOR_DIR}"`,
    '',
    '[net]',
    'offline = true',
    '',
  ].join('\n');
}

/** The directory one crate is unpacked into: the .crate's own top directory. */
export function crateDirName(pkg: LockPackage): string {
  return `${pkg.name}-${pkg.version}`;
}

function sha256Of(pkg: LockPackage): string {
  const sum = pkg.checksums.find((c) => c.algorithm === 'SHA256');
  if (sum === undefined) throw new Error(`crate ${pkg.purl} has no SHA256`);
  return sum.value;
}

/** One crate's download, pinned by its checksum and named after the crate. */
export function crateSource(pkg: LockPackage, url: string): Output {
  return httpSource(url, {
    checksum: `sha256:${sha256Of(pkg)}`,
    filename: `${crateDirName(pkg)}.crate`,
    constraints: { customName: `[gosh] cargo: fetch ${pkg.name} ${pkg.version}` },
  });
}

/**
 * The crates of one bucket unpacked under /vendor, each with its .cargo-checksum.json, in one
 * FileOp: far fewer ops (and snapshots) than one per crate, while a changed crate redoes only
 * its bucket.
 */
export function bucketLayer(crates: readonly { pkg: LockPackage; url: string }[]): Output {
  const actions: FileAction[] = crates.flatMap(({ pkg, url }) => {
    const dir = crateDirName(pkg);
    const marker = new TextEncoder().encode(JSON.stringify({ files: {}, package: sha256Of(pkg) }));
    return [
      { kind: 'copy', source: crateSource(pkg, url), src: `/${dir}.crate`, dest: '/vendor/', attemptUnpackDockerCompatibility: true, createDestPath: true },
      { kind: 'mkfile', path: `/vendor/${dir}/.cargo-checksum.json`, mode: 0o644, data: marker, timestampNs: EPOCH_NS },
    ] satisfies FileAction[];
  });
  const first = crates[0]?.pkg;
  const last = crates[crates.length - 1]?.pkg;
  const span = first === last || first === undefined || last === undefined ? `${first?.name} ${first?.version}` : `${first.name} … ${last.name}`;
  return fileOp(undefined, actions, { customName: `[gosh] cargo: unpack ${crates.length} ${crates.length === 1 ? 'crate' : 'crates'} (${span})` });
}

/** Which bucket a crate is unpacked in: from its checksum, so it never moves. */
function bucketOf(pkg: LockPackage): number {
  return parseInt(sha256Of(pkg).slice(0, 4), 16) % UNPACK_BUCKETS;
}

/** Every crate of `sets` once (first fetch URL wins), sorted so the merge does not depend on order. */
export function assembleCargo(sets: readonly DependencySet[]): DependencyMount {
  const crates = new Map<string, { pkg: LockPackage; url: string }>();
  for (const set of sets) {
    for (const pkg of set.packages) {
      if (!crates.has(pkg.purl)) crates.set(pkg.purl, { pkg, url: set.fetchUrls.get(pkg.purl) ?? pkg.downloadLocation });
    }
  }
  const sorted = [...crates.values()].sort((a, b) => compareCodeUnits(crateDirName(a.pkg), crateDirName(b.pkg)));
  const config = fileOp(
    undefined,
    [
      { kind: 'mkdir', path: '/vendor', mode: 0o755, timestampNs: EPOCH_NS },
      { kind: 'mkfile', path: '/config.toml', mode: 0o644, data: new TextEncoder().encode(cargoConfigToml()), timestampNs: EPOCH_NS },
    ],
    { customName: '[gosh] cargo: config.toml' },
  );
  const buckets = Array.from({ length: UNPACK_BUCKETS }, () => [] as { pkg: LockPackage; url: string }[]);
  for (const c of sorted) buckets[bucketOf(c.pkg)]?.push(c);
  const layers = [config, ...buckets.filter((b) => b.length > 0).map(bucketLayer)];
  const noun = sorted.length === 1 ? 'crate' : 'crates';
  const output = mergeOp(layers, { customName: `[gosh] cargo: ${sorted.length} ${noun}` }) ?? config;
  return { plugin: 'cargo', target: CARGO_MOUNT_TARGET, output, env: [['CARGO_NET_OFFLINE', 'true']], packageCount: sorted.length };
}
