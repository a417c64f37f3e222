// gosh-lock-1 packages and files → lock entries (sbom-lock.md §7.2, V4): each kind with its
// closed set of fields and the consistency of digest, checksum and purl.
import { parseDigest, type Digest } from '../core/digest.js';
import type { SourceRange } from '../core/source.js';
import { parseImageLockKey } from '../lock/image-key.js';
import type { Checksum, LockImage, LockManifest, LockOrigin, LockPackage, LockSubimage } from '../lock/model.js';
import { formatPurl, parsePurl, type Purl } from '../lock/purl.js';
import type { JsonIssues } from './json-check.js';
import { displayPath, elementPath, memberPath } from '../core/json-text.js';
import { LOCK_FORMAT, STABLE_HASH_REF, SUBIMAGE_CONTEXT_REF, isContextPath } from './lock-format.js';
import { ROOT_SPDX_ID } from './spdx-ids.js';
import type { SpdxExternalRef, SpdxFile, SpdxPackage } from './spdx-schema.js';

const ROOT_KEYS = ['SPDXID', 'downloadLocation', 'filesAnalyzed', 'name', 'primaryPackagePurpose'];
const IMAGE_KEYS = ['SPDXID', 'checksums', 'downloadLocation', 'externalRefs', 'filesAnalyzed', 'name', 'primaryPackagePurpose', 'versionInfo'];
const DEPENDENCY_KEYS = IMAGE_KEYS;
const SUBIMAGE_KEYS = ['SPDXID', 'comment', 'downloadLocation', 'externalRefs', 'filesAnalyzed', 'name', 'primaryPackagePurpose', 'versionInfo'];
const FILE_KEYS = ['SPDXID', 'checksums', 'fileName'];
const HTTP_URL_RE = /^https?:\/\/\S+$/;

/** What one SPDX element of a lock is. */
export type LockNode =
  | { readonly kind: 'root' }
  | { readonly kind: 'image'; readonly image: LockImage }
  | { readonly kind: 'subimage'; readonly sub: LockSubimage }
  | { readonly kind: 'package'; readonly pkg: LockPackage }
  | { readonly kind: 'manifest'; readonly manifest: LockManifest };

/** Checks the closed key set of one object: extra keys are errors, so are missing required ones. */
export function checkKeys(issues: JsonIssues, keys: readonly string[], path: string, allowed: readonly string[], optional: readonly string[], what: string): void {
  for (const key of keys) {
    if (!allowed.includes(key)) issues.report(memberPath(path, key), `field ${JSON.stringify(key)} is not part of a gosh lock ${what}`);
  }
  for (const key of allowed) {
    if (!optional.includes(key) && !keys.includes(key)) issues.report(path, `a gosh lock ${what} needs ${JSON.stringify(key)}`);
  }
}

/**
 * Where an entry was read. Its line is looked up when first read, by a diagnostic: a lock read
 * without problems never needs the positions of its 10,000 entries.
 */
function origin(issues: JsonIssues, path: string): LockOrigin {
  let range: SourceRange | undefined;
  return {
    file: issues.file,
    jsonPath: displayPath(path),
    // an element of the document always has a position (its own or its array's)
    get range(): SourceRange {
      range ??= issues.range(path);
      if (range === undefined) throw new Error(`no position for ${path}`);
      return range;
    },
  };
}

function purlRef(pkg: SpdxPackage): { ref: SpdxExternalRef; index: number } | undefined {
  const index = pkg.externalRefs.findIndex((r) => r.referenceCategory === 'PACKAGE-MANAGER' && r.referenceType === 'purl');
  const ref = pkg.externalRefs[index];
  return ref === undefined ? undefined : { ref, index };
}

function refPath(pkg: SpdxPackage, index: number): string {
  return memberPath(elementPath(memberPath(pkg.path, 'externalRefs'), index), 'referenceLocator');
}

function expectValue(issues: JsonIssues, pkg: SpdxPackage, field: 'downloadLocation' | 'primaryPackagePurpose', expected: string, what: string): void {
  const actual = pkg[field];
  if (actual !== undefined && actual !== expected) issues.report(memberPath(pkg.path, field), `${what} must have ${field} ${expected}, found ${JSON.stringify(actual)}`);
}

