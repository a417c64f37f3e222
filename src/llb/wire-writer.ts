// A protobuf writer for plain message objects, driven by a schema that wire.ts derives from the
// proto. It writes exactly what protobufjs' generated encoders write (fields by number, present
// fields even when zero, proto3 packed scalars, map entries in object key order), but in two
// passes into one buffer with no per-field allocation: marshaling is the compiler's hot path.

export type ScalarKind = 'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'enum';

export interface FieldSchema {
  readonly id: number;
  readonly name: string;
  readonly repeated: boolean;
  /** set for map fields: the key's kind; `kind`/`message` then describe the value */
  readonly mapKey?: ScalarKind;
  readonly kind: ScalarKind | 'message';
  /** for kind 'message': the nested type (resolved lazily, types are recursive) */
  message?: MessageSchema;
  /** proto3 packed encoding of a repeated scalar */
  readonly packed: boolean;
  /** a proto3 scalar without presence: its zero value is not written */
  readonly skipZero: boolean;
}

export interface MessageSchema {
  readonly name: string;
  /** by field number */
  readonly fields: readonly FieldSchema[];
}

type Msg = Readonly<Record<string, unknown>>;

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

function wireType(kind: ScalarKind | 'message'): number {
  return kind === 'string' || kind === 'bytes' || kind === 'message' ? WIRE_LEN : WIRE_VARINT;
}

function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  let n = 5;
  for (let x = Math.floor(v / 0x800000000); x > 0; x = Math.floor(x / 0x80)) n++;
  return n;
}

/** Size of a signed 64-bit varint for a JS number (negative numbers take ten bytes). */
function int64Size(v: number): number {
  return v < 0 ? 10 : varintSize(v);
}

