// Builds a Lock from lists of entries and reports what makes a lock inconsistent in itself:
// two entries with one identity (sbom-lock.md V7) and dependency edges to packages it lacks.
import { diagnostic, type Diagnostic, type DiagnosticNote } from '../core/errors.js';
import {
  LOCK_FILE_NAME,
  type Lock,
  type LockDocumentInfo,
  type LockImage,
  type LockManifest,
  type LockOrigin,
  type LockPackage,
  type LockSubimage,
} from './model.js';
import { canonicalPurl } from './purl.js';

export interface LockEntries {
  /** the lock file name for messages; sbom.spdx.json by default */
  readonly file?: string;
  readonly document?: LockDocumentInfo;
  readonly images?: readonly LockImage[];
  readonly packages?: readonly LockPackage[];
  readonly subimages?: readonly LockSubimage[];
  readonly manifests?: readonly LockManifest[];
}

/** The lock (first entry wins on a duplicate) and every inconsistency found. */
export interface LockBuild {
  readonly lock: Lock;
  readonly diagnostics: readonly Diagnostic[];
}

/** Where a diagnostic about an entry points: its origin, else the lock file. */
export function originWhere(origin: LockOrigin | undefined, file: string): { file: string; jsonPath?: string; range?: LockOrigin['range'] } {
  if (origin === undefined) return { file };
  return { file: origin.file, jsonPath: origin.jsonPath, ...(origin.range !== undefined ? { range: origin.range } : {}) };
}

function firstAt(origin: LockOrigin | undefined): DiagnosticNote[] {
  if (origin === undefined) return [];
  return [{ message: `first listed at ${origin.jsonPath}`, file: origin.file, ...(origin.range !== undefined ? { range: origin.range } : {}) }];
}

/**
 * Indexes entries by their identity (image ref, canonical purl, sub-image name and Dockerfile,
 * manifest path). Purls are canonicalized, so two spellings of one purl are one package.
 */
export function createLock(entries: LockEntries): LockBuild {
  const file = entries.file ?? LOCK_FILE_NAME;
  const diagnostics: Diagnostic[] = [];
  const duplicate = (what: string, origin: LockOrigin | undefined, first: LockOrigin | undefined): void => {
    diagnostics.push(diagnostic('LOCK_DUPLICATE_ENTRY', `duplicate ${what}`, originWhere(origin, file), firstAt(first)));
  };

  const images = new Map<string, LockImage>();
  for (const image of entries.images ?? []) {
    const seen = images.get(image.ref);
    if (seen === undefined) images.set(image.ref, image);
    else if (seen.digest !== image.digest) duplicate(`image ${image.ref} with two digests (${seen.digest}, ${image.digest})`, image.origin, seen.origin);
    else duplicate(`image ${image.ref}`, image.origin, seen.origin);
  }

  const packages = new Map<string, LockPackage>();
  for (const listed of entries.packages ?? []) {
    const pkg: LockPackage = {
      ...listed,
      purl: canonicalPurl(listed.purl) ?? listed.purl,
      dependsOn: listed.dependsOn.map((p) => canonicalPurl(p) ?? p),
    };
    const seen = packages.get(pkg.purl);
    if (seen === undefined) packages.set(pkg.purl, pkg);
    else duplicate(`package ${pkg.purl}`, pkg.origin, seen.origin);
  }
  for (const pkg of packages.values()) {
    for (const dep of pkg.dependsOn) {
      if (!packages.has(dep)) {
        diagnostics.push(diagnostic('LOCK_ENTRY_MISSING', `package ${pkg.purl} depends on ${dep}, which the lock does not list`, originWhere(pkg.origin, file)));
      }
    }
  }

  const subimages = new Map<string, LockSubimage>();
  const byDockerfile = new Map<string, LockSubimage>();
  for (const sub of entries.subimages ?? []) {
    const seen = subimages.get(sub.name);
    if (seen !== undefined) {
      duplicate(`sub-image ${sub.name}`, sub.origin, seen.origin);
      continue;
    }
    const sameFile = byDockerfile.get(sub.dockerfile);
    if (sameFile !== undefined) {
      duplicate(`sub-image Dockerfile ${sub.dockerfile} (sub-images ${sameFile.name} and ${sub.name})`, sub.origin, sameFile.origin);
      continue;
    }
    subimages.set(sub.name, sub);
    byDockerfile.set(sub.dockerfile, sub);
  }

  const manifests = new Map<string, LockManifest>();
  for (const manifest of entries.manifests ?? []) {
    const seen = manifests.get(manifest.path);
    if (seen === undefined) manifests.set(manifest.path, manifest);
    else duplicate(`manifest ${manifest.path}`, manifest.origin, seen.origin);
  }

  const lock: Lock = {
    file,
    ...(entries.document !== undefined ? { document: entries.document } : {}),
    images,
    packages,
    subimages,
    manifests,
  };
  return { lock, diagnostics };
}