function checkCommon(issues: JsonIssues, pkg: SpdxPackage, keys: readonly string[], optional: readonly string[], what: string): void {
  checkKeys(issues, pkg.keys, pkg.path, keys, optional, what);
  if (pkg.filesAnalyzed === true) issues.report(memberPath(pkg.path, 'filesAnalyzed'), `${what} must have filesAnalyzed false`);
}

/** The one SHA256 checksum an image or crate has, or undefined after reporting. */
function onlySha256(issues: JsonIssues, pkg: SpdxPackage, what: string): string | undefined {
  const [first, ...rest] = pkg.checksums;
  if (first === undefined || rest.length > 0 || first.algorithm !== 'SHA256') {
    issues.report(memberPath(pkg.path, 'checksums'), `${what} must have exactly one checksum, a SHA256`);
    return undefined;
  }
  return first.checksumValue;
}

function readImage(issues: JsonIssues, pkg: SpdxPackage, purl: Purl, purlPath: string): LockImage | undefined {
  const before = issues.count;
  const what = 'image package';
  checkCommon(issues, pkg, IMAGE_KEYS, [], what);
  expectValue(issues, pkg, 'downloadLocation', 'NOASSERTION', what);
  expectValue(issues, pkg, 'primaryPackagePurpose', 'CONTAINER', what);
  const key = parseImageLockKey(pkg.name);
  if (!key.ok) issues.report(memberPath(pkg.path, 'name'), key.reason);
  const hex = onlySha256(issues, pkg, what);
  const digest = parseDigest(pkg.versionInfo ?? '');
  const versionPath = memberPath(pkg.path, 'versionInfo');
  if (digest === undefined) issues.report(versionPath, `an image's versionInfo must be its digest sha256:<64 lowercase hex>, found ${JSON.stringify(pkg.versionInfo)}`);
  else if (hex !== undefined && digest !== `sha256:${hex}`) issues.report(versionPath, `versionInfo ${digest} differs from the SHA256 checksum ${hex}`);
  if (digest !== undefined && purl.version !== digest) issues.report(purlPath, `purl version ${JSON.stringify(purl.version)} differs from versionInfo ${digest}`);
  if (key.ok) {
    const ref = key.ref;
    if (ref.digest !== undefined && digest !== undefined && ref.digest !== digest) issues.report(versionPath, `versionInfo ${digest} differs from the digest in the name`);
    const segments = ref.path.split('/');
    if (purl.type === 'oci') {
      const expected = new Map<string, string>([['repository_url', `${ref.domain}/${ref.path}`]]);
      if (ref.tag !== undefined) expected.set('tag', ref.tag);
      if (purl.namespace.length > 0 || purl.name !== segments[segments.length - 1]) issues.report(purlPath, `purl name must be ${JSON.stringify(segments[segments.length - 1])}, the last path segment of ${pkg.name}`);
      for (const [k, v] of purl.qualifiers) {
        const want = expected.get(k);
        if (want === undefined) issues.report(purlPath, `unexpected purl qualifier ${k} (a lock pins one digest for every platform)`);
        else if (want !== v) issues.report(purlPath, `purl qualifier ${k}=${JSON.stringify(v)} differs from the name (${JSON.stringify(want)})`);
      }
      for (const k of expected.keys()) if (!purl.qualifiers.has(k)) issues.report(purlPath, `purl lacks the ${k} qualifier`);
    } else {
      const path = [...purl.namespace, purl.name].join('/');
      if (path !== ref.path && `library/${path}` !== ref.path) issues.report(purlPath, `purl names ${path}, the package ${pkg.name}`);
    }
  }
  if (issues.count > before || !key.ok || digest === undefined) return undefined;
  return { ref: pkg.name, digest, origin: origin(issues, pkg.path) };
}

/** The checksums a crate (SHA256) or an npm package (SHA256 and npm's own SHA512) has, or undefined after reporting. */
function dependencyChecksums(issues: JsonIssues, pkg: SpdxPackage, type: LockPackage['type'], what: string): Checksum[] | undefined {
  if (type === 'cargo') {
    const hex = onlySha256(issues, pkg, what);
    return hex === undefined ? undefined : [{ algorithm: 'SHA256', value: hex }];
  }
  const algorithms = pkg.checksums.map((c) => c.algorithm).sort();
  if (algorithms.length !== 2 || algorithms[0] !== 'SHA256' || algorithms[1] !== 'SHA512') {
    issues.report(memberPath(pkg.path, 'checksums'), `${what} must have exactly two checksums, a SHA256 (what BuildKit verifies) and a SHA512 (npm's integrity)`);
    return undefined;
  }
  return pkg.checksums.map((c) => ({ algorithm: c.algorithm, value: c.checksumValue }));
}

