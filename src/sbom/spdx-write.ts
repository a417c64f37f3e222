// Lock + BuildFacts → sbom.spdx.json (sbom-lock.md §7, rules A–D): the same inputs give the same
// bytes on every machine, whatever order the entries were added in.
import { compareCodeUnits } from '../core/canonical.js';
import type { Digest } from '../core/digest.js';
import { fail } from '../core/errors.js';
import { parseImageRef } from '../core/image-ref.js';
import { resolveBuildGraph, type BuildGraph } from '../lock/graph.js';
import type { BuildFacts, Consumer, ImageUse, Lock, LockImage, LockManifest, LockMode, LockPackage, LockSubimage } from '../lock/model.js';
import { ociImagePurl } from '../lock/purl.js';
import { chooseCreated } from './created.js';
import type { JsonObject, JsonValue } from '../core/json-text.js';
import { ROOT_SPDX_ID, consumerSpdxId, imageSpdxId, manifestSpdxId, packageSpdxId, sanitizeIdPart, subimageSpdxId } from './spdx-ids.js';
import { LOCK_CREATOR, STABLE_HASH_REF, SUBIMAGE_CONTEXT_REF } from './lock-format.js';
import { SPDX_DATA_LICENSE, SPDX_DOCUMENT_ID, SPDX_VERSION } from './spdx-schema.js';
import { namespaceSeed, renderSpdxText, spdxBodyDigest, spdxTextsFromBody } from './spdx-text.js';
import { formatUsageComment } from './usage-comment.js';
import { UUID_NAMESPACE_URL, uuidV5 } from './uuid.js';

/** SPDX 6.5.2's default for creators without a website of their own */
export const DEFAULT_NAMESPACE_BASE = 'https://spdx.org/spdxdocs';

export interface SpdxWriteOptions {
  readonly mode: LockMode;
  /** parsed SOURCE_DATE_EPOCH (created.ts parseSourceDateEpoch) */
  readonly sourceDateEpoch?: number;
  /** documentNamespace base (Gosh.yaml sbom.namespace); DEFAULT_NAMESPACE_BASE otherwise */
  readonly namespaceBase?: string;
}

export interface SpdxOutput {
  /** the file's bytes as text: UTF-8, no BOM, one trailing newline */
  readonly text: string;
  readonly document: JsonObject;
  readonly documentNamespace: string;
  /** the UUIDv5 at the end of the namespace, reusable as the CycloneDX serial number */
  readonly uuid: string;
  readonly created: string;
  readonly bodyDigest: Digest;
}

function imagePackage(image: LockImage): JsonObject {
  const parsed = parseImageRef(image.ref);
  if (!parsed.ok) fail('INTERNAL', `lock image key ${JSON.stringify(image.ref)} is not a reference: ${parsed.reason}`);
  const hex = image.digest.slice('sha256:'.length);
  return {
    SPDXID: imageSpdxId(image),
    checksums: [{ algorithm: 'SHA256', checksumValue: hex }],
    downloadLocation: 'NOASSERTION',
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceLocator: ociImagePurl(parsed.ref, image.digest), referenceType: 'purl' }],
    filesAnalyzed: false,
    name: image.ref,
    primaryPackagePurpose: 'CONTAINER',
    versionInfo: image.digest,
  };
}

function cratePackage(pkg: LockPackage): JsonObject {
  return {
    SPDXID: packageSpdxId(pkg),
    checksums: [...pkg.checksums].sort((a, b) => compareCodeUnits(a.algorithm, b.algorithm)).map((c) => ({ algorithm: c.algorithm, checksumValue: c.value })),
    downloadLocation: pkg.downloadLocation,
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceLocator: pkg.purl, referenceType: 'purl' }],
    filesAnalyzed: false,
    name: pkg.name,
    primaryPackagePurpose: 'LIBRARY',
    versionInfo: pkg.version,
  };
}

