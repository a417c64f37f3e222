// One ecosystem's offline dependencies behind one small interface: read its manifest from the
// build context, say which checksummed packages it pins (for the lock and the SBOM), and turn
// them into a read-only filesystem that RUN steps mount. Nothing here fetches or runs anything:
// the filesystem is LLB that BuildKit fetches and verifies by checksum.
import { createHash } from 'node:crypto';
import type { SourceFile } from '../core/source.js';
import type { LockManifest, LockPackage, PackageType } from '../lock/model.js';
import type { Output } from '../llb/vertex.js';

/** One Gosh.yaml `prepare.<plugin>` entry (config/gosh-yaml.ts ManifestPrepare has this shape). */
export interface DependencySpec {
  /** context-relative path of the manifest, e.g. Cargo.lock */
  readonly lockfile: string;
  /** stages whose RUN steps get the mount; absent: every stage whose RUN steps run the tool */
  readonly stages?: readonly string[];
  /** download URL template; the lock keeps the canonical URL, the checksum pins the bytes */
  readonly mirror?: string;
}

/** The lock's record of a manifest: its context path and the hashes of its exact bytes. */
export function manifestEntry(path: string, bytes: Uint8Array): LockManifest {
  return { path, sha1: createHash('sha1').update(bytes).digest('hex'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** What one manifest contributes to the build, the lock and the SBOM. */
export interface DependencySet {
  readonly plugin: PackageType;
  readonly spec: DependencySpec;
  /** the manifest as the lock records it (path and hashes of the exact bytes) */
  readonly manifest: LockManifest;
  /** in manifest order; each origin is the manifest and the package's lines */
  readonly packages: readonly LockPackage[];
  /** where each package is fetched from (the mirror applied), by canonical purl */
  readonly fetchUrls: ReadonlyMap<string, string>;
}

/** A filesystem for RUN steps, mounted read-only at `target`, and the env the tool needs. */
export interface DependencyMount {
  readonly plugin: PackageType;
  readonly target: string;
  readonly output: Output;
  readonly env: readonly (readonly [string, string])[];
  /** how many packages it holds, for messages */
  readonly packageCount: number;
}

export interface DependencyPlugin {
  readonly id: PackageType;
  /** the command word whose presence in a RUN step makes a stage need the mount (stages: absent) */
  readonly tool: string;
  /**
   * Reads one manifest. `file.name` is its context-relative path.
   * @throws GoshError located at the manifest's lines (MANIFEST_INVALID, DEPENDENCY_UNSUPPORTED)
   */
  read(spec: DependencySpec, file: SourceFile, bytes: Uint8Array): DependencySet;
  /** One package's download (an http source named after it, pinned by its SHA256 when known). */
  source(pkg: LockPackage, url: string): Output;
  /** One filesystem with every package of `sets` (all of this plugin), each package once. */
  assemble(sets: readonly DependencySet[]): DependencyMount;
}
