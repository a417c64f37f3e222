// SPDXIDs derived from identity keys, never counted (sbom-lock.md §7.2), so adding one entry
// does not renumber the others: SPDXRef-<Kind>-<readable parts>-<first 8 hex of sha256(key)>.
import { sha256Hex } from '../core/digest.js';
import { parseImageRef } from '../core/image-ref.js';
import { consumerKey, type Consumer, type LockImage, type LockManifest, type LockPackage } from '../lock/model.js';

export const ROOT_SPDX_ID = 'SPDXRef-Root';

/** SPDXIDs allow letters, digits, "." and "-" only. */
export function sanitizeIdPart(part: string): string {
  return part.replace(/[^A-Za-z0-9.-]/g, '-');
}

function derivedId(kind: string, parts: readonly string[], identity: string): string {
  return `SPDXRef-${kind}-${parts.map(sanitizeIdPart).join('-')}-${sha256Hex(identity).slice(0, 8)}`;
}

/** `SPDXRef-Image-<last path segment>[-<tag>]-<hash of the lock key>` */
export function imageSpdxId(image: LockImage): string {
  const parsed = parseImageRef(image.ref);
  if (!parsed.ok) return derivedId('Image', [image.ref], image.ref);
  const segments = parsed.ref.path.split('/');
  const parts = [segments[segments.length - 1] ?? parsed.ref.path];
  if (parsed.ref.tag !== undefined) parts.push(parsed.ref.tag);
  return derivedId('Image', parts, image.ref);
}

const packageIds = new WeakMap<LockPackage, string>();

/** `SPDXRef-Crate-<name>-<version>-<hash of the purl>`, `SPDXRef-Npm-…` for npm packages */
export function packageSpdxId(pkg: LockPackage): string {
  // asked for once per package and once per edge end: a sha256 each time adds up at 10,000
  let id = packageIds.get(pkg);
  if (id === undefined) {
    id = derivedId(pkg.type === 'cargo' ? 'Crate' : 'Npm', [pkg.name, pkg.version], pkg.purl);
    packageIds.set(pkg, id);
  }
  return id;
}

/** `SPDXRef-SubImage-<name>-<hash of "subimage:<name>">` (the key the §7.4 example was made with) */
export function subimageSpdxId(name: string): string {
  return derivedId('SubImage', [name], consumerKey({ kind: 'subimage', name }));
}

/** `SPDXRef-File-<path>-<hash of the path>`, the path without "./" */
export function manifestSpdxId(manifest: LockManifest): string {
  return derivedId('File', [manifest.path], manifest.path);
}

export function consumerSpdxId(consumer: Consumer): string {
  return consumer.kind === 'root' ? ROOT_SPDX_ID : subimageSpdxId(consumer.name);
}
