// SPDX 2.3 JSON, transcribed from the spec's JSON schema (spdx/spdx-spec, branch support/2.3,
// schemas/spdx-schema.json; a copy is test data in test/fixtures/schemas/) into the shape
// language of json-check.ts, plus the typed subset gosh reads. Every object is closed, as in
// the schema (additionalProperties: false).
import type { ChecksumAlgorithm } from '../lock/model.js';
import type { JsonObject } from '../core/json-text.js';
import { ANY_OBJECT, BOOLEAN, INTEGER, STRING, arrayOf, objectOf, oneOf, type Shape } from './json-check.js';

export const SPDX_VERSION = 'SPDX-2.3';
export const SPDX_DATA_LICENSE = 'CC0-1.0';
export const SPDX_DOCUMENT_ID = 'SPDXRef-DOCUMENT';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = [
  'SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'SHA3-256', 'SHA3-384', 'SHA3-512',
  'BLAKE2b-256', 'BLAKE2b-384', 'BLAKE2b-512', 'BLAKE3', 'MD2', 'MD4', 'MD5', 'MD6', 'ADLER32',
];

/** Hex length per algorithm; undefined where the digest size varies (MD6, and BLAKE3's XOF output). */
export const CHECKSUM_HEX_LENGTH: Readonly<Partial<Record<ChecksumAlgorithm, number>>> = {
  SHA1: 40, SHA224: 56, SHA256: 64, SHA384: 96, SHA512: 128, 'SHA3-256': 64, 'SHA3-384': 96, 'SHA3-512': 128,
  'BLAKE2b-256': 64, 'BLAKE2b-384': 96, 'BLAKE2b-512': 128, MD2: 32, MD4: 32, MD5: 32, ADLER32: 8,
};

export type ReferenceCategory = 'SECURITY' | 'PACKAGE-MANAGER' | 'PERSISTENT-ID' | 'OTHER';
/** SPDX-2.2-era JSON and several tools write underscores; read both, write the hyphen. */
export const REFERENCE_CATEGORY_ALIASES: Readonly<Record<string, ReferenceCategory>> = {
  SECURITY: 'SECURITY',
  'PACKAGE-MANAGER': 'PACKAGE-MANAGER',
  PACKAGE_MANAGER: 'PACKAGE-MANAGER',
  'PERSISTENT-ID': 'PERSISTENT-ID',
  PERSISTENT_ID: 'PERSISTENT-ID',
  OTHER: 'OTHER',
};

export type PackagePurpose =
  | 'APPLICATION' | 'FRAMEWORK' | 'LIBRARY' | 'CONTAINER' | 'OPERATING-SYSTEM' | 'DEVICE'
  | 'FIRMWARE' | 'SOURCE' | 'ARCHIVE' | 'FILE' | 'INSTALL' | 'OTHER';
/** The spec text spells OPERATING-SYSTEM, the JSON schema enum OPERATING_SYSTEM: read both. */
export const PACKAGE_PURPOSE_ALIASES: Readonly<Record<string, PackagePurpose>> = {
  APPLICATION: 'APPLICATION', FRAMEWORK: 'FRAMEWORK', LIBRARY: 'LIBRARY', CONTAINER: 'CONTAINER',
  'OPERATING-SYSTEM': 'OPERATING-SYSTEM', OPERATING_SYSTEM: 'OPERATING-SYSTEM', DEVICE: 'DEVICE',
  FIRMWARE: 'FIRMWARE', SOURCE: 'SOURCE', ARCHIVE: 'ARCHIVE', FILE: 'FILE', INSTALL: 'INSTALL', OTHER: 'OTHER',
};