/** The directory a sub-image is built from, for its comment: ./tools for tools/Dockerfile. */
function subimageDirectory(sub: LockSubimage): string {
  const slash = sub.dockerfile.lastIndexOf('/');
  return slash < 0 ? '.' : `./${sub.dockerfile.slice(0, slash)}`;
}

function subimagePackage(sub: LockSubimage): JsonObject {
  return {
    SPDXID: subimageSpdxId(sub.name),
    comment: `gosh sub-image built from ${subimageDirectory(sub)}`,
    downloadLocation: 'NONE',
    externalRefs: [
      { referenceCategory: 'OTHER', referenceLocator: sub.stableHash, referenceType: STABLE_HASH_REF },
      { referenceCategory: 'OTHER', referenceLocator: sub.dockerfile, referenceType: SUBIMAGE_CONTEXT_REF },
    ],
    filesAnalyzed: false,
    name: sub.name,
    primaryPackagePurpose: 'CONTAINER',
    versionInfo: sub.stableHash,
  };
}

function manifestFile(manifest: LockManifest): JsonObject {
  return {
    SPDXID: manifestSpdxId(manifest),
    checksums: [
      { algorithm: 'SHA1', checksumValue: manifest.sha1 },
      { algorithm: 'SHA256', checksumValue: manifest.sha256 },
    ],
    fileName: `./${manifest.path}`,
  };
}

interface Relationship {
  readonly spdxElementId: string;
  readonly relationshipType: string;
  readonly relatedSpdxElement: string;
  readonly comment?: string;
}

function compareRelationships(a: Relationship, b: Relationship): number {
  return compareCodeUnits(a.spdxElementId, b.spdxElementId) || compareCodeUnits(a.relationshipType, b.relationshipType) || compareCodeUnits(a.relatedSpdxElement, b.relatedSpdxElement);
}

function imageRelationships(graph: BuildGraph): Relationship[] {
  const dockerfiles = new Map(graph.subimages.map((s) => [s.name, s.dockerfile]));
  const images = new Map(graph.images.map((i) => [i.ref, i]));
  const sourceId = (use: ImageUse): string => {
    if (use.source.kind === 'subimage') return subimageSpdxId(use.source.name);
    const image = images.get(use.source.ref);
    return image === undefined ? '' : imageSpdxId(image);
  };
  const groups = new Map<string, { rel: Omit<Relationship, 'comment'>; uses: ImageUse[]; consumer: Consumer }>();
  for (const use of graph.imageUses) {
    const consumer = consumerSpdxId(use.consumer);
    const source = sourceId(use);
    const rel =
      use.role === 'base'
        ? { spdxElementId: consumer, relationshipType: 'DESCENDANT_OF', relatedSpdxElement: source }
        : { spdxElementId: source, relationshipType: 'BUILD_TOOL_OF', relatedSpdxElement: consumer };
    const key = `${rel.spdxElementId} ${rel.relationshipType} ${rel.relatedSpdxElement}`;
    const group = groups.get(key) ?? { rel, uses: [], consumer: use.consumer };
    group.uses.push(use);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ rel, uses, consumer }) => ({
    ...rel,
    comment: formatUsageComment(uses, consumer.kind === 'subimage' ? dockerfiles.get(consumer.name) : undefined),
  }));
}

