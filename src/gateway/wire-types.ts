/**
 * Plain-object shapes of the proto messages the gateway sends and receives, with the field
 * names exactly as in proto/ (protobufjs keepCase). Written by hand for the fields we use; they
 * never leave src/gateway/ — client.ts converts to and from the camelCase types in
 * client-types.ts.
 *
 * Encoding: optional fields may be left out; int64 fields take a number or a decimal string;
 * map fields must come from sortedRecord(). Decoding (codec.ts DECODE_OPTIONS): every field is
 * present, absent messages are null, int64 are decimal strings, enums numbers, bytes Buffers.
 */

/** an int64 field: number or decimal string going out, decimal string coming in */
export type WireInt64 = number | string;

// ---- solver/pb/ops.proto (package pb) ----

export interface WirePlatform {
  Architecture?: string;
  OS?: string;
  Variant?: string;
  OSVersion?: string;
  OSFeatures?: string[];
}

export interface WirePosition {
  line?: number;
  character?: number;
}

export interface WireRange {
  start?: WirePosition | null;
  end?: WirePosition | null;
}

export interface WireSourceInfo {
  filename?: string;
  data?: Uint8Array;
  definition?: WireDefinition | null;
  language?: string;
}

export interface WireLocation {
  sourceIndex?: number;
  ranges?: WireRange[];
}

export interface WireSource {
  locations?: Record<string, { locations?: WireLocation[] }>;
  infos?: WireSourceInfo[];
}

export interface WireOpMetadata {
  ignore_cache?: boolean;
  description?: Record<string, string>;
  export_cache?: { Value?: boolean } | null;
  caps?: Record<string, boolean>;
  progress_group?: { id?: string; name?: string; weak?: boolean } | null;
}

export interface WireDefinition {
  def?: Uint8Array[];
  metadata?: Record<string, WireOpMetadata>;
  Source?: WireSource | null;
}

// ---- google/rpc/status.proto ----

export interface WireAny {
  type_url?: string;
  value?: Uint8Array;
}

export interface WireStatus {
  code?: number;
  message?: string;
  details?: WireAny[];
}

// ---- caps, workers, stat ----

export interface WireApiCap {
  ID?: string;
  Enabled?: boolean;
  Deprecated?: boolean;
  DisabledReason?: string;
  DisabledReasonMsg?: string;
  DisabledAlternative?: string;
}

export interface WireWorkerRecord {
  ID?: string;
  Labels?: Record<string, string>;
  platforms?: WirePlatform[];
}

export interface WireStat {
  path?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  size?: WireInt64;
  modTime?: WireInt64;
  linkname?: string;
  devmajor?: WireInt64;
  devminor?: WireInt64;
  xattrs?: Record<string, Uint8Array>;
}

// ---- frontend/gateway/pb/gateway.proto ----

export interface WireRef {
  id?: string;
  def?: WireDefinition | null;
}

export interface WireInTotoSubject {
  kind?: number;
  digest?: string[];
  name?: string;
}

export interface WireAttestation {
  kind?: number;
  metadata?: Record<string, Uint8Array>;
  ref?: WireRef | null;
  path?: string;
  inTotoPredicateType?: string;
  inTotoSubjects?: WireInTotoSubject[];
}

export interface WireResult {
  refDeprecated?: string;
  refsDeprecated?: { refs?: Record<string, string> } | null;
  ref?: WireRef | null;
  refs?: { refs?: Record<string, WireRef> } | null;
  metadata?: Record<string, Uint8Array>;
  attestations?: Record<string, { attestation?: WireAttestation[] }>;
  /** set by decoding (oneofs: true): which member of the `result` oneof is present */
  result?: 'refDeprecated' | 'refsDeprecated' | 'ref' | 'refs';
}

export interface WirePongResponse {
  FrontendAPICaps?: WireApiCap[];
  LLBCaps?: WireApiCap[];
  Workers?: WireWorkerRecord[];
}

export interface WireCacheOptionsEntry {
  Type?: string;
  Attrs?: Record<string, string>;
}

export interface WireSolveRequest {
  Definition?: WireDefinition | null;
  Frontend?: string;
  FrontendOpt?: Record<string, string>;
  allowResultReturn?: boolean;
  allowResultArrayRef?: boolean;
  CacheImports?: WireCacheOptionsEntry[];
  FrontendInputs?: Record<string, WireDefinition>;
  Evaluate?: boolean;
}

export interface WireSolveResponse {
  ref?: string;
  result?: WireResult | null;
}

export interface WireReadFileRequest {
  Ref?: string;
  FilePath?: string;
  Range?: { Offset?: WireInt64; Length?: WireInt64 } | null;
}

export interface WireReadFileResponse {
  Data?: Uint8Array;
}

export interface WireReadDirRequest {
  Ref?: string;
  DirPath?: string;
  IncludePattern?: string;
}

export interface WireReadDirResponse {
  entries?: WireStat[];
}

export interface WireStatFileRequest {
  Ref?: string;
  Path?: string;
}

export interface WireStatFileResponse {
  stat?: WireStat | null;
}

export interface WireEvaluateRequest {
  Ref?: string;
}

export interface WireResolveImageConfigRequest {
  Ref?: string;
  Platform?: WirePlatform | null;
  ResolveMode?: string;
  LogName?: string;
  ResolverType?: number;
  SessionID?: string;
  StoreID?: string;
}

export interface WireResolveImageConfigResponse {
  Digest?: string;
  Config?: Uint8Array;
  Ref?: string;
}

export interface WireInputsResponse {
  Definitions?: Record<string, WireDefinition>;
}

export interface WireWarnRequest {
  digest?: string;
  level?: WireInt64;
  short?: Uint8Array;
  detail?: Uint8Array[];
  url?: string;
  info?: WireSourceInfo | null;
  ranges?: WireRange[];
}

export interface WireReturnRequest {
  result?: WireResult | null;
  error?: WireStatus | null;
}
