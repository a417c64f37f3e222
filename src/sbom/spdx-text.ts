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

/** Where `created` goes in a rendered body: first member of the top-level creationInfo (keys sorted). */
const CREATION_INFO_LINE = '\n  "creationInfo": {\n';
/** `documentNamespace` sorts right after `dataLicense` among the top-level keys. */
const DATA_LICENSE_RE = /\n {2}"dataLicense": "[^"\\\n]*",\n/g;

function onlyMatch(text: string, re: RegExp): number | undefined {
  const all = [...text.matchAll(re)];
  return all.length === 1 && all[0] !== undefined ? all[0].index + all[0][0].length : undefined;
}

/**
 * The three texts of a document from one rendering of its body (the document without
 * `documentNamespace` and `creationInfo.created`): the body digest, then, once `created` and the
 * namespace are known, the namespace seed and the final text, by inserting their lines where the
 * sorted rendering puts them. The same bytes as rendering each variant; undefined when the body
 * does not have the expected top-level lines.
 */
export function spdxTextsFromBody(bodyText: string): { bodyDigest: Digest; finish(created: string): { seed: string; text(namespace: string): string } } | undefined {
  const creation = bodyText.indexOf(CREATION_INFO_LINE);
  const license = onlyMatch(bodyText, DATA_LICENSE_RE);
  if (creation < 0 || bodyText.indexOf(CREATION_INFO_LINE, creation + 1) >= 0 || license === undefined || license < creation) return undefined;
  const at = creation + CREATION_INFO_LINE.length;
  return {
    bodyDigest: sha256Digest(bodyText),
    finish(created: string) {
      const createdLine = `    "created": ${JSON.stringify(created)},\n`;
      const dated = bodyText.slice(0, at) + createdLine + bodyText.slice(at);
      const shifted = license + createdLine.length;
      return {
        seed: sha256Digest(dated),
        text: (namespace: string) => `${dated.slice(0, shifted)}  "documentNamespace": ${JSON.stringify(namespace)},\n${dated.slice(shifted)}`,
      };
    },
  };
}
