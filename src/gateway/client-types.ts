import type { Digest } from '../core/digest.js';
import type { Platform } from '../core/platform.js';
import type { SourceRange } from '../core/source.js';
import type { Definition } from '../llb/definition.js';

// The gateway client's own request and result types: camelCase, numbers/strings/bigints and
// Uint8Arrays. Proto shapes (wire-types.ts) never appear in the client's signatures.

export interface WorkerInfo {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly platforms: readonly Platform[];
}

/** What Ping reports: the enabled capabilities and the workers. */
export interface GatewayInfo {
  readonly frontendCaps: ReadonlySet<string>;
  readonly llbCaps: ReadonlySet<string>;
  readonly workers: readonly WorkerInfo[];
}

export interface CacheImport {
  readonly type: string;
  readonly attrs: Readonly<Record<string, string>>;
}

export interface SolveRequest {
  readonly definition?: Definition;
  /** a frontend name such as "dockerfile.v0"; not together with `definition` */
  readonly frontend?: string;
  readonly frontendOpt?: Readonly<Record<string, string>>;
  readonly frontendInputs?: Readonly<Record<string, Definition>>;
  /** build now, so build errors come back from solve() itself (cap gateway.solve.evaluate) */
  readonly evaluate?: boolean;
  readonly cacheImports?: readonly CacheImport[];
}

/** A solved result; `id` "" is an empty (scratch) result. */
export interface ResultRef {
  readonly id: string;
  /** the Definition BuildKit solved, when it sends it back */
  readonly definition?: Definition;
}

export interface SolveResult {
  readonly ref?: ResultRef;
  readonly refs?: Readonly<Record<string, ResultRef>>;
  readonly metadata: Readonly<Record<string, Uint8Array>>;
}

export interface FileRange {
  readonly offset: number;
  readonly length: number;
}

export type ImageResolveMode = 'default' | 'pull' | 'local';

export interface ResolveImageConfigOptions {
  readonly platform?: Platform;
  readonly resolveMode?: ImageResolveMode;
  /** progress name shown while resolving; "" hides it */
  readonly logName?: string;
  readonly sessionId?: string;
  /** where to look: a registry (default) or a client-side OCI layout store (sessionId + storeId) */
  readonly resolverType?: 'registry' | 'oci-layout';
  /** the OCI layout store of the session, for resolverType oci-layout */
  readonly storeId?: string;
}

export interface ResolvedImageConfig {
  readonly digest: Digest;
  /** the image config JSON exactly as the registry/store has it */
  readonly config: Uint8Array;
  /** the reference BuildKit resolved (the one asked for when it reports none) */
  readonly ref: string;
}

export interface WarnSource {
  readonly filename: string;
  readonly data: Uint8Array;
  readonly language?: string;
}

export interface Warning {
  /** an op digest of ours the warning attaches to */
  readonly vertexDigest: Digest;
  readonly level: number;
  readonly short: string;
  readonly detail?: readonly string[];
  readonly url?: string;
  readonly source?: WarnSource;
  /** 1-based lines; columns are not sent */
  readonly ranges?: readonly SourceRange[];
}

export type InTotoSubjectKind = 'self' | 'raw';

export interface InTotoSubject {
  readonly kind: InTotoSubjectKind;
  /** "sha256:…" */
  readonly digests: readonly string[];
  readonly name?: string;
}

export interface Attestation {
  readonly kind: 'intoto' | 'bundle';
  /** id of a solved ref holding the predicate file (intoto) or statement directory (bundle) */
  readonly refId: string;
  readonly path: string;
  readonly predicateType?: string;
  readonly metadata?: Readonly<Record<string, Uint8Array>>;
  readonly subjects?: readonly InTotoSubject[];
}

/** What the build returns: `ref` for one platform, or `refs` keyed by platform id. */
export interface ReturnResult {
  readonly ref?: string;
  readonly refs?: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, Uint8Array>>;
  /** keyed by platform id (as in refs.platforms) */
  readonly attestations?: Readonly<Record<string, readonly Attestation[]>>;
}
