import { compareUtf8 } from '../core/canonical.js';

/** True for keys a JS object always lists first and in numeric order ("0", "9", "10"). */
function isArrayIndexKey(key: string): boolean {
  if (!/^(0|[1-9][0-9]*)$/.test(key)) return false;
  return Number(key) < 2 ** 32 - 1;
}

/**
 * A record for a proto map field whose Object.keys() order is the UTF-8 byte order of its keys.
 * protobufjs writes map entries in Object.keys() order while gogo (BuildKit) sorts them, and plain
 * objects put integer-like keys first whatever the insertion order; for those keys only, a Proxy
 * reports the sorted order. Later duplicates win.
 */
export function sortedRecord<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const byKey = new Map<string, V>();
  for (const [key, value] of entries) byKey.set(key, value);
  const keys = [...byKey.keys()].sort(compareUtf8);
  const record: Record<string, V> = {};
  for (const key of keys) {
    // defineProperty: a "__proto__" key must become a property, not the prototype
    Object.defineProperty(record, key, { value: byKey.get(key), enumerable: true, writable: true, configurable: true });
  }
  if (!keys.some(isArrayIndexKey)) return record;
  return new Proxy(record, { ownKeys: () => [...keys] });
}

/** sortedRecord over a record's entries with each value mapped. */
export function mapSorted<V, W>(record: Readonly<Record<string, V>>, map: (value: V, key: string) => W): Record<string, W> {
  return sortedRecord(Object.entries(record).map(([key, value]) => [key, map(value, key)] as const));
}
