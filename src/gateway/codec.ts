import { diagnostic, GoshError } from '../core/errors.js';
import { messageType } from './proto.js';

/**
 * How decoded messages look: int64 as decimal strings (converted to number/bigint at the client
 * border), enums as numbers, bytes as Buffers, every field present (absent messages are null),
 * and `oneofs` adds a virtual property naming the member that is set.
 */
const DECODE_OPTIONS = { longs: String, enums: Number, defaults: true, arrays: true, objects: true, oneofs: true };

/**
 * Encodes a wire-shaped plain object (see wire-types.ts). The object is encoded as given, not
 * through fromObject, so map fields keep the key order sortedRecord() gave them.
 * @throws GoshError INTERNAL when the object does not match the message type (a bug in gosh).
 */
export function encodeMessage(typeName: string, value: object): Buffer {
  const type = messageType(typeName);
  const problem = type.verify(value);
  if (problem !== null) {
    throw new GoshError(diagnostic('INTERNAL', `cannot encode ${typeName}: ${problem}`));
  }
  const bytes = type.encode(value).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes bytes into the plain shape described by DECODE_OPTIONS; `T` is the caller's wire type.
 * @throws GoshError GATEWAY when the bytes are not a valid message.
 */
export function decodeMessage<T>(typeName: string, bytes: Uint8Array): T {
  const type = messageType(typeName);
  try {
    return type.toObject(type.decode(bytes), DECODE_OPTIONS) as T;
  } catch (cause) {
    throw new GoshError(diagnostic('GATEWAY', `malformed ${typeName} message: ${String(cause)}`), { cause });
  }
}
