// Reading any SPDX 2.3 JSON document strictly: the schema's shape (json-check.ts) plus the
// rules only the spec text states (sbom-lock.md §1, V1, V2). Nothing gosh-specific here:
// spdx-read.ts adds the lock rules on top.
import { GoshError, sortDiagnostics } from '../core/errors.js';
import type { SourceFile } from '../core/source.js';
import type { ChecksumAlgorithm } from '../lock/model.js';
import { parsePurl } from '../lock/purl.js';
import { ANY, JsonIssues, arrayOf, checkShape, objectOf, type Shape } from './json-check.js';
import { elementPath, isJsonArray, isJsonObject, memberPath, parseJsonText, type JsonObject } from '../core/json-text.js';
import {
  CHECKSUM_HEX_LENGTH,
  PACKAGE_PURPOSE_ALIASES,
  REFERENCE_CATEGORY_ALIASES,
  SPDX_DATA_LICENSE,
  SPDX_DOCUMENT_ID,
  SPDX_DOCUMENT_SHAPE,
  SPDX_FILE_SHAPE,
  SPDX_PACKAGE_SHAPE,
  SPDX_RELATIONSHIP_SHAPE,
  SPDX_VERSION,
  type RelationshipType,
  type SpdxChecksum,
  type SpdxDocument,
  type SpdxExternalRef,
  type SpdxFile,
  type SpdxPackage,
  type SpdxRelationship,
} from './spdx-schema.js';

export const SPDX_ID_RE = /^SPDXRef-[A-Za-z0-9.-]+$/;
export const CREATED_RE = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/;
const CREATOR_RE = /^(Person|Organization|Tool): \S/;
const LICENSE_LIST_VERSION_RE = /^\d+\.\d+$/;
const URI_RE = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s#]+$/;
/** URL or VCS location (SPDX 7.7): http(s)/ftp/sftp/ssh/git/svn, optionally with a VCS prefix. */
const DOWNLOAD_LOCATION_RE = /^(?:(?:git|hg|svn|bzr)\+)?(?:https?|s?ftp|ssh|git|svn):\/\/\S+$|^git\+git@[^\s:]+:\S+$/;
const HEX_RE = /^[0-9a-f]+$/;
const EXTERNAL_ELEMENT_RE = /^(DocumentRef-[A-Za-z0-9.-]+):SPDXRef-[A-Za-z0-9.-]+$/;

/** Diagnostics and, when the shape was right, the typed document. */
export interface SpdxCheck {
  readonly document?: SpdxDocument;
  readonly issues: JsonIssues;
}