/** The npm name a purl stands for: `@scope/name` or `name`. */
function purlPackageName(purl: Purl): string | undefined {
  if (purl.type === 'cargo') return purl.namespace.length === 0 ? purl.name : undefined;
  if (purl.namespace.length === 0) return purl.name;
  const [scope] = purl.namespace;
  return purl.namespace.length === 1 && scope !== undefined && scope.startsWith('@') ? `${scope}/${purl.name}` : undefined;
}

function readDependency(issues: JsonIssues, pkg: SpdxPackage, purl: Purl, purlPath: string, type: LockPackage['type']): LockPackage | undefined {
  const before = issues.count;
  const what = type === 'cargo' ? 'crate package' : 'npm package';
  checkCommon(issues, pkg, DEPENDENCY_KEYS, [], what);
  expectValue(issues, pkg, 'primaryPackagePurpose', 'LIBRARY', what);
  const checksums = dependencyChecksums(issues, pkg, type, what);
  const name = purlPackageName(purl);
  if (name === undefined) issues.report(purlPath, type === 'cargo' ? 'a cargo purl has no namespace' : 'an npm purl has at most one namespace, the @scope');
  if (purl.qualifiers.size > 0 || purl.subpath !== undefined) issues.report(purlPath, `a ${type} purl has no qualifiers or subpath`);
  if (name !== undefined && name !== pkg.name) issues.report(purlPath, `purl name ${JSON.stringify(name)} differs from the package name ${JSON.stringify(pkg.name)}`);
  if (purl.version === undefined || purl.version !== pkg.versionInfo) issues.report(purlPath, `purl version ${JSON.stringify(purl.version)} differs from versionInfo ${JSON.stringify(pkg.versionInfo)}`);
  if (!HTTP_URL_RE.test(pkg.downloadLocation)) issues.report(memberPath(pkg.path, 'downloadLocation'), `${what} needs the http(s) URL of its ${type === 'cargo' ? '.crate' : 'tarball'} as downloadLocation`);
  if (issues.count > before || checksums === undefined || pkg.versionInfo === undefined) return undefined;
  return {
    purl: formatPurl(purl),
    type,
    name: pkg.name,
    version: pkg.versionInfo,
    checksums,
    downloadLocation: pkg.downloadLocation,
    dependsOn: [],
    origin: origin(issues, pkg.path),
  };
}

function readSubimage(issues: JsonIssues, pkg: SpdxPackage): LockSubimage | undefined {
  const before = issues.count;
  const what = 'sub-image package';
  checkCommon(issues, pkg, SUBIMAGE_KEYS, ['comment'], what);
  expectValue(issues, pkg, 'downloadLocation', 'NONE', what);
  expectValue(issues, pkg, 'primaryPackagePurpose', 'CONTAINER', what);
  if (pkg.checksums.length > 0) issues.report(memberPath(pkg.path, 'checksums'), 'a sub-image claims no output digest: no checksums');
  let hash: Digest | undefined;
  let dockerfile: string | undefined;
  pkg.externalRefs.forEach((ref, i) => {
    const path = refPath(pkg, i);
    if (ref.referenceCategory === 'OTHER' && ref.referenceType === STABLE_HASH_REF && hash === undefined) {
      hash = parseDigest(ref.referenceLocator);
      if (hash === undefined) issues.report(path, `${STABLE_HASH_REF} must be sha256:<64 lowercase hex>`);
    } else if (ref.referenceCategory === 'OTHER' && ref.referenceType === SUBIMAGE_CONTEXT_REF && dockerfile === undefined) {
      dockerfile = ref.referenceLocator;
      if (!isContextPath(dockerfile)) issues.report(path, `${SUBIMAGE_CONTEXT_REF} must be a context-relative Dockerfile path, found ${JSON.stringify(dockerfile)}`);
    } else {
      issues.report(path, `unexpected external reference ${ref.referenceCategory}/${ref.referenceType} on a sub-image`);
    }
  });
  if (hash === undefined || dockerfile === undefined) issues.report(memberPath(pkg.path, 'externalRefs'), `a sub-image needs OTHER ${STABLE_HASH_REF} and ${SUBIMAGE_CONTEXT_REF} references`);
  if (hash !== undefined && pkg.versionInfo !== hash) issues.report(memberPath(pkg.path, 'versionInfo'), `versionInfo must equal the ${STABLE_HASH_REF} ${hash}`);
  if (issues.count > before || hash === undefined || dockerfile === undefined) return undefined;
  return { name: pkg.name, dockerfile, stableHash: hash, origin: origin(issues, pkg.path) };
}

