// The SBOM as a lock, format-free: what is pinned (Lock) and what one build uses (BuildFacts).
// sbom/ turns these into SPDX, CycloneDX and a descriptor; nothing here knows those formats.
import type { Digest } from '../core/digest.js';
import type { SourceRange } from '../core/source.js';

/** prod refuses anything the lock does not pin; dev and lock record new pins. */
export type LockMode = 'prod' | 'dev' | 'lock';

/** The default name of the lock file in the build context. */
export const LOCK_FILE_NAME = 'sbom.spdx.json';

/** Where an entry was read from: file, JSON path and, when known, its lines. */
export interface LockOrigin {
  readonly file: string;
  readonly jsonPath: string;
  readonly range?: SourceRange;
}

/** A pinned image: FROM, COPY --from or RUN --mount from=. */
export interface LockImage {
  /** the lock key: normalized reference, see imageLockKey() */
  readonly ref: string;
  /** the top-level digest the reference resolves to (an index for multi-platform images) */
  readonly digest: Digest;
  readonly origin?: LockOrigin;
}

/** Checksum algorithms as SPDX 2.3 spells them. */
export type ChecksumAlgorithm =
  | 'SHA1'
  | 'SHA224'
  | 'SHA256'
  | 'SHA384'
  | 'SHA512'
  | 'SHA3-256'
  | 'SHA3-384'
  | 'SHA3-512'
  | 'BLAKE2b-256'
  | 'BLAKE2b-384'
  | 'BLAKE2b-512'
  | 'BLAKE3'
  | 'MD2'
  | 'MD4'
  | 'MD5'
  | 'MD6'
  | 'ADLER32';

export interface Checksum {
  readonly algorithm: ChecksumAlgorithm;
  /** lowercase hex */
  readonly value: string;
}

/** Package ecosystems the lock can pin; each needs a deps/ plugin. */
export type PackageType = 'cargo' | 'npm';

/** A checksummed dependency (a crate, an npm package), keyed by its canonical purl. */
export interface LockPackage {
  /** canonical purl (lock/purl.ts), the lock key */
  readonly purl: string;
  readonly type: PackageType;
  readonly name: string;
  readonly version: string;
  /**
   * one SHA256 (BuildKit's http source verifies sha256 only) and, for ecosystems whose manifest
   * pins another hash (npm: SHA512), that one too; a package read from a manifest may lack its
   * SHA256 until it is recorded (deps/checksums.ts)
   */
  readonly checksums: readonly Checksum[];
  /** canonical download URL; a mirror may be used to fetch, the checksum pins the bytes */
  readonly downloadLocation: string;
  /** canonical purls of the packages this one depends on (Cargo.lock `dependencies`) */
  readonly dependsOn: readonly string[];
  readonly origin?: LockOrigin;
}

/** The package's checksum of one algorithm (lowercase hex), if it has one. */
export function packageChecksum(pkg: Pick<LockPackage, 'checksums'>, algorithm: ChecksumAlgorithm): string | undefined {
  return pkg.checksums.find((c) => c.algorithm === algorithm)?.value;
}

/** A locally defined image ("any tree") built from its own Dockerfile. */
export interface LockSubimage {
  /** the name a Dockerfile uses for it (Gosh.yaml key), the lock key */
  readonly name: string;
  /** context-relative path of its Dockerfile, without "./": tools/Dockerfile */
  readonly dockerfile: string;
  readonly stableHash: Digest;
  readonly origin?: LockOrigin;
}

/** A dependency manifest the lock was derived from (a Cargo.lock). */
export interface LockManifest {
  /** context-relative path without "./", the lock key: Cargo.lock, tools/Cargo.lock */
  readonly path: string;
  /** lowercase hex */
  readonly sha1: string;
  /** lowercase hex */
  readonly sha256: string;
  readonly origin?: LockOrigin;
}

/** What the lock file itself said, kept so re-locking an unchanged build is a no-op. */
export interface LockDocumentInfo {
  /** creationInfo.created, YYYY-MM-DDThh:mm:ssZ */
  readonly created: string;
  readonly namespace: string;
  /** sha256 of the document text (sbom-lock.md rule A) without `created` and `documentNamespace` */
  readonly bodyDigest: Digest;
}

export interface Lock {
  /** the lock file as the user names it, for messages */
  readonly file: string;
  /** absent for a lock that was never written */
  readonly document?: LockDocumentInfo;
  readonly images: ReadonlyMap<string, LockImage>;
  readonly packages: ReadonlyMap<string, LockPackage>;
  readonly subimages: ReadonlyMap<string, LockSubimage>;
  readonly manifests: ReadonlyMap<string, LockManifest>;
}

/** What builds something: the image being built, or one of its sub-images. */
export type Consumer = { readonly kind: 'root' } | { readonly kind: 'subimage'; readonly name: string };

/** What an instruction takes an image from. */
export type ImageSource = { readonly kind: 'image'; readonly ref: string } | { readonly kind: 'subimage'; readonly name: string };

/**
 * How a consumer uses an image: `base` is the FROM of its target stage (the image it descends
 * from); `build` the FROM of another stage; `copy` a COPY --from=; `mount` a RUN --mount from=.
 */
export type ImageRole = 'base' | 'build' | 'copy' | 'mount';

export interface ImageUse {
  readonly consumer: Consumer;
  readonly source: ImageSource;
  readonly role: ImageRole;
  /** the stage's name, or its index as text for an unnamed stage; absent when unknown */
  readonly stage?: string;
}

/** A package mounted into the RUN steps of a consumer's build. */
export interface PackageUse {
  readonly consumer: Consumer;
  /** canonical purl */
  readonly purl: string;
}

/** A manifest (Cargo.lock) that lists packages a consumer's build uses. */
export interface ManifestUse {
  readonly consumer: Consumer;
  readonly path: string;
}

/** What one build contributes to its SBOM: names and the usage tree; the pins come from the Lock. */
export interface BuildFacts {
  /** document name and root package name (Gosh.yaml `tag`, else the context directory name) */
  readonly name: string;
  readonly images: readonly ImageUse[];
  readonly packages: readonly PackageUse[];
  readonly manifests: readonly ManifestUse[];
}

export const ROOT: Consumer = { kind: 'root' };

/** Stable text for a consumer, for map keys and messages: "root" or "subimage:<name>". */
export function consumerKey(c: Consumer): string {
  return c.kind === 'root' ? 'root' : `subimage:${c.name}`;
}