/** True for YYYY-MM-DDThh:mm:ssZ naming a real instant. */
export function isSpdxDate(text: string): boolean {
  const m = CREATED_RE.exec(text);
  if (m === null) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

/** `path` is built only for a report: a lock of 10,000 packages has 10,000 fine checksums */
function checkChecksum(issues: JsonIssues, c: SpdxChecksum, path: () => string): void {
  const length = CHECKSUM_HEX_LENGTH[c.algorithm];
  if (!HEX_RE.test(c.checksumValue)) issues.report(memberPath(path(), 'checksumValue'), `${c.algorithm} checksum must be lowercase hex`);
  else if (length !== undefined && c.checksumValue.length !== length) {
    issues.report(memberPath(path(), 'checksumValue'), `${c.algorithm} checksum must have ${length} hex digits, found ${c.checksumValue.length}`);
  }
}

function checksumsOf(issues: JsonIssues, raw: JsonObject, path: string): SpdxChecksum[] {
  const list = (raw['checksums'] ?? []) as readonly JsonObject[];
  return list.map((c, i) => {
    const checksum = { algorithm: c['algorithm'] as ChecksumAlgorithm, checksumValue: c['checksumValue'] as string };
    checkChecksum(issues, checksum, () => elementPath(memberPath(path, 'checksums'), i));
    return checksum;
  });
}

function externalRefsOf(issues: JsonIssues, raw: JsonObject, path: string): SpdxExternalRef[] {
  const list = (raw['externalRefs'] ?? []) as readonly JsonObject[];
  return list.map((r, i) => {
    const locatorPath = (): string => memberPath(elementPath(memberPath(path, 'externalRefs'), i), 'referenceLocator');
    const category = REFERENCE_CATEGORY_ALIASES[r['referenceCategory'] as string] ?? 'OTHER';
    const ref: SpdxExternalRef = {
      referenceCategory: category,
      referenceType: r['referenceType'] as string,
      referenceLocator: r['referenceLocator'] as string,
      ...(typeof r['comment'] === 'string' ? { comment: r['comment'] } : {}),
    };
    if (/\s/.test(ref.referenceLocator) || ref.referenceLocator === '') issues.report(locatorPath(), 'a reference locator must be non-empty and contain no spaces');
    else if (category === 'PACKAGE-MANAGER' && ref.referenceType === 'purl') {
      const purl = parsePurl(ref.referenceLocator);
      if (!purl.ok) issues.report(locatorPath(), `invalid purl: ${purl.reason}`);
    }
    return ref;
  });
}

function packageOf(issues: JsonIssues, raw: JsonObject, path: string): SpdxPackage {
  const pkg: SpdxPackage = {
    SPDXID: raw['SPDXID'] as string,
    name: raw['name'] as string,
    downloadLocation: raw['downloadLocation'] as string,
    checksums: checksumsOf(issues, raw, path),
    externalRefs: externalRefsOf(issues, raw, path),
    keys: Object.keys(raw),
    path,
    ...(typeof raw['versionInfo'] === 'string' ? { versionInfo: raw['versionInfo'] } : {}),
    ...(typeof raw['filesAnalyzed'] === 'boolean' ? { filesAnalyzed: raw['filesAnalyzed'] } : {}),
    ...(typeof raw['comment'] === 'string' ? { comment: raw['comment'] } : {}),
    ...(typeof raw['primaryPackagePurpose'] === 'string'
      ? { primaryPackagePurpose: PACKAGE_PURPOSE_ALIASES[raw['primaryPackagePurpose']] ?? 'OTHER' }
      : {}),
  };
  const dl = pkg.downloadLocation;
  if (dl !== 'NONE' && dl !== 'NOASSERTION' && !DOWNLOAD_LOCATION_RE.test(dl)) {
    issues.report(memberPath(path, 'downloadLocation'), `invalid download location ${JSON.stringify(dl)} (expected a URL, a VCS location, NONE or NOASSERTION)`);
  }
  if (pkg.filesAnalyzed === false && raw['packageVerificationCode'] !== undefined) {
    issues.report(memberPath(path, 'packageVerificationCode'), 'a package with filesAnalyzed false has no verification code');
  }
  return pkg;
}

function fileOf(issues: JsonIssues, raw: JsonObject, path: string): SpdxFile {
  const file: SpdxFile = {
    SPDXID: raw['SPDXID'] as string,
    fileName: raw['fileName'] as string,
    checksums: checksumsOf(issues, raw, path),
    keys: Object.keys(raw),
    path,
  };
  const sha1 = file.checksums.filter((c) => c.algorithm === 'SHA1').length;
  if (sha1 !== 1) issues.report(memberPath(path, 'checksums'), `a file needs exactly one SHA1 checksum, found ${sha1}`);
  return file;
}

function relationshipOf(raw: JsonObject, path: string): SpdxRelationship {
  return {
    spdxElementId: raw['spdxElementId'] as string,
    relationshipType: raw['relationshipType'] as RelationshipType,
    relatedSpdxElement: raw['relatedSpdxElement'] as string,
    keys: Object.keys(raw),
    path,
    ...(typeof raw['comment'] === 'string' ? { comment: raw['comment'] } : {}),
  };
}

function list(root: JsonObject, key: string): readonly JsonObject[] {
  return (root[key] ?? []) as readonly JsonObject[];
}

/** Element ids: unique, well formed; relationship ends and documentDescribes must name one. */
function checkElements(issues: JsonIssues, root: JsonObject, relationships: readonly SpdxRelationship[]): void {
  // every element with a string SPDXID counts, even one whose other fields are malformed
  // paths are built only for reports: [list key, index] until then
  const elements: [string, string, number][] = [];
  for (const key of ['packages', 'files', 'snippets']) {
    const items = root[key];
    if (!isJsonArray(items)) continue;
    items.forEach((item, i) => {
      const id = isJsonObject(item) ? item['SPDXID'] : undefined;
      if (typeof id === 'string') elements.push([id, key, i]);
    });
  }
  const placed = new Map<string, [string, number]>();
  for (const [id, key, i] of elements) {
    const idPath = (): string => memberPath(elementPath(key, i), 'SPDXID');
    if (!SPDX_ID_RE.test(id)) issues.report(idPath(), `invalid SPDXID ${JSON.stringify(id)} (expected SPDXRef- and letters, digits, "." or "-")`);
    const first = placed.get(id);
    if (first !== undefined) issues.report(idPath(), `duplicate SPDXID ${JSON.stringify(id)}`, [issues.note(memberPath(elementPath(first[0], first[1]), 'SPDXID'), 'first defined here')]);
    else placed.set(id, [key, i]);
  }
  const externalDocs = new Set(list(root, 'externalDocumentRefs').map((r) => r['externalDocumentId'] as string));
  const known = (id: string): boolean => {
    if (id === SPDX_DOCUMENT_ID || placed.has(id)) return true;
    const m = EXTERNAL_ELEMENT_RE.exec(id);
    return m !== null && externalDocs.has(m[1] as string);
  };
  let describes = 0;
  for (const rel of relationships) {
    if (!known(rel.spdxElementId)) issues.report(memberPath(rel.path, 'spdxElementId'), `relationship from unknown element ${JSON.stringify(rel.spdxElementId)}`);
    const related = rel.relatedSpdxElement;
    if (related !== 'NONE' && related !== 'NOASSERTION' && !known(related)) {
      issues.report(memberPath(rel.path, 'relatedSpdxElement'), `relationship to unknown element ${JSON.stringify(related)}`);
    }
    if (rel.relationshipType === 'DESCRIBES' && rel.spdxElementId === SPDX_DOCUMENT_ID) describes++;
  }
  const described = (root['documentDescribes'] ?? []) as readonly string[];
  described.forEach((id, i) => {
    if (!known(id)) issues.report(elementPath('documentDescribes', i), `documentDescribes names unknown element ${JSON.stringify(id)}`);
  });
  if (placed.size > 0 && describes + described.length === 0) {
    issues.report('relationships', `no ${SPDX_DOCUMENT_ID} DESCRIBES relationship: the document must say what it describes`);
  }
}

function checkHeader(issues: JsonIssues, root: JsonObject): void {
  if (root['spdxVersion'] !== SPDX_VERSION) issues.report('spdxVersion', `unsupported spdxVersion ${JSON.stringify(root['spdxVersion'])} (expected ${SPDX_VERSION})`);
  if (root['dataLicense'] !== SPDX_DATA_LICENSE) issues.report('dataLicense', `dataLicense must be ${SPDX_DATA_LICENSE}`);
  if (root['SPDXID'] !== SPDX_DOCUMENT_ID) issues.report('SPDXID', `the document's SPDXID must be ${SPDX_DOCUMENT_ID}`);
  const name = root['name'] as string;
  if (name.trim() === '' || /[\r\n]/.test(name)) issues.report('name', 'the document name must be a non-empty single line');
  const namespace = root['documentNamespace'] as string;
  if (!URI_RE.test(namespace)) issues.report('documentNamespace', `documentNamespace ${JSON.stringify(namespace)} must be an absolute URI without "#"`);
  const info = root['creationInfo'] as JsonObject;
  const created = info['created'] as string;
  if (!isSpdxDate(created)) issues.report('creationInfo.created', `created ${JSON.stringify(created)} must be a date YYYY-MM-DDThh:mm:ssZ`);
  (info['creators'] as readonly string[]).forEach((creator, i) => {
    if (!CREATOR_RE.test(creator)) issues.report(elementPath('creationInfo.creators', i), `creator ${JSON.stringify(creator)} must start with "Tool: ", "Organization: " or "Person: "`);
  });
  const llv = info['licenseListVersion'];
  if (typeof llv === 'string' && !LICENSE_LIST_VERSION_RE.test(llv)) issues.report('creationInfo.licenseListVersion', `licenseListVersion ${JSON.stringify(llv)} must be M.N`);
}

/** The elements of an array member whose own shape is right, with their paths; the rest reported. */
function wellShaped(issues: JsonIssues, root: JsonObject, key: string, shape: Shape): [JsonObject, string][] {
  const value = root[key];
  if (value === undefined) return [];
  if (!isJsonArray(value)) {
    checkShape(issues, value, key, arrayOf(shape));
    return [];
  }
  const out: [JsonObject, string][] = [];
  value.forEach((item, i) => {
    const path = elementPath(key, i);
    if (checkShape(issues, item, path, shape)) out.push([item as JsonObject, path]);
  });
  return out;
}

const ELEMENT_LISTS: Readonly<Record<string, Shape>> = { packages: SPDX_PACKAGE_SHAPE, files: SPDX_FILE_SHAPE, relationships: SPDX_RELATIONSHIP_SHAPE };

/**
 * Checks `file` as SPDX 2.3 JSON and collects every problem found. Elements are checked one by
 * one, so a malformed package does not hide the problems of the header or of other packages;
 * `document` holds the well-formed part whenever the header is.
 */
export function checkSpdxDocument(file: SourceFile): SpdxCheck {
  const parsed = parseJsonText(file);
  const issues = new JsonIssues(file.name, parsed.positions);
  const root = parsed.value;
  if (!isJsonObject(root) || SPDX_DOCUMENT_SHAPE.kind !== 'object') {
    checkShape(issues, root, '', SPDX_DOCUMENT_SHAPE);
    return { issues };
  }
  const headerShape = objectOf(
    Object.fromEntries(Object.entries(SPDX_DOCUMENT_SHAPE.fields).map(([k, v]) => [k, k in ELEMENT_LISTS ? ANY : v])),
    SPDX_DOCUMENT_SHAPE.required,
  );
  const headerOk = checkShape(issues, root, '', headerShape);
  const packages = wellShaped(issues, root, 'packages', SPDX_PACKAGE_SHAPE).map(([p, path]) => packageOf(issues, p, path));
  const files = wellShaped(issues, root, 'files', SPDX_FILE_SHAPE).map(([f, path]) => fileOf(issues, f, path));
  const relationships = wellShaped(issues, root, 'relationships', SPDX_RELATIONSHIP_SHAPE).map(([r, path]) => relationshipOf(r, path));
  if (!headerOk) return { issues };
  checkHeader(issues, root);
  const info = root['creationInfo'] as JsonObject;
  const document: SpdxDocument = {
    file: file.name,
    name: root['name'] as string,
    documentNamespace: root['documentNamespace'] as string,
    created: info['created'] as string,
    creators: info['creators'] as readonly string[],
    packages,
    files,
    relationships,
    keys: Object.keys(root),
    json: root,
  };
  list(root, 'externalDocumentRefs').forEach((r, i) => {
    const checksum = r['checksum'] as JsonObject;
    checkChecksum(issues, { algorithm: checksum['algorithm'] as ChecksumAlgorithm, checksumValue: checksum['checksumValue'] as string }, () => memberPath(elementPath('externalDocumentRefs', i), 'checksum'));
  });
  checkElements(issues, root, relationships);
  return { document, issues };
}

/**
 * Reads an SPDX 2.3 JSON document strictly (sbom-lock.md V1, V2).
 * @throws GoshError SBOM_INVALID with every problem, each naming the file, a JSON path and its line
 */
export function readSpdxDocument(file: SourceFile): SpdxDocument {
  const { document, issues } = checkSpdxDocument(file);
  if (document === undefined || issues.count > 0) throw new GoshError(sortDiagnostics(issues.diagnostics));
  return document;
}
