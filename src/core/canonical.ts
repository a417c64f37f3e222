/** Orders strings by UTF-16 code units: the same on every machine and locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders strings by their UTF-8 bytes, as Go's sort.Strings and gogo's map marshaling do. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function sortedKeys(obj: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(obj).sort(compareUtf8);
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
  return write(value, indent > 0 ? ' '.repeat(indent) : '', '');
}

function write(value: unknown, unit: string, pad: string): string {
  if (value === null) return 'null';
  if (value instanceof Map) {
    const rec: Record<string, unknown> = {};
    for (const [k, v] of value) rec[String(k)] = v;
    return write(rec, unit, pad);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = pad + unit;
    const items = value.map((v) => write(v === undefined ? null : v, unit, inner));
    return unit === '' ? `[${items.join(',')}]` : `[\n${inner}${items.join(`,\n${inner}`)}\n${pad}]`;
  }
  if (typeof value === 'object') {
    const maybe = value as { toJSON?: () => unknown };
    if (typeof maybe.toJSON === 'function') return write(maybe.toJSON(), unit, pad);
    const rec = value as Record<string, unknown>;
    const keys = sortedKeys(rec).filter((k) => rec[k] !== undefined && typeof rec[k] !== 'function');
    if (keys.length === 0) return '{}';
    const inner = pad + unit;
    const sep = unit === '' ? ':' : ': ';
    const items = keys.map((k) => `${JSON.stringify(k)}${sep}${write(rec[k], unit, inner)}`);
    return unit === '' ? `{${items.join(',')}}` : `{\n${inner}${items.join(`,\n${inner}`)}\n${pad}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : text;
}

/** Go's encoding/json escapes <, > and & in strings; BuildKit's configs carry that form. */
export function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
