// Lock + BuildFacts → CycloneDX 1.6 JSON, a derived output (the lock is the SPDX file), built with
// @cyclonedx/cyclonedx-library. Deterministic: every component has an explicit bom-ref (the
// library's discriminator would otherwise invent random ones), lists are sorted by the library
// (sortLists), the timestamp is the SPDX `created`, the serial number is derived, never random.
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { compareCodeUnits } from '../core/canonical.js';
import { fail } from '../core/errors.js';
import { parseImageRef } from '../core/image-ref.js';
import { resolveBuildGraph, type BuildGraph } from '../lock/graph.js';
import type { BuildFacts, ChecksumAlgorithm, Consumer, ImageRole, Lock } from '../lock/model.js';
import { ociImagePurl } from '../lock/purl.js';
import { isSpdxDate } from './spdx-document.js';

export const ROOT_BOM_REF = 'gosh:root';

export interface CycloneDxOptions {
  /** the SPDX `created` of the same build, YYYY-MM-DDThh:mm:ssZ */
  readonly created: string;
  /** lowercase UUID for `serialNumber` (the SPDX namespace's UUIDv5); omitted when absent */
  readonly serialUuid?: string;
  /** the tool that made the BOM: the frontend's own name and version */
  readonly generator: { readonly name: string; readonly version: string };
}

const HASH_ALGORITHMS: Readonly<Partial<Record<ChecksumAlgorithm, Enums.HashAlgorithm>>> = {
  SHA1: Enums.HashAlgorithm['SHA-1'],
  SHA256: Enums.HashAlgorithm['SHA-256'],
  SHA384: Enums.HashAlgorithm['SHA-384'],
  SHA512: Enums.HashAlgorithm['SHA-512'],
  'SHA3-256': Enums.HashAlgorithm['SHA3-256'],
  'SHA3-384': Enums.HashAlgorithm['SHA3-384'],
  'SHA3-512': Enums.HashAlgorithm['SHA3-512'],
  'BLAKE2b-256': Enums.HashAlgorithm['BLAKE2b-256'],
  'BLAKE2b-384': Enums.HashAlgorithm['BLAKE2b-384'],
  'BLAKE2b-512': Enums.HashAlgorithm['BLAKE2b-512'],
  BLAKE3: Enums.HashAlgorithm.BLAKE3,
  MD5: Enums.HashAlgorithm.MD5,
};

/** `gosh:role` values (sbom-lock.md §7.4, CycloneDX mapping) */
const ROLE_PROPERTY: Readonly<Record<ImageRole, string>> = {
  base: 'base-image',
  build: 'build-image',
  copy: 'copy-image',
  mount: 'mount-image',
};

export function subimageBomRef(dockerfile: string): string {
  return `gosh:subimage:${dockerfile}`;
}

export function manifestBomRef(path: string): string {
  return `gosh:file:${path}`;
}

function hashes(list: readonly { algorithm: ChecksumAlgorithm; value: string }[]): Models.HashDictionary {
  const out = new Models.HashDictionary();
  for (const c of list) {
    const algorithm = HASH_ALGORITHMS[c.algorithm];
    if (algorithm !== undefined) out.set(algorithm, c.value);
  }
  return out;
}

function properties(pairs: readonly (readonly [string, string])[]): Models.PropertyRepository {
  return new Models.PropertyRepository(pairs.map(([name, value]) => new Models.Property(name, value)));
}

