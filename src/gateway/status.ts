import { goJsonEscape } from '../core/canonical.js';
import { GoshError, type Diagnostic } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import { GatewayCallError } from './call-error.js';
import { RPC_CODE_UNKNOWN, type RpcDetail, type RpcStatus } from './rpc-status.js';

// The edge where our errors become what BuildKit understands: a google.rpc.Status with code
// UNKNOWN and BuildKit's typed details as JSON Any values (util/grpcerrors/grpcerrors.go,
// solver/errdefs/*.go @v0.13.2).

/** errdefs.Source: lets buildx print the offending lines of a file */
export const SOURCE_DETAIL_TYPE_URL = 'github.com/moby/buildkit/errdefs.Source+json';
/** errdefs.Subrequest: "unsupported request <name>" */
export const SUBREQUEST_DETAIL_TYPE_URL = 'github.com/moby/buildkit/errdefs.Subrequest+json';

/** linguist name BuildKit's Dockerfile frontend gives its source maps */
export const DOCKERFILE_LANGUAGE = 'Dockerfile';

export interface ErrorStatusOptions {
  /** which of `files` is the Dockerfile (its detail gets language "Dockerfile"); default "Dockerfile" */
  readonly dockerfile?: string;
}

/**
 * Turns anything the build threw into the status for Return(error).
 * - GatewayCallError: BuildKit's own message and details, forwarded unchanged.
 * - GoshError: its text, plus one errdefs.Source detail per located diagnostic whose file is in
 *   `files` (file name → the exact bytes the user gave us); a GatewayCallError found among its
 *   causes contributes its details after ours.
 * - INTERNAL or anything else: a message saying it is a bug in gosh-frontend.
 * The code is always UNKNOWN (see RPC_CODE_UNKNOWN).
 */
export function errorToRpcStatus(error: unknown, files: ReadonlyMap<string, Uint8Array>, options: ErrorStatusOptions = {}): RpcStatus {
  if (error instanceof GatewayCallError) {
    return { code: RPC_CODE_UNKNOWN, message: error.status.message, details: error.status.details };
  }
  if (!(error instanceof GoshError) || error.code === 'INTERNAL') {
    return { code: RPC_CODE_UNKNOWN, message: internalErrorMessage(error), details: [] };
  }
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  const details: RpcDetail[] = [];
  for (const d of error.diagnostics) {
    const detail = diagnosticSourceDetail(d, files, dockerfile);
    if (detail !== undefined) details.push(detail);
  }
  details.push(...forwardedDetails(error.cause));
  return { code: RPC_CODE_UNKNOWN, message: error.message, details };
}

/** Return(error) for a `requestid` we do not implement (frontend/subrequests @v0.13.2). */
export function unsupportedSubrequestStatus(name: string): RpcStatus {
  return {
    code: RPC_CODE_UNKNOWN,
    message: `unsupported request ${name}`,
    details: [{ typeUrl: SUBREQUEST_DETAIL_TYPE_URL, value: goJsonBytes({ name }) }],
  };
}

/**
 * errdefs.Source as Go's encoding/json writes it: struct field order, empty fields omitted,
 * bytes as base64, start/end always present, lines 1-based, zero ints omitted.
 */
export function sourceDetail(filename: string, data: Uint8Array, ranges: readonly SourceRange[], language?: string): RpcDetail {
  const info: Record<string, string> = {};
  if (filename !== '') info['filename'] = filename;
  if (data.length > 0) info['data'] = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  if (language !== undefined && language !== '') info['language'] = language;
  const json = { info, ranges: ranges.map((r) => ({ start: goPosition(r.startLine), end: goPosition(r.endLine) })) };
  return { typeUrl: SOURCE_DETAIL_TYPE_URL, value: goJsonBytes(json) };
}

/** JSON.stringify keeps insertion order, which we give in Go's struct field order */
function goJsonBytes(value: object): Uint8Array {
  return new TextEncoder().encode(goJsonEscape(JSON.stringify(value)));
}

// Columns are left out: buildx's snippet shows lines only, and BuildKit's Position.character
// counts differently from our 1-based columns.
function goPosition(line: number): { line?: number } {
  return line !== 0 ? { line } : {};
}

function diagnosticSourceDetail(d: Diagnostic, files: ReadonlyMap<string, Uint8Array>, dockerfile: string): RpcDetail | undefined {
  if (d.file === undefined || d.range === undefined) return undefined;
  const data = files.get(d.file);
  if (data === undefined) return undefined;
  return sourceDetail(d.file, data, [d.range], d.file === dockerfile ? DOCKERFILE_LANGUAGE : undefined);
}

function forwardedDetails(cause: unknown): readonly RpcDetail[] {
  for (let c = cause, depth = 0; c !== undefined && depth < 16; depth++) {
    if (c instanceof GatewayCallError) return c.status.details;
    c = c instanceof Error ? c.cause : undefined;
  }
  return [];
}

function internalErrorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return `internal error, this is a bug in gosh-frontend (please report it): ${text}`;
}
