// The SBOM descriptor (sbom-lock.md §11): an OCI descriptor of the SBOM blob plus a pending
// provenance record an attestor can fulfil. Deterministic: the DSSE hash commits to the exact
// in-toto statement, the nonce to the SBOM and the image name, neither to a clock or randomness.
import { canonicalJson } from '../core/canonical.js';
import { sha256Digest, sha256Hex, type Digest } from '../core/digest.js';
import { fail } from '../core/errors.js';
import { dssePae } from './dsse.js';
import { jcs } from './jcs.js';
import type { JsonObject, JsonValue } from '../core/json-text.js';
import { isSpdxDate } from './spdx-document.js';

export const DESCRIPTOR_SCHEMA = 'gosh.sbom-descriptor.v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
const NONCE_DOMAIN = 'gosh-nonce-v1';

// annotation keys: pre-defined OCI ones (image-spec annotations.md) and ours under dev.gosh.*
export const ANNOTATION_TITLE = 'org.opencontainers.image.title';
export const ANNOTATION_CREATED = 'org.opencontainers.image.created';
export const ANNOTATION_FORMAT = 'dev.gosh.sbom.format';
export const ANNOTATION_SPEC_VERSION = 'dev.gosh.sbom.spec-version';
export const ANNOTATION_DOCUMENT_NAMESPACE = 'dev.gosh.sbom.document-namespace';

export type SbomFormat = 'spdx-json' | 'cyclonedx-json';

const FORMATS: Readonly<Record<SbomFormat, { mediaType: string; predicateType: string; specVersion: string }>> = {
  'spdx-json': { mediaType: 'application/spdx+json', predicateType: 'https://spdx.dev/Document', specVersion: 'SPDX-2.3' },
  'cyclonedx-json': { mediaType: 'application/vnd.cyclonedx+json', predicateType: 'https://cyclonedx.org/bom', specVersion: 'CycloneDX-1.6' },
};

/** An OCI content descriptor (image-spec descriptor.md), the fields gosh uses. */
export interface OciDescriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
}

export interface SbomDescriptor {
  readonly schema: typeof DESCRIPTOR_SCHEMA;
  readonly generator: { readonly name: string; readonly version: string };
  /** the built image; absent until `gosh descriptor` fills it from buildx metadata */
  readonly subject?: OciDescriptor;
  readonly artifact: OciDescriptor & { readonly artifactType: string; readonly annotations: Readonly<Record<string, string>> };
  readonly provenance: {
    readonly status: 'pending';
    readonly payloadType: string;
    readonly predicateType: string;
    /** hex sha256 of PAE(payloadType, JCS(in-toto statement)) */
    readonly expectedDsseSha256: string;
    /** 32 hex, independent of `subject` */
    readonly nonce: string;
    readonly attestorUri?: string;
  };
}

export interface DescriptorInput {
  /** the SBOM file exactly as written */
  readonly sbom: string | Uint8Array;
  readonly format: SbomFormat;
  /** the file name, e.g. sbom.spdx.json */
  readonly title: string;
  /** the SBOM's created time, YYYY-MM-DDThh:mm:ssZ */
  readonly created: string;
  /** SPDX documentNamespace, or the CycloneDX serial number URN */
  readonly documentNamespace: string;
  /** the image the SBOM describes: the SBOM's document name */
  readonly imageName: string;
  readonly generator: { readonly name: string; readonly version: string };
  readonly subject?: OciDescriptor;
  /** Gosh.yaml descriptor.attestor */
  readonly attestorUri?: string;
  /** `sbom` already parsed, when the caller has it: spares a second parse of a large SBOM */
  readonly parsed?: JsonValue;
}

/** The statement an attestor signs: subject [] while the image digest is unknown. */
export function inTotoStatement(predicate: JsonValue, predicateType: string, imageName: string, subject?: OciDescriptor): JsonObject {
  const subjects: JsonValue[] = subject === undefined ? [] : [{ name: imageName, digest: { sha256: subject.digest.slice('sha256:'.length) } }];
  return { _type: IN_TOTO_STATEMENT_TYPE, subject: subjects, predicateType, predicate };
}

/** The hex sha256 an attestor's envelope will have: sha256(PAE(payloadType, JCS(statement))). */
export function expectedDsseSha256(statement: JsonObject): string {
  return sha256Hex(dssePae(IN_TOTO_PAYLOAD_TYPE, Buffer.from(jcs(statement), 'utf8')));
}

/** first 32 hex of sha256("gosh-nonce-v1" NUL image NUL digest NUL mediaType NUL namespace) */
export function descriptorNonce(imageName: string, digest: Digest, mediaType: string, documentNamespace: string): string {
  return sha256Hex([NONCE_DOMAIN, imageName, digest, mediaType, documentNamespace].join('\u0000')).slice(0, 32);
}

/** @throws GoshError INTERNAL when the SBOM bytes are not JSON or `created` is malformed */
export function createSbomDescriptor(input: DescriptorInput): SbomDescriptor {
  const format = FORMATS[input.format];
  const bytes = typeof input.sbom === 'string' ? Buffer.from(input.sbom, 'utf8') : input.sbom;
  if (!isSpdxDate(input.created)) fail('INTERNAL', `created must be YYYY-MM-DDThh:mm:ssZ, got ${JSON.stringify(input.created)}`);
  let predicate: JsonValue;
  try {
    predicate = input.parsed ?? (JSON.parse(Buffer.from(bytes).toString('utf8')) as JsonValue);
  } catch (cause) {
    return fail('INTERNAL', `the SBOM to describe is not JSON: ${String(cause)}`);
  }
  const digest = sha256Digest(bytes);
  const statement = inTotoStatement(predicate, format.predicateType, input.imageName, input.subject);
  return {
    schema: DESCRIPTOR_SCHEMA,
    generator: { name: input.generator.name, version: input.generator.version },
    ...(input.subject !== undefined ? { subject: { mediaType: input.subject.mediaType, digest: input.subject.digest, size: input.subject.size } } : {}),
    artifact: {
      mediaType: format.mediaType,
      artifactType: format.mediaType,
      digest,
      size: bytes.byteLength,
      annotations: {
        [ANNOTATION_TITLE]: input.title,
        [ANNOTATION_CREATED]: input.created,
        [ANNOTATION_FORMAT]: input.format,
        [ANNOTATION_SPEC_VERSION]: format.specVersion,
        [ANNOTATION_DOCUMENT_NAMESPACE]: input.documentNamespace,
      },
    },
    provenance: {
      status: 'pending',
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      predicateType: format.predicateType,
      expectedDsseSha256: expectedDsseSha256(statement),
      nonce: descriptorNonce(input.imageName, digest, format.mediaType, input.documentNamespace),
      ...(input.attestorUri !== undefined ? { attestorUri: input.attestorUri } : {}),
    },
  };
}

/** Sorted keys, 2-space indent, one trailing "\n" (rule A). */
export function renderSbomDescriptor(descriptor: SbomDescriptor): string {
  return `${canonicalJson(descriptor, 2)}\n`;
}