/** Builds the library's model; exported for tests that inspect it. */
export function buildCycloneDxBom(graph: BuildGraph, options: CycloneDxOptions): Models.Bom {
  const roles = new Map<string, Set<ImageRole>>();
  for (const use of graph.imageUses) {
    const key = use.source.kind === 'image' ? `image:${use.source.ref}` : `subimage:${use.source.name}`;
    roles.set(key, (roles.get(key) ?? new Set()).add(use.role));
  }
  const roleProperties = (key: string): [string, string][] =>
    [...(roles.get(key) ?? [])].map((r): [string, string] => ['gosh:role', ROLE_PROPERTY[r]]).sort((a, b) => compareCodeUnits(a[1], b[1]));

  const root = new Models.Component(Enums.ComponentType.Container, graph.name, { bomRef: ROOT_BOM_REF });
  const components = new Map<string, Models.Component>();
  for (const image of graph.images) {
    const parsed = parseImageRef(image.ref);
    if (!parsed.ok) fail('INTERNAL', `lock image key ${JSON.stringify(image.ref)} is not a reference: ${parsed.reason}`);
    const purl = ociImagePurl(parsed.ref, image.digest);
    const component = new Models.Component(Enums.ComponentType.Container, image.ref, {
      bomRef: purl,
      purl,
      version: image.digest,
      hashes: hashes([{ algorithm: 'SHA256', value: image.digest.slice('sha256:'.length) }]),
      properties: properties(roleProperties(`image:${image.ref}`)),
    });
    components.set(`image:${image.ref}`, component);
  }
  for (const sub of graph.subimages) {
    const component = new Models.Component(Enums.ComponentType.Container, sub.name, {
      bomRef: subimageBomRef(sub.dockerfile),
      version: sub.stableHash,
      properties: properties([['gosh:stable-hash', sub.stableHash], ['gosh:subimage-context', sub.dockerfile], ...roleProperties(`subimage:${sub.name}`)]),
    });
    components.set(`subimage:${sub.name}`, component);
  }
  for (const pkg of graph.packages) {
    // an npm scope is the component's group, as CycloneDX's npm tooling writes it
    const slash = pkg.type === 'npm' && pkg.name.startsWith('@') ? pkg.name.indexOf('/') : -1;
    const component = new Models.Component(Enums.ComponentType.Library, slash > 0 ? pkg.name.slice(slash + 1) : pkg.name, {
      ...(slash > 0 ? { group: pkg.name.slice(0, slash) } : {}),
      bomRef: pkg.purl,
      purl: pkg.purl,
      version: pkg.version,
      hashes: hashes(pkg.checksums),
      externalReferences: new Models.ExternalReferenceRepository([new Models.ExternalReference(pkg.downloadLocation, Enums.ExternalReferenceType.Distribution)]),
    });
    components.set(`package:${pkg.purl}`, component);
  }
  for (const manifest of graph.manifests) {
    const component = new Models.Component(Enums.ComponentType.File, `./${manifest.path}`, {
      bomRef: manifestBomRef(manifest.path),
      hashes: hashes([
        { algorithm: 'SHA1', value: manifest.sha1 },
        { algorithm: 'SHA256', value: manifest.sha256 },
      ]),
      properties: properties([['gosh:role', 'dependency-manifest']]),
    });
    components.set(`manifest:${manifest.path}`, component);
  }

  const consumer = (c: Consumer): Models.Component | undefined => (c.kind === 'root' ? root : components.get(`subimage:${c.name}`));
  const link = (from: Models.Component | undefined, to: Models.Component | undefined): void => {
    if (from !== undefined && to !== undefined) from.dependencies.add(to.bomRef);
  };
  for (const use of graph.imageUses) {
    const key = use.source.kind === 'image' ? `image:${use.source.ref}` : `subimage:${use.source.name}`;
    link(consumer(use.consumer), components.get(key));
  }
  for (const use of graph.packageUses) link(consumer(use.consumer), components.get(`package:${use.purl}`));
  for (const pkg of graph.packages) {
    for (const dep of pkg.dependsOn) link(components.get(`package:${pkg.purl}`), components.get(`package:${dep}`));
  }

  const tool = new Models.Component(Enums.ComponentType.Application, options.generator.name, { version: options.generator.version });
  const bom = new Models.Bom({
    metadata: new Models.Metadata({
      timestamp: new Date(`${options.created.slice(0, -1)}.000Z`),
      component: root,
      tools: new Models.Tools({ components: new Models.ComponentRepository([tool]) }),
    }),
    components: new Models.ComponentRepository(components.values()),
  });
  if (options.serialUuid !== undefined) bom.serialNumber = `urn:uuid:${options.serialUuid}`;
  return bom;
}

/**
 * Renders the CycloneDX 1.6 JSON of one build: 2-space indent, lists sorted, one trailing "\n".
 * @throws GoshError LOCK_IMAGE_MISSING / LOCK_ENTRY_MISSING when a use is not pinned
 */
export function writeCycloneDx(lock: Lock, facts: BuildFacts, options: CycloneDxOptions): string {
  if (!isSpdxDate(options.created)) fail('INTERNAL', `created must be YYYY-MM-DDThh:mm:ssZ, got ${JSON.stringify(options.created)}`);
  if (options.serialUuid !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(options.serialUuid)) {
    fail('INTERNAL', `serial UUID must be a lowercase UUID, got ${JSON.stringify(options.serialUuid)}`);
  }
  const bom = buildCycloneDxBom(resolveBuildGraph(lock, facts), options);
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}
