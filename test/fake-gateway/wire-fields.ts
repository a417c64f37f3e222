/**
 * A minimal protobuf wire reader for tests: lists the top-level fields of an encoded message in
 * the order they appear, so tests can check field numbers and key order without protobufjs.
 */
export interface WireField {
  readonly field: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32 */
  readonly wireType: number;
  /** varint value (wire type 0), else the raw bytes */
  readonly value: bigint | Uint8Array;
}

export function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated varint');
      const b = bytes[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  const take = (n: number): Uint8Array => {
    if (pos + n > bytes.length) throw new Error('truncated field');
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  while (pos < bytes.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wireType = key & 7;
    if (wireType === 0) fields.push({ field, wireType, value: varint() });
    else if (wireType === 2) fields.push({ field, wireType, value: take(Number(varint())) });
    else if (wireType === 1) fields.push({ field, wireType, value: take(8) });
    else if (wireType === 5) fields.push({ field, wireType, value: take(4) });
    else throw new Error(`unsupported wire type ${wireType}`);
  }
  return fields;
}

/** Fields with this number, in order. */
export function fieldsNumbered(bytes: Uint8Array, field: number): WireField[] {
  return readFields(bytes).filter((f) => f.field === field);
}

/** The key (field 1, a string) of each entry of map field `field`, in encoded order. */
export function mapKeys(bytes: Uint8Array, field: number): string[] {
  return fieldsNumbered(bytes, field).map((entry) => {
    const key = readFields(entry.value as Uint8Array).find((f) => f.field === 1);
    return key === undefined ? '' : Buffer.from(key.value as Uint8Array).toString('utf8');
  });
}

export function text(value: bigint | Uint8Array): string {
  return Buffer.from(value as Uint8Array).toString('utf8');
}
