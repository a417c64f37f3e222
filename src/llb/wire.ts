// The only place in llb/ that knows protobufjs. Op bytes are hashed by BuildKit as we send
// them, so encoding must be canonical: callers build plain objects whose map fields are
// inserted in sorted key order (protobufjs writes maps in object key order), and
// protobufjs 8.8.1 already writes fields by number and skips proto3 zero scalars.
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';

const OPS_PROTO = fileURLToPath(new URL('../../proto/moby/buildkit/solver/pb/ops.proto', import.meta.url));

let cached: { op: protobuf.Type; definition: protobuf.Type } | undefined;

function types(): { op: protobuf.Type; definition: protobuf.Type } {
  if (cached === undefined) {
    const root = protobuf.loadSync(OPS_PROTO);
    cached = { op: root.lookupType('pb.Op'), definition: root.lookupType('pb.Definition') };
  }
  return cached;
}

/** A pb.Op as a plain protobufjs object (proto field names, enums as numbers). */
export type OpMessage = Record<string, unknown>;

/**
 * Encodes a plain op object. The builders in llb/ produce objects of the proto's exact shape
 * (numbers for enums and int64, Uint8Array for bytes), so no fromObject/verify pass is needed
 * on this hot path; verifyOp checks the shape in tests.
 */
export function encodeOp(op: OpMessage): Uint8Array {
  return types().op.encode(op).finish();
}

/** The protobufjs shape check of an op object; null when it is valid. */
export function verifyOp(op: OpMessage): string | null {
  return types().op.verify(op);
}

export interface DecodeOptions {
  /** enums as their names (for readable dumps) instead of numbers */
  readonly enumNames?: boolean;
}

export function decodeOp(bytes: Uint8Array, options: DecodeOptions = {}): OpMessage {
  const { op: type } = types();
  return type.toObject(type.decode(bytes), {
    longs: Number,
    enums: options.enumNames === true ? String : Number,
    bytes: Buffer,
    oneofs: false,
    defaults: false,
  });
}

/** Decodes a marshaled pb.Definition (e.g. one BuildKit returned in Ref.def). */
export function decodeDefinitionMessage(bytes: Uint8Array): Record<string, unknown> {
  const { definition } = types();
  return definition.toObject(definition.decode(bytes), { longs: Number, enums: Number, bytes: Buffer, defaults: false });
}

export function encodeDefinitionMessage(def: Record<string, unknown>): Uint8Array {
  const { definition } = types();
  return definition.encode(definition.fromObject(def)).finish();
}
