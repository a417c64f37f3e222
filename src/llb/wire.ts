// The only place in llb/ that knows protobufjs. Op bytes are hashed by BuildKit as we send
// them, so encoding must be canonical: callers build plain objects whose map fields are
// inserted in sorted key order (protobufjs writes maps in object key order), and
// protobufjs 8.8.1 already writes fields by number and skips proto3 zero scalars.
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';
import { MessageWriter, type FieldSchema, type MessageSchema, type ScalarKind } from './wire-writer.js';

const OPS_PROTO = fileURLToPath(new URL('../../proto/moby/buildkit/solver/pb/ops.proto', import.meta.url));

let cached: { op: protobuf.Type; definition: protobuf.Type; opSchema: MessageSchema } | undefined;

function types(): { op: protobuf.Type; definition: protobuf.Type; opSchema: MessageSchema } {
  if (cached === undefined) {
    const root = protobuf.loadSync(OPS_PROTO).resolveAll();
    const op = root.lookupType('pb.Op');
    cached = { op, definition: root.lookupType('pb.Definition'), opSchema: messageSchema(op, new Map()) };
  }
  return cached;
}

const SCALARS: ReadonlySet<string> = new Set<ScalarKind>(['string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64']);

function scalarKind(type: string, resolved: protobuf.ReflectionObject | null): ScalarKind | undefined {
  if (resolved instanceof protobuf.Enum) return 'enum';
  if (SCALARS.has(type)) return type as ScalarKind;
  return undefined;
}

/** The writer's view of a protobufjs type; recursive types share one schema object. */
function messageSchema(type: protobuf.Type, seen: Map<protobuf.Type, MessageSchema>): MessageSchema {
  const known = seen.get(type);
  if (known !== undefined) return known;
  const fields: FieldSchema[] = [];
  const schema: MessageSchema = { name: type.fullName, fields };
  seen.set(type, schema);
  for (const f of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
    const kind = scalarKind(f.type, f.resolvedType);
    if (kind === undefined && !(f.resolvedType instanceof protobuf.Type)) throw new Error(`wire: ${type.fullName}.${f.name} has unsupported type ${f.type}`);
    const mapKey = f instanceof protobuf.MapField ? scalarKind(f.keyType, null) : undefined;
    const field: FieldSchema = {
      id: f.id,
      name: f.name,
      repeated: f.repeated,
      kind: kind ?? 'message',
      packed: f.repeated && kind !== undefined && kind !== 'string' && kind !== 'bytes' && f.packed,
      skipZero: !f.repeated && mapKey === undefined && kind !== undefined && !f.hasPresence,
      ...(mapKey !== undefined ? { mapKey } : {}),
    };
    fields.push(field);
    if (kind === undefined) field.message = messageSchema(f.resolvedType as protobuf.Type, seen);
  }
  return schema;
}

/**
 * An op encoder for one Definition. It writes what protobufjs writes (wire-writer.test.ts), but
 * copies the bytes of a repeated string field's leading entries from the previous op that had
 * them: the env every exec op of a stage repeats is encoded once. Measured against protobufjs'
 * own encoder on the 2,000-instruction bench, marshaling takes about a quarter less CPU.
 */
export function createOpEncoder(): (op: OpMessage) => Uint8Array {
  const { opSchema } = types();
  const writer = new MessageWriter();
  return (op) => writer.encode(opSchema, op);
}

/** A pb.Op as a plain protobufjs object (proto field names, enums as numbers). */
export type OpMessage = Record<string, unknown>;

/**
 * Encodes a plain op object. The builders in llb/ produce objects of the proto's exact shape
 * (numbers for enums and int64, Uint8Array for bytes), so no fromObject/verify pass is needed
 * on this hot path; verifyOp checks the shape in tests.
 */
export function encodeOp(op: OpMessage): Uint8Array {
  return createOpEncoder()(op);
}

/** protobufjs' own encoding of an op: the reference the writer is tested against. */
export function encodeOpWithProtobufjs(op: OpMessage): Uint8Array {
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
