// prod's last check (sbom-lock.md V10): the SBOM this build would write must be the committed
// lock, byte for byte. When it is not, say where: the first JSON path whose values differ, with
// its line in the committed file. One check for a prod build (frontend/lock-sbom.ts) and for
// `gosh verify`, so both refuse the same lock in the same words.
import { compareCodeUnits } from '../core/canonical.js';
import { GoshError, diagnostic } from '../core/errors.js';
import type { SourceFile } from '../core/source.js';
import { elementPath, displayPath, isJsonArray, isJsonObject, memberPath, parseJsonText, type JsonValue } from '../core/json-text.js';

/** The committed lock as read: its exact bytes and their text. */
export interface CommittedLock {
  readonly file: SourceFile;
  readonly bytes: Uint8Array;
}

export interface JsonDifference {
  readonly path: string;
  /** the value on each side; undefined where the member or element is absent */
  readonly committed: JsonValue | undefined;
  readonly expected: JsonValue | undefined;
}

/** The first path (object members in code-unit order, elements in order) where two values differ. */
export function firstJsonDifference(committed: JsonValue | undefined, expected: JsonValue | undefined, path = ''): JsonDifference | undefined {
  if (isJsonObject(committed) && isJsonObject(expected)) {
    const keys = [...new Set([...Object.keys(committed), ...Object.keys(expected)])].sort(compareCodeUnits);
    for (const key of keys) {
      const d = firstJsonDifference(committed[key], expected[key], memberPath(path, key));
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (isJsonArray(committed) && isJsonArray(expected)) {
    for (let i = 0; i < Math.max(committed.length, expected.length); i++) {
      const d = firstJsonDifference(committed[i], expected[i], elementPath(path, i));
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (committed === expected) return undefined;
  return { path, committed, expected };
}

function show(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * @throws GoshError LOCK_STALE_ENTRY at the committed lock's first differing JSON path (its line),
 * or naming the formatting when the two are equal as JSON
 */
export function requireSameLock(committed: CommittedLock, expectedText: string, expected: JsonValue): void {
  const bytes = new TextEncoder().encode(expectedText);
  if (Buffer.compare(Buffer.from(committed.bytes), Buffer.from(bytes)) === 0) return;
  const parsed = parseJsonText(committed.file);
  // documentNamespace is derived from everything else, so it differs whenever anything does:
  // look for the difference that caused it first
  const diff = firstJsonDifference(withoutNamespace(parsed.value), withoutNamespace(expected)) ?? firstJsonDifference(parsed.value, expected);
  const file = committed.file.name;
  if (diff === undefined) {
    throw new GoshError(diagnostic('LOCK_STALE_ENTRY', `${file} is not in canonical form (same content, other bytes); run gosh lock to rewrite it`, { file }));
  }
  // an absent member has no position: point at its parent
  let at = diff.path;
  while (at !== '' && !parsed.positions.has(at)) at = parentPath(at);
  const pos = parsed.positions.get(at);
  throw new GoshError(
    diagnostic(
      'LOCK_STALE_ENTRY',
      `the lock differs from the SBOM this build writes: ${file} has ${show(diff.committed)}, the build writes ${show(diff.expected)}; run gosh lock`,
      { file, jsonPath: displayPath(diff.path), ...(pos !== undefined ? { range: { startLine: pos.line, endLine: pos.line } } : {}) },
    ),
  );
}

function withoutNamespace(value: JsonValue): JsonValue {
  if (!isJsonObject(value)) return value;
  const { documentNamespace: _ns, ...rest } = value;
  return rest;
}

/** `a.b[2]` → `a.b`, `a.b` → `a`, `a` → `` (the root). */
function parentPath(path: string): string {
  const parent = path.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, '');
  return parent === path ? '' : parent;
}
