import { decodeMessage, encodeMessage } from './codec.js';
import { STATUS_TYPE } from './service.js';
import type { WireStatus } from './wire-types.js';

/** One google.protobuf.Any of a google.rpc.Status; BuildKit's typed details are JSON values. */
export interface RpcDetail {
  readonly typeUrl: string;
  readonly value: Uint8Array;
}

/** google.rpc.Status: what Return(error) carries and what a failed call's trailer holds. */
export interface RpcStatus {
  readonly code: number;
  readonly message: string;
  readonly details: readonly RpcDetail[];
}

/**
 * gRPC code UNKNOWN. BuildKit prints any other code's name before the message once per layer
 * that forwards the error ("InvalidArgument: InvalidArgument: …"), UNKNOWN prints nothing.
 */
export const RPC_CODE_UNKNOWN = 2;

export function rpcStatusToWire(status: RpcStatus): WireStatus {
  return {
    code: status.code,
    message: status.message,
    details: status.details.map((d) => ({ type_url: d.typeUrl, value: d.value })),
  };
}

export function rpcStatusFromWire(wire: WireStatus): RpcStatus {
  return {
    code: wire.code ?? 0,
    message: wire.message ?? '',
    details: (wire.details ?? []).map((d) => ({ typeUrl: d.type_url ?? '', value: new Uint8Array(d.value ?? []) })),
  };
}

export function encodeRpcStatus(status: RpcStatus): Uint8Array {
  return encodeMessage(STATUS_TYPE, rpcStatusToWire(status));
}

/** @throws GoshError GATEWAY when the bytes are not a google.rpc.Status */
export function decodeRpcStatus(bytes: Uint8Array): RpcStatus {
  return rpcStatusFromWire(decodeMessage<WireStatus>(STATUS_TYPE, bytes));
}
