/** Orders strings by UTF-16 code units: the same on every machine and locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders strings by their UTF-8 bytes, as Go's sort.Strings and gogo's map marshaling do. */
export function compareUtf8(a: string, b: string): number {
  // UTF-8 byte order is code point order, which is code unit order unless a surrogate decides
  // (a pair encodes a code point above U+FFFF; a lone one is written as U+FFFD): only then encode.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (isSurrogate(x) || isSurrogate(y)) return compareBytes(a, b);
    return x < y ? -1 : 1;
  }
  if (a.length === b.length) return 0;
  // one is a prefix of the other: shorter first, unless a surrogate follows (it may pair up)
  if (isSurrogate((a.length < b.length ? b : a).charCodeAt(n))) return compareBytes(a, b);
  return a.length < b.length ? -1 : 1;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}

export function sortedKeys(obj: Readonly<Record<string, unknown>>): string[] {
  return sortUtf8(Object.keys(obj));
}

/** Sorts in place; keys usually arrive sorted already (a canonical file read back), so check first. */
function sortUtf8(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) {
    if (compareUtf8(keys[i - 1]!, keys[i]!) > 0) return keys.sort(compareUtf8);
  }
  return keys;
}

export function sortedEntries<V>(obj: Readonly<Record<string, V>>): [string, V][] {
  return sortedKeys(obj).map((k) => [k, obj[k] as V]);
}

/**
 * JSON text with object keys sorted by UTF-8 bytes at every level (Map keys too), written by
 * hand because JSON.stringify always puts integer-like keys ("9", "10") first. Arrays keep
 * their order; undefined members are dropped; `indent` as in JSON.stringify.
 */
export function canonicalJson(value: unknown, indent = 0): string {
  // JSON.stringify writes the same bytes, natively, once every object's keys are in order: used
  // whenever the value can be put in that form (ours always can); `write` is the general case.
  if (typeof value === 'object' && value !== null && indent <= 10) {
    const ready = stringifiable(value);
    if (ready !== UNFIT) return JSON.stringify(ready, null, indent > 0 ? indent : undefined);
  }
  return write(value, indent > 0 ? ' '.repeat(indent) : '', '');
}

const UNFIT = Symbol('unfit');
const INDEX_KEY_RE = /^(?:0|[1-9][0-9]*)$/;

/**
 * `value` as plain objects and arrays that JSON.stringify writes exactly as `write` does: keys
 * inserted in UTF-8 order, Maps and toJSON results resolved, symbols as null. Shares what needs
 * no change. UNFIT where JSON.stringify cannot keep the order (integer-like keys always come
 * first, "__proto__" cannot be assigned) or write the value (bigint).
 */
function stringifiable(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return UNFIT;
    return typeof value === 'symbol' ? null : value;
  }
  if (value instanceof Map) {
    const rec: Record<string, unknown> = {};
    for (const [k, v] of value) {
      if (String(k) === '__proto__') return UNFIT;
      rec[String(k)] = v;
    }
    return stringifiable(rec);
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const ready = stringifiable(v);
      if (ready === UNFIT) return UNFIT;
      if (ready !== v && out === undefined) out = value.slice(0, i);
      out?.push(ready);
    }
    return out ?? value;
  }
  const maybe = value as { toJSON?: () => unknown };
  if (typeof maybe.toJSON === 'function') {
    const json = maybe.toJSON();
    return typeof json === 'object' && json !== null ? stringifiable(json) : json === undefined || typeof json === 'function' || typeof json === 'symbol' ? null : stringifiable(json);
  }
  const rec = value as Record<string, unknown>;
  const keys = Object.keys(rec);
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = compareUtf8(keys[i - 1]!, keys[i]!) < 0;
  const order = inOrder ? keys : keys.slice().sort(compareUtf8);
  const proto: unknown = Object.getPrototypeOf(rec);
  // a copy only once something differs: keys out of order, a class instance, a changed member
  let out: Record<string, unknown> | undefined = !inOrder || (proto !== Object.prototype && proto !== null) ? {} : undefined;
  for (let i = 0; i < order.length; i++) {
    const k = order[i]!;
    const first = k.charCodeAt(0);
    if ((first >= 0x30 && first <= 0x39 && INDEX_KEY_RE.test(k)) || k === '__proto__') return UNFIT;
    const v = rec[k];
    const r = v === undefined || typeof v === 'function' ? undefined : stringifiable(v);
    if (r === UNFIT) return UNFIT;
    if (out === undefined && r !== v) {
      out = {};
      for (let j = 0; j < i; j++) {
        const earlier = rec[order[j]!];
        if (earlier !== undefined && typeof earlier !== 'function') out[order[j]!] = earlier;
      }
    }
    if (out !== undefined && r !== undefined) out[k] = r;
  }
  return out ?? rec;
}

// One pass, concatenating as it goes: the general case (integer-like keys, bigint).
function write(value: unknown, unit: string, pad: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Map) {
    const rec: Record<string, unknown> = {};
    for (const [k, v] of value) rec[String(k)] = v;
    return write(rec, unit, pad);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = pad + unit;
    const sep = unit === '' ? ',' : `,\n${inner}`;
    let out = unit === '' ? '[' : `[\n${inner}`;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (i > 0) out += sep;
      out += write(v === undefined ? null : v, unit, inner);
    }
    return unit === '' ? `${out}]` : `${out}\n${pad}]`;
  }
  if (typeof value === 'object') {
    const maybe = value as { toJSON?: () => unknown };
    if (typeof maybe.toJSON === 'function') return write(maybe.toJSON(), unit, pad);
    const rec = value as Record<string, unknown>;
    const keys = sortUtf8(Object.keys(rec));
    const inner = pad + unit;
    const sep = unit === '' ? ',' : `,\n${inner}`;
    const colon = unit === '' ? ':' : ': ';
    let out = '';
    for (const k of keys) {
      const v = rec[k];
      if (v === undefined || typeof v === 'function') continue;
      out += `${out === '' ? '' : sep}${JSON.stringify(k)}${colon}${write(v, unit, inner)}`;
    }
    if (out === '') return '{}';
    return unit === '' ? `{${out}}` : `{\n${inner}${out}\n${pad}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : text;
}

/** Go's encoding/json escapes <, > and & in strings; BuildKit's configs carry that form. */
export function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
