// The bytes of an SPDX document (sbom-lock.md rule A) and the digests derived from them.
import { canonicalJson } from '../core/canonical.js';
import { sha256Digest, type Digest } from '../core/digest.js';
import type { JsonObject } from '../core/json-text.js';

/** Keys sorted at every level, 2-space indent, "\n" line ends, one trailing "\n". */
export function renderSpdxText(document: JsonObject): string {
  return `${canonicalJson(document, 2)}\n`;
}

function without(document: JsonObject, keys: readonly string[]): JsonObject {
  const out: Record<string, JsonObject[string]> = {};
  for (const [k, v] of Object.entries(document)) if (!keys.includes(k)) out[k] = v;
  if (typeof document['creationInfo'] === 'object' && document['creationInfo'] !== null && keys.includes('creationInfo.created')) {
    const info: Record<string, JsonObject[string]> = {};
    for (const [k, v] of Object.entries(document['creationInfo'])) if (k !== 'created') info[k] = v;
    out['creationInfo'] = info;
  }
  return out;
}

/** What the namespace UUID is computed over: the text of the document without its namespace. */
export function namespaceSeed(document: JsonObject): string {
  return sha256Digest(renderSpdxText(without(document, ['documentNamespace'])));
}

/** Identifies the content regardless of when and under which namespace it was written. */
export function spdxBodyDigest(document: JsonObject): Digest {
  return sha256Digest(renderSpdxText(without(document, ['documentNamespace', 'creationInfo.created'])));
}