export const RELATIONSHIP_TYPES = [
  'AMENDS', 'ANCESTOR_OF', 'BUILD_DEPENDENCY_OF', 'BUILD_TOOL_OF', 'CONTAINED_BY', 'CONTAINS', 'COPY_OF',
  'DATA_FILE_OF', 'DEPENDENCY_MANIFEST_OF', 'DEPENDENCY_OF', 'DEPENDS_ON', 'DESCENDANT_OF', 'DESCRIBED_BY',
  'DESCRIBES', 'DEV_DEPENDENCY_OF', 'DEV_TOOL_OF', 'DISTRIBUTION_ARTIFACT', 'DOCUMENTATION_OF', 'DYNAMIC_LINK',
  'EXAMPLE_OF', 'EXPANDED_FROM_ARCHIVE', 'FILE_ADDED', 'FILE_DELETED', 'FILE_MODIFIED', 'GENERATED_FROM',
  'GENERATES', 'HAS_PREREQUISITE', 'METAFILE_OF', 'OPTIONAL_COMPONENT_OF', 'OPTIONAL_DEPENDENCY_OF', 'OTHER',
  'PACKAGE_OF', 'PATCH_APPLIED', 'PATCH_FOR', 'PREREQUISITE_FOR', 'PROVIDED_DEPENDENCY_OF',
  'REQUIREMENT_DESCRIPTION_FOR', 'RUNTIME_DEPENDENCY_OF', 'SPECIFICATION_FOR', 'STATIC_LINK', 'TEST_CASE_OF',
  'TEST_DEPENDENCY_OF', 'TEST_OF', 'TEST_TOOL_OF', 'VARIANT_OF',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

const ANNOTATION = objectOf(
  { annotationDate: STRING, annotationType: oneOf('annotation type', ['OTHER', 'REVIEW']), annotator: STRING, comment: STRING },
  ['annotationDate', 'annotationType', 'annotator', 'comment'],
);
const CHECKSUM = objectOf({ algorithm: oneOf('checksum algorithm', CHECKSUM_ALGORITHMS), checksumValue: STRING }, ['algorithm', 'checksumValue']);
const STRINGS = arrayOf(STRING);

export const SPDX_PACKAGE_SHAPE = objectOf(
  {
    SPDXID: STRING, annotations: arrayOf(ANNOTATION), attributionTexts: STRINGS, builtDate: STRING,
    checksums: arrayOf(CHECKSUM), comment: STRING, copyrightText: STRING, description: STRING,
    downloadLocation: STRING,
    externalRefs: arrayOf(
      objectOf(
        { comment: STRING, referenceCategory: oneOf('reference category', Object.keys(REFERENCE_CATEGORY_ALIASES)), referenceLocator: STRING, referenceType: STRING },
        ['referenceCategory', 'referenceLocator', 'referenceType'],
      ),
    ),
    filesAnalyzed: BOOLEAN, hasFiles: STRINGS, homepage: STRING, licenseComments: STRING,
    licenseConcluded: STRING, licenseDeclared: STRING, licenseInfoFromFiles: STRINGS, name: STRING,
    originator: STRING, packageFileName: STRING,
    packageVerificationCode: objectOf({ packageVerificationCodeExcludedFiles: STRINGS, packageVerificationCodeValue: STRING }, ['packageVerificationCodeValue']),
    primaryPackagePurpose: oneOf('primary package purpose', Object.keys(PACKAGE_PURPOSE_ALIASES)),
    releaseDate: STRING, sourceInfo: STRING, summary: STRING, supplier: STRING, validUntilDate: STRING, versionInfo: STRING,
  },
  ['SPDXID', 'downloadLocation', 'name'],
);

export const SPDX_FILE_SHAPE = objectOf(
  {
    SPDXID: STRING, annotations: arrayOf(ANNOTATION), artifactOfs: arrayOf(ANY_OBJECT), attributionTexts: STRINGS,
    checksums: arrayOf(CHECKSUM, 1), comment: STRING, copyrightText: STRING, fileContributors: STRINGS,
    fileDependencies: STRINGS, fileName: STRING,
    fileTypes: arrayOf(oneOf('file type', ['OTHER', 'DOCUMENTATION', 'IMAGE', 'VIDEO', 'ARCHIVE', 'SPDX', 'APPLICATION', 'SOURCE', 'BINARY', 'TEXT', 'AUDIO'])),
    licenseComments: STRING, licenseConcluded: STRING, licenseInfoInFiles: STRINGS, noticeText: STRING,
  },
  ['SPDXID', 'checksums', 'fileName'],
);

const POINTER = objectOf({ reference: STRING, offset: INTEGER, lineNumber: INTEGER }, ['reference']);
const SNIPPET = objectOf(
  {
    SPDXID: STRING, annotations: arrayOf(ANNOTATION), attributionTexts: STRINGS, comment: STRING,
    copyrightText: STRING, licenseComments: STRING, licenseConcluded: STRING, licenseInfoInSnippets: STRINGS,
    name: STRING, ranges: arrayOf(objectOf({ endPointer: POINTER, startPointer: POINTER }, ['endPointer', 'startPointer']), 1),
    snippetFromFile: STRING,
  },
  ['SPDXID', 'name', 'ranges', 'snippetFromFile'],
);

export const SPDX_RELATIONSHIP_SHAPE = objectOf(
  { spdxElementId: STRING, comment: STRING, relatedSpdxElement: STRING, relationshipType: oneOf('relationship type', RELATIONSHIP_TYPES) },
  ['spdxElementId', 'relatedSpdxElement', 'relationshipType'],
);

/** The whole SPDX 2.3 JSON document. */
export const SPDX_DOCUMENT_SHAPE: Shape = objectOf(
  {
    SPDXID: STRING,
    annotations: arrayOf(ANNOTATION),
    comment: STRING,
    creationInfo: objectOf({ comment: STRING, created: STRING, creators: arrayOf(STRING, 1), licenseListVersion: STRING }, ['created', 'creators']),
    dataLicense: STRING,
    externalDocumentRefs: arrayOf(objectOf({ checksum: CHECKSUM, externalDocumentId: STRING, spdxDocument: STRING }, ['checksum', 'externalDocumentId', 'spdxDocument'])),
    hasExtractedLicensingInfos: arrayOf(
      objectOf(
        {
          comment: STRING,
          crossRefs: arrayOf(objectOf({ isLive: BOOLEAN, isValid: BOOLEAN, isWayBackLink: BOOLEAN, match: STRING, order: INTEGER, timestamp: STRING, url: STRING }, ['url'])),
          extractedText: STRING, licenseId: STRING, name: STRING, seeAlsos: STRINGS,
        },
        ['extractedText', 'licenseId'],
      ),
    ),
    name: STRING,
    revieweds: arrayOf(objectOf({ comment: STRING, reviewDate: STRING, reviewer: STRING }, ['reviewDate'])),
    spdxVersion: STRING,
    documentNamespace: STRING,
    documentDescribes: STRINGS,
    packages: arrayOf(SPDX_PACKAGE_SHAPE),
    files: arrayOf(SPDX_FILE_SHAPE),
    snippets: arrayOf(SNIPPET),
    relationships: arrayOf(SPDX_RELATIONSHIP_SHAPE),
  },
  // documentNamespace is required by the spec (6.5) though the schema's list omits it
  ['SPDXID', 'creationInfo', 'dataLicense', 'name', 'spdxVersion', 'documentNamespace'],
);

export interface SpdxChecksum {
  readonly algorithm: ChecksumAlgorithm;
  readonly checksumValue: string;
}

export interface SpdxExternalRef {
  readonly referenceCategory: ReferenceCategory;
  readonly referenceType: string;
  readonly referenceLocator: string;
  readonly comment?: string;
}

/** The package fields gosh reads; `keys` lists every field present, `path` its JSON path. */
export interface SpdxPackage {
  readonly SPDXID: string;
  readonly name: string;
  readonly versionInfo?: string;
  readonly downloadLocation: string;
  readonly filesAnalyzed?: boolean;
  readonly checksums: readonly SpdxChecksum[];
  readonly externalRefs: readonly SpdxExternalRef[];
  readonly primaryPackagePurpose?: PackagePurpose;
  readonly comment?: string;
  readonly keys: readonly string[];
  readonly path: string;
}

export interface SpdxFile {
  readonly SPDXID: string;
  readonly fileName: string;
  readonly checksums: readonly SpdxChecksum[];
  readonly keys: readonly string[];
  readonly path: string;
}

export interface SpdxRelationship {
  readonly spdxElementId: string;
  readonly relationshipType: RelationshipType;
  readonly relatedSpdxElement: string;
  readonly comment?: string;
  readonly keys: readonly string[];
  readonly path: string;
}

/** A validated SPDX 2.3 document: the fields gosh reads, typed, each with its JSON path. */
export interface SpdxDocument {
  readonly file: string;
  readonly name: string;
  readonly documentNamespace: string;
  readonly created: string;
  readonly creators: readonly string[];
  readonly packages: readonly SpdxPackage[];
  readonly files: readonly SpdxFile[];
  readonly relationships: readonly SpdxRelationship[];
  /** every top-level field present */
  readonly keys: readonly string[];
  /** the parsed JSON, for digests over the document text */
  readonly json: JsonObject;
}