function readRoot(issues: JsonIssues, pkg: SpdxPackage, documentName: string): void {
  const what = 'root package';
  checkCommon(issues, pkg, ROOT_KEYS, [], what);
  expectValue(issues, pkg, 'downloadLocation', 'NOASSERTION', what);
  expectValue(issues, pkg, 'primaryPackagePurpose', 'CONTAINER', what);
  if (pkg.name !== documentName) issues.report(memberPath(pkg.path, 'name'), `the root package is named like the document (${JSON.stringify(documentName)})`);
}

/** Reads one package (after the SPDX document checks), or reports why it is no lock entry. */
export function readPackage(issues: JsonIssues, pkg: SpdxPackage, documentName: string): LockNode | undefined {
  if (pkg.SPDXID === ROOT_SPDX_ID) {
    readRoot(issues, pkg, documentName);
    return { kind: 'root' };
  }
  if (pkg.externalRefs.some((r) => r.referenceType === STABLE_HASH_REF)) {
    const sub = readSubimage(issues, pkg);
    return sub === undefined ? undefined : { kind: 'subimage', sub };
  }
  const found = purlRef(pkg);
  if (found === undefined) {
    issues.report(pkg.path, 'a gosh lock package is the root, an image, a crate (with a purl) or a sub-image (with a gosh-stable-hash)');
    return undefined;
  }
  const purlPath = refPath(pkg, found.index);
  if (pkg.externalRefs.length !== 1) issues.report(memberPath(pkg.path, 'externalRefs'), 'an image or crate has exactly one external reference, its purl');
  const parsed = parsePurl(found.ref.referenceLocator);
  if (!parsed.ok) return undefined; // reported by the document check
  switch (parsed.purl.type) {
    case 'oci':
    case 'docker': {
      const image = readImage(issues, pkg, parsed.purl, purlPath);
      return image === undefined ? undefined : { kind: 'image', image };
    }
    case 'cargo':
    case 'npm': {
      const dependency = readDependency(issues, pkg, parsed.purl, purlPath, parsed.purl.type);
      return dependency === undefined ? undefined : { kind: 'package', pkg: dependency };
    }
    default:
      issues.report(purlPath, `unsupported package type ${JSON.stringify(parsed.purl.type)} (${LOCK_FORMAT} pins oci images, cargo crates and npm packages)`);
      return undefined;
  }
}

/** Reads one file as a dependency manifest. */
export function readManifest(issues: JsonIssues, file: SpdxFile): LockManifest | undefined {
  const before = issues.count;
  checkKeys(issues, file.keys, file.path, FILE_KEYS, [], 'file');
  const path = file.fileName.startsWith('./') ? file.fileName.slice(2) : '';
  if (!isContextPath(path)) issues.report(memberPath(file.path, 'fileName'), `fileName must be "./" and a context-relative path, found ${JSON.stringify(file.fileName)}`);
  const sha1 = file.checksums.filter((c) => c.algorithm === 'SHA1');
  const sha256 = file.checksums.filter((c) => c.algorithm === 'SHA256');
  if (file.checksums.length !== 2 || sha1.length !== 1 || sha256.length !== 1) issues.report(memberPath(file.path, 'checksums'), 'a manifest file has exactly two checksums, SHA1 and SHA256');
  if (issues.count > before) return undefined;
  return { path, sha1: sha1[0]?.checksumValue ?? '', sha256: sha256[0]?.checksumValue ?? '', origin: origin(issues, file.path) };
}

