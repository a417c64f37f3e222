import type { Digest } from '../core/digest.js';

/**
 * The marshaled LLB graph in plain form: what llb/ produces and gateway/ sends.
 * Mirrors pb.Definition; map-like fields are key-sorted records built by llb/marshal.ts.
 */
export interface Definition {
  /** each op's exact bytes; the terminal op is last */
  readonly def: readonly Uint8Array[];
  readonly metadata: Readonly<Record<Digest, OpMetadata>>;
  readonly source?: SourceMap;
}

export interface OpMetadata {
  readonly ignoreCache?: boolean;
  readonly description?: Readonly<Record<string, string>>;
  readonly caps?: Readonly<Record<string, boolean>>;
  readonly progressGroup?: { readonly id: string; readonly name: string; readonly weak?: boolean };
}

export interface SourceMap {
  readonly locations: Readonly<Record<Digest, readonly SourceLocation[]>>;
  readonly infos: readonly SourceInfo[];
}

export interface SourceInfo {
  readonly filename: string;
  readonly data: Uint8Array;
  readonly language?: string;
  readonly definition?: Definition;
}

export interface SourceLocation {
  readonly sourceIndex: number;
  readonly ranges: readonly LineRange[];
}

/** 1-based lines; character is 0 when not known (as BuildKit writes it) */
export interface LineRange {
  readonly start: { readonly line: number; readonly character?: number };
  readonly end: { readonly line: number; readonly character?: number };
}