function relationships(graph: BuildGraph): Relationship[] {
  const packages = new Map(graph.packages.map((p) => [p.purl, p]));
  const manifests = new Map(graph.manifests.map((m) => [m.path, m]));
  const out: Relationship[] = [{ spdxElementId: SPDX_DOCUMENT_ID, relationshipType: 'DESCRIBES', relatedSpdxElement: ROOT_SPDX_ID }, ...imageRelationships(graph)];
  for (const use of graph.packageUses) {
    const pkg = packages.get(use.purl);
    if (pkg !== undefined) out.push({ spdxElementId: packageSpdxId(pkg), relationshipType: 'BUILD_DEPENDENCY_OF', relatedSpdxElement: consumerSpdxId(use.consumer) });
  }
  for (const pkg of graph.packages) {
    for (const dep of new Set(pkg.dependsOn)) {
      const target = packages.get(dep);
      if (target !== undefined) out.push({ spdxElementId: packageSpdxId(pkg), relationshipType: 'DEPENDS_ON', relatedSpdxElement: packageSpdxId(target) });
    }
  }
  for (const use of graph.manifestUses) {
    const manifest = manifests.get(use.path);
    if (manifest !== undefined) out.push({ spdxElementId: manifestSpdxId(manifest), relationshipType: 'DEPENDENCY_MANIFEST_OF', relatedSpdxElement: consumerSpdxId(use.consumer) });
  }
  return out.sort(compareRelationships);
}

function bySpdxId(a: JsonObject, b: JsonObject): number {
  return compareCodeUnits(a['SPDXID'] as string, b['SPDXID'] as string);
}

/** The document without `created` and `documentNamespace`, whose digest decides `created`. */
function documentBody(graph: BuildGraph): Record<string, JsonValue> {
  const root: JsonObject = { SPDXID: ROOT_SPDX_ID, downloadLocation: 'NOASSERTION', filesAnalyzed: false, name: graph.name, primaryPackagePurpose: 'CONTAINER' };
  const packages = [root, ...graph.images.map(imagePackage), ...graph.packages.map(cratePackage), ...graph.subimages.map(subimagePackage)].sort(bySpdxId);
  const files = graph.manifests.map(manifestFile).sort(bySpdxId);
  return {
    SPDXID: SPDX_DOCUMENT_ID,
    creationInfo: { creators: [LOCK_CREATOR] },
    dataLicense: SPDX_DATA_LICENSE,
    ...(files.length > 0 ? { files } : {}),
    name: graph.name,
    packages,
    relationships: relationships(graph).map((r) => ({ ...r })),
    spdxVersion: SPDX_VERSION,
  };
}

/**
 * Renders the SPDX 2.3 lock/SBOM of one build: the entries `facts` uses, pinned by `lock`.
 * documentNamespace = `<base>/<name>-<UUIDv5 of the text without the namespace>`.
 * @throws GoshError LOCK_IMAGE_MISSING / LOCK_ENTRY_MISSING when a use is not pinned
 */
export function writeSpdxLock(lock: Lock, facts: BuildFacts, options: SpdxWriteOptions): SpdxOutput {
  if (facts.name.trim() === '' || /[\r\n]/.test(facts.name)) fail('INTERNAL', `the SBOM name must be a non-empty single line, got ${JSON.stringify(facts.name)}`);
  const graph = resolveBuildGraph(lock, facts);
  const body = documentBody(graph);
  // one rendering of 10,000 packages, not three (body digest, namespace seed, text)
  const texts = spdxTextsFromBody(renderSpdxText(body));
  const bodyDigest = texts?.bodyDigest ?? spdxBodyDigest(body);
  const created = chooseCreated({
    mode: options.mode,
    bodyDigest,
    ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
    ...(lock.document !== undefined ? { previous: lock.document } : {}),
  });
  const dated: JsonObject = { ...body, creationInfo: { created, creators: [LOCK_CREATOR] } };
  const finished = texts?.finish(created);
  const uuid = uuidV5(UUID_NAMESPACE_URL, finished?.seed ?? namespaceSeed(dated));
  const base = (options.namespaceBase ?? DEFAULT_NAMESPACE_BASE).replace(/\/+$/, '');
  const documentNamespace = `${base}/${sanitizeIdPart(graph.name)}-${uuid}`;
  const document: JsonObject = { ...dated, documentNamespace };
  return { text: finished?.text(documentNamespace) ?? renderSpdxText(document), document, documentNamespace, uuid, created, bodyDigest };
}
