// RFC 8785 JSON Canonicalization Scheme: compact, object keys sorted by UTF-16 code units,
// numbers and strings as ECMAScript's JSON.stringify writes them. What an in-toto statement is
// hashed and signed as.
import { compareCodeUnits } from '../core/canonical.js';
import type { JsonValue } from './json-text.js';

/** @throws TypeError for a number JSON cannot carry (NaN, Infinity) */
export function jcs(value: JsonValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`JCS cannot encode ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: JsonValue) => jcs(v)).join(',')}]`;
  const obj = value as Readonly<Record<string, JsonValue>>;
  const keys = Object.keys(obj).sort(compareCodeUnits);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${jcs(obj[k] as JsonValue)}`).join(',')}}`;
}
