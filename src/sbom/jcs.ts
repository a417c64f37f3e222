// RFC 8785 JSON Canonicalization Scheme: compact, object keys sorted by UTF-16 code units,
// numbers and strings as ECMAScript's JSON.stringify writes them. What an in-toto statement is
// hashed and signed as.
import { compareCodeUnits } from '../core/canonical.js';
import type { JsonValue } from '../core/json-text.js';

/** @throws TypeError for a number JSON cannot carry (NaN, Infinity) */
export function jcs(value: JsonValue): string {
  // a parsed document is written by JSON.stringify itself once its keys are in order (natively,
  // a multi-megabyte SBOM in a few ms); anything it would write differently takes the general path
  // (a toJSON on Object.prototype would be called by JSON.stringify, never by `write`)
  const ready = typeof (Object.prototype as { toJSON?: unknown }).toJSON === 'function' ? UNFIT : ordered(value);
  return ready === UNFIT ? write(value) : JSON.stringify(ready);
}

function write(value: JsonValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`JCS cannot encode ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: JsonValue) => write(v)).join(',')}]`;
  const obj = value as Readonly<Record<string, JsonValue>>;
  const keys = Object.keys(obj).sort(compareCodeUnits);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${write(obj[k] as JsonValue)}`).join(',')}}`;
}

const UNFIT = Symbol('unfit');
const INDEX_KEY_RE = /^(?:0|[1-9][0-9]*)$/;

/**
 * `value` with every object's keys inserted in code unit order, sharing what is in order already;
 * UNFIT where JSON.stringify would not write what `write` does: a non-finite number, integer-like
 * keys (they always come first), "__proto__", toJSON, holes, anything but plain JSON data.
 */
function ordered(value: unknown): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : UNFIT;
  if (typeof value !== 'object') return UNFIT;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const r = v === undefined ? UNFIT : ordered(v);
      if (r === UNFIT) return UNFIT;
      if (r !== v && out === undefined) out = value.slice(0, i);
      out?.push(r);
    }
    return out ?? value;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  // an own toJSON function makes it UNFIT below, as any function member does
  if (proto !== Object.prototype && proto !== null) return UNFIT;
  const rec = value as Record<string, unknown>;
  const keys = Object.keys(rec);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1]! < keys[i]!;
  const order = sorted ? keys : keys.slice().sort(); // the default order is by code units
  let out: Record<string, unknown> | undefined = sorted ? undefined : {};
  for (let i = 0; i < order.length; i++) {
    const k = order[i]!;
    const first = k.charCodeAt(0);
    if ((first >= 0x30 && first <= 0x39 && INDEX_KEY_RE.test(k)) || k === '__proto__') return UNFIT;
    const v = rec[k];
    const r = v === undefined ? UNFIT : ordered(v);
    if (r === UNFIT) return UNFIT;
    if (out === undefined && r !== v) {
      out = {};
      for (let j = 0; j < i; j++) out[order[j]!] = rec[order[j]!];
    }
    if (out !== undefined) out[k] = r;
  }
  return out ?? rec;
}
