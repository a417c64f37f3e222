// The descriptor `gosh descriptor` prints: the frontend's descriptor (sbom/descriptor.ts, the
// same function the frontend calls, so digest, size, nonce and placeholder agree) plus what a
// StellaOps-style pipeline records next to it: org.stellaops.* annotations, an optional
// artifactType, generatedAt and the Surface manifest. Pure: the caller brings the clock.
import { canonicalJson } from '../core/canonical.js';
import type { Digest } from '../core/digest.js';
import { imageName, type ImageRef } from '../core/image-ref.js';
import {
  ANNOTATION_CREATED,
  ANNOTATION_DOCUMENT_NAMESPACE,
  ANNOTATION_SPEC_VERSION,
  createSbomDescriptor,
  type OciDescriptor,
  type SbomDescriptor,
} from '../sbom/descriptor.js';
import type { JsonValue } from '../core/json-text.js';
import type { SbomKind } from './generator-manifest.js';
import type { SbomIdentity } from './sbom-identity.js';
import type { SurfaceReference } from './surface.js';

// StellaOps-namespaced annotations (image-spec annotations.md: reverse-DNS keys of the owner)
export const ANNOTATION_STELLAOPS_SBOM_NAME = 'org.stellaops.sbom.name';
export const ANNOTATION_STELLAOPS_SBOM_FORMAT = 'org.stellaops.sbom.format';
export const ANNOTATION_STELLAOPS_SBOM_KIND = 'org.stellaops.sbom.kind';
export const ANNOTATION_STELLAOPS_IMAGE_NAME = 'org.stellaops.image.name';
export const ANNOTATION_STELLAOPS_IMAGE_DIGEST = 'org.stellaops.image.digest';
export const ANNOTATION_STELLAOPS_REPOSITORY = 'org.stellaops.repository';
export const ANNOTATION_STELLAOPS_BUILD_REF = 'org.stellaops.build.ref';

/** What createSbomDescriptor needs for `created` when the SBOM has no time (then not shown). */
const NO_TIME = '1970-01-01T00:00:00Z';

export interface CliDescriptorInput {
  /** the SBOM file's exact bytes */
  readonly sbom: Uint8Array;
  /** the same, parsed (identifySbom has it already) */
  readonly document?: JsonValue;
  readonly identity: SbomIdentity;
  /** --sbom-name, else the file's base name */
  readonly sbomName: string;
  readonly kind: SbomKind;
  readonly image: ImageRef & { readonly digest: Digest };
  readonly artifactType?: string;
  readonly repository?: string;
  readonly buildRef?: string;
  /** from --metadata-file */
  readonly subject?: OciDescriptor;
  readonly attestorUri?: string;
  readonly generator: { readonly name: string; readonly version: string };
  /** YYYY-MM-DDThh:mm:ssZ */
  readonly generatedAt: string;
  readonly surface?: SurfaceReference;
}

export interface CliDescriptor extends SbomDescriptor {
  readonly generatedAt: string;
  readonly surface?: SurfaceReference;
}

/**
 * The statement's image name and the nonce's document identity are the SBOM's own (document
 * name, namespace or serial number), as in the frontend, which never sees the image reference;
 * only an SBOM that names no component falls back to the --image repository.
 */
export function createCliDescriptor(input: CliDescriptorInput): CliDescriptor {
  const { identity } = input;
  const base = createSbomDescriptor({
    sbom: input.sbom,
    format: identity.format,
    title: input.sbomName,
    created: identity.created ?? NO_TIME,
    documentNamespace: identity.documentNamespace ?? '',
    imageName: identity.name ?? imageName(input.image),
    generator: input.generator,
    ...(input.subject !== undefined ? { subject: input.subject } : {}),
    ...(input.attestorUri !== undefined ? { attestorUri: input.attestorUri } : {}),
    ...(input.document !== undefined ? { parsed: input.document } : {}),
  });
  const dropped = new Set<string>();
  if (identity.created === undefined) dropped.add(ANNOTATION_CREATED);
  if (identity.documentNamespace === undefined) dropped.add(ANNOTATION_DOCUMENT_NAMESPACE);
  const annotations: Record<string, string> = Object.fromEntries(Object.entries(base.artifact.annotations).filter(([k]) => !dropped.has(k)));
  // the document's own version: a syft CycloneDX 1.5 file is not CycloneDX-1.6 because we write 1.6
  annotations[ANNOTATION_SPEC_VERSION] = identity.specVersion;
  annotations[ANNOTATION_STELLAOPS_SBOM_NAME] = input.sbomName;
  annotations[ANNOTATION_STELLAOPS_SBOM_FORMAT] = identity.format;
  annotations[ANNOTATION_STELLAOPS_SBOM_KIND] = input.kind;
  annotations[ANNOTATION_STELLAOPS_IMAGE_NAME] = imageName(input.image);
  annotations[ANNOTATION_STELLAOPS_IMAGE_DIGEST] = input.image.digest;
  if (input.repository !== undefined) annotations[ANNOTATION_STELLAOPS_REPOSITORY] = input.repository;
  if (input.buildRef !== undefined) annotations[ANNOTATION_STELLAOPS_BUILD_REF] = input.buildRef;
  return {
    ...base,
    artifact: { ...base.artifact, artifactType: input.artifactType ?? base.artifact.artifactType, annotations },
    generatedAt: input.generatedAt,
    ...(input.surface !== undefined ? { surface: input.surface } : {}),
  };
}

/** Sorted keys, 2-space indent, one trailing "\n" (sbom-lock.md rule A), like the frontend's. */
export function renderCliDescriptor(descriptor: CliDescriptor): string {
  return `${canonicalJson(descriptor, 2)}\n`;
}