function hasOwn(m: Msg, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

function isZero(v: unknown): boolean {
  return v === 0 || v === false || v === '' || (v instanceof Uint8Array && v.length === 0);
}

/** Whether a singular field is written at all, as protobufjs decides. */
function present(f: FieldSchema, m: Msg, v: unknown): boolean {
  if (v === undefined || v === null || !hasOwn(m, f.name)) return false;
  return !(f.skipZero && isZero(v));
}

// lists their makers promise never to change (markImmutable): kept by reference, not copied
const immutableLists = new WeakSet<readonly unknown[]>();

/**
 * Promises that `list` never changes, so writers may keep it rather than a copy to compare the
 * next value of its field with. (Not Object.freeze: frozen arrays take V8's slow paths.)
 */
export function markImmutable<T extends readonly unknown[]>(list: T): T {
  immutableLists.add(list);
  return list;
}

/** The last value written for one repeated string field, kept to copy a shared prefix. */
interface WrittenList {
  readonly values: readonly unknown[];
  /** the field's encoded entries (tags included), a view into the message it was written in */
  readonly bytes: Uint8Array;
  /** offsets[i]: where entry i starts in `bytes`; offsets[values.length] = bytes.length */
  readonly offsets: readonly number[];
}

/** How the write pass writes one repeated string field: `reuse` leading entries are copied. */
interface ListPlan {
  readonly prev: WrittenList | undefined;
  readonly reuse: number;
}

/**
 * Encodes messages; reusable (its scratch arrays are reset per message). Repeated string fields
 * reuse the bytes of the same field's previous value for their common leading entries: exec ops
 * of one stage carry the same, growing env list, and marshaling writes them one after another.
 */
export class MessageWriter {
  // message and string byte sizes in pre-order, computed by the size pass, read by the write pass
  private sizes: number[] = [];
  private sizeAt = 0;
  private plans: ListPlan[] = [];
  private planAt = 0;
  private readonly lastLists = new Map<FieldSchema, WrittenList>();
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  encode(schema: MessageSchema, m: Msg): Uint8Array {
    this.sizes = [];
    this.plans = [];
    const size = this.messageSize(schema, m);
    this.sizeAt = 0;
    this.planAt = 0;
    this.buf = Buffer.allocUnsafe(size);
    this.pos = 0;
    this.writeMessage(schema, m);
    if (this.pos !== size) throw new Error(`wire-writer: ${schema.name} wrote ${this.pos} of ${size} bytes`);
    return this.buf;
  }

  // ---- size pass ----

  private messageSize(schema: MessageSchema, m: Msg): number {
    const slot = this.sizes.length;
    this.sizes.push(0);
    let n = 0;
    for (const f of schema.fields) {
      const v = m[f.name];
      if (!present(f, m, v)) continue;
      if (f.mapKey !== undefined) n += this.mapSize(f, v as Msg);
      else if (f.repeated) n += this.repeatedSize(f, v as readonly unknown[]);
      else n += varintSize(f.id * 8) + this.valueSize(f, v);
    }
    this.sizes[slot] = n;
    return n;
  }

  private repeatedSize(f: FieldSchema, list: readonly unknown[]): number {
    if (list.length === 0) return 0;
    if (f.packed) {
      let inner = 0;
      for (const v of list) inner += this.scalarSize(f.kind as ScalarKind, v);
      return varintSize(f.id * 8) + varintSize(inner) + inner;
    }
    let n = 0;
    const tag = varintSize(f.id * 8);
    let from = 0;
    if (f.kind === 'string') {
      const prev = this.lastLists.get(f);
      if (prev !== undefined) {
        const max = Math.min(prev.values.length, list.length);
        if (prev.values === list) from = max;
        while (from < max && prev.values[from] === list[from]) from++;
        n += prev.offsets[from] as number;
      }
      this.plans.push({ prev, reuse: from });
    }
    for (let i = from; i < list.length; i++) n += tag + this.valueSize(f, list[i]);
    return n;
  }

  private mapSize(f: FieldSchema, map: Msg): number {
    let n = 0;
    const tag = varintSize(f.id * 8);
    const keyKind = f.mapKey as ScalarKind;
    for (const k of Object.keys(map)) {
      const slot = this.sizes.length;
      this.sizes.push(0);
      const entry = 1 + this.scalarSize(keyKind, k) + 1 + this.valueSize(f, map[k]);
      this.sizes[slot] = entry;
      n += tag + varintSize(entry) + entry;
    }
    return n;
  }

  /** Bytes of one value after its tag: length prefix included for length-delimited kinds. */
  private valueSize(f: FieldSchema, v: unknown): number {
    if (f.kind === 'message') {
      const inner = this.messageSize(f.message as MessageSchema, v as Msg);
      return varintSize(inner) + inner;
    }
    return this.scalarSize(f.kind, v);
  }

  private scalarSize(kind: ScalarKind, v: unknown): number {
    switch (kind) {
      case 'string': {
        const len = Buffer.byteLength(v as string, 'utf8');
        this.sizes.push(len);
        return varintSize(len) + len;
      }
      case 'bytes': {
        const len = (v as Uint8Array).length;
        return varintSize(len) + len;
      }
      case 'bool':
        return 1;
      case 'uint32':
        return varintSize((v as number) >>> 0);
      case 'int32':
      case 'enum':
        return int64Size(v as number);
      case 'int64':
      case 'uint64':
        return int64Size(Number(v));
    }
  }

  // ---- write pass ----

  private writeMessage(schema: MessageSchema, m: Msg): void {
    this.sizeAt++; // this message's own size was read by the caller (or is the total)
    for (const f of schema.fields) {
      const v = m[f.name];
      if (!present(f, m, v)) continue;
      if (f.mapKey !== undefined) this.writeMap(f, v as Msg);
      else if (f.repeated) this.writeRepeated(f, v as readonly unknown[]);
      else {
        this.varint(f.id * 8 + wireType(f.kind));
        this.writeValue(f, v);
      }
    }
  }

  private writeRepeated(f: FieldSchema, list: readonly unknown[]): void {
    if (list.length === 0) return;
    if (f.packed) {
      let inner = 0;
      for (const v of list) inner += this.scalarSize(f.kind as ScalarKind, v);
      this.varint(f.id * 8 + WIRE_LEN);
      this.varint(inner);
      for (const v of list) this.writeScalar(f.kind as ScalarKind, v);
      return;
    }
    const tag = f.id * 8 + wireType(f.kind);
    if (f.kind !== 'string') {
      for (const v of list) {
        this.varint(tag);
        this.writeValue(f, v);
      }
      return;
    }
    const { prev, reuse } = this.plans[this.planAt++] as ListPlan;
    if (prev !== undefined && prev.values === list) {
      // the same immutable list as last time: its bytes, and the last list stays as it is
      this.buf.set(prev.bytes, this.pos);
      this.pos += prev.bytes.length;
      return;
    }
    const start = this.pos;
    const offsets = prev !== undefined ? prev.offsets.slice(0, reuse + 1) : [0];
    if (prev !== undefined && reuse > 0) {
      const end = offsets[reuse] as number;
      this.buf.set(prev.bytes.subarray(0, end), this.pos);
      this.pos += end;
    }
    for (let i = reuse; i < list.length; i++) {
      this.varint(tag);
      this.writeValue(f, list[i]);
      offsets.push(this.pos - start);
    }
    // a copy unless immutable: the caller's array may change after encoding, the bytes would not
    this.lastLists.set(f, { values: immutableLists.has(list) ? list : list.slice(), bytes: this.buf.subarray(start, this.pos), offsets });
  }

  private writeMap(f: FieldSchema, map: Msg): void {
    const keyKind = f.mapKey as ScalarKind;
    for (const k of Object.keys(map)) {
      const entry = this.sizes[this.sizeAt++] as number;
      this.varint(f.id * 8 + WIRE_LEN);
      this.varint(entry);
      this.varint(8 + wireType(keyKind));
      this.writeScalar(keyKind, k);
      this.varint(16 + wireType(f.kind));
      this.writeValue(f, map[k]);
    }
  }

  private writeValue(f: FieldSchema, v: unknown): void {
    if (f.kind === 'message') {
      this.varint(this.sizes[this.sizeAt] as number);
      this.writeMessage(f.message as MessageSchema, v as Msg);
      return;
    }
    this.writeScalar(f.kind, v);
  }

  private writeScalar(kind: ScalarKind, v: unknown): void {
    switch (kind) {
      case 'string': {
        const len = this.sizes[this.sizeAt++] as number;
        this.varint(len);
        this.pos += this.buf.write(v as string, this.pos, len, 'utf8');
        return;
      }
      case 'bytes':
        this.raw(v as Uint8Array);
        return;
      case 'bool':
        this.buf[this.pos++] = v === true ? 1 : 0;
        return;
      case 'uint32':
        this.varint((v as number) >>> 0);
        return;
      case 'int32':
      case 'enum':
        this.int64(v as number);
        return;
      case 'int64':
      case 'uint64':
        this.int64(Number(v));
        return;
    }
  }

  private raw(bytes: Uint8Array): void {
    this.varint(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  private varint(v: number): void {
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  /** two's complement over 64 bits for negatives, as protobuf writes int32/int64 */
  private int64(v: number): void {
    if (v >= 0) {
      this.varint(v);
      return;
    }
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.buf[this.pos++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.pos++] = Number(x);
  }
}
