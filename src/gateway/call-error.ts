import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { diagnostic, GoshError } from '../core/errors.js';
import { decodeRpcStatus, RPC_CODE_UNKNOWN, type RpcStatus } from './rpc-status.js';
import type { LlbBridgeMethod } from './service.js';

/** Trailer holding the full google.rpc.Status, typed details included (grpc-go convention). */
export const STATUS_DETAILS_TRAILER = 'grpc-status-details-bin';

/**
 * A gateway RPC that BuildKit (or the connection) failed. Code GATEWAY, and it keeps the whole
 * upstream status: a Solve with `evaluate` that fails carries errdefs.Source/Vertex/Solve details
 * which must reach Return(error) byte for byte so buildx prints BuildKit's own snippet.
 */
export class GatewayCallError extends GoshError {
  /** the upstream status; `details` are the Any values exactly as received */
  readonly status: RpcStatus;

  constructor(
    readonly method: LlbBridgeMethod,
    status: RpcStatus,
    options?: { cause?: unknown },
  ) {
    super(diagnostic('GATEWAY', describeFailure(method, status)), options);
    this.name = 'GatewayCallError';
    this.status = status;
  }

  get details(): RpcStatus['details'] {
    return this.status.details;
  }
}

function describeFailure(method: LlbBridgeMethod, status: RpcStatus): string {
  const codeName = status.code === RPC_CODE_UNKNOWN ? '' : `${GrpcStatus[status.code] ?? `code ${status.code}`}: `;
  return `gateway ${method} failed: ${codeName}${status.message}`;
}

/** Wraps a grpc-js call error, decoding the typed details from its status trailer. */
export function gatewayCallError(method: LlbBridgeMethod, error: ServiceError): GatewayCallError {
  return new GatewayCallError(method, { code: error.code, message: error.details, details: trailerDetails(error) }, { cause: error });
}

function trailerDetails(error: ServiceError): RpcStatus['details'] {
  // grpc-js base64-decodes "-bin" metadata into Buffers
  const [value] = error.metadata?.get(STATUS_DETAILS_TRAILER) ?? [];
  if (!(value instanceof Uint8Array)) return [];
  try {
    return decodeRpcStatus(value).details;
  } catch {
    return []; // an unreadable trailer must not hide the error itself
  }
}
