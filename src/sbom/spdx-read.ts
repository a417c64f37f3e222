// sbom.spdx.json → Lock: an SPDX 2.3 document (spdx-document.ts) that also follows the
// gosh-lock-1 rules of sbom-lock.md §7 and V1–V4, V7. Strict: a field gosh would not write is an
// error, since a lock is generated and anything else in it would be lost on the next write.
import type { Digest } from '../core/digest.js';
import { GoshError, sortDiagnostics } from '../core/errors.js';
import type { SourceFile } from '../core/source.js';
import { createLock } from '../lock/create.js';
import type { BuildFacts, Lock } from '../lock/model.js';
import type { JsonIssues } from './json-check.js';
import { LOCK_CREATOR, LOCK_FORMAT } from './lock-format.js';
import { checkSpdxDocument } from './spdx-document.js';
import { ROOT_SPDX_ID } from './spdx-ids.js';
import { readManifest, readPackage, type LockNode } from './spdx-read-entries.js';
import { readRelationships } from './spdx-read-tree.js';
import type { SpdxDocument } from './spdx-schema.js';
import { spdxBodyDigest } from './spdx-text.js';

/** The lock and the build facts the file records (its usage tree). */
export interface SpdxLock {
  readonly lock: Lock;
  readonly recorded: BuildFacts;
}

const DOCUMENT_KEYS = ['SPDXID', 'creationInfo', 'dataLicense', 'documentNamespace', 'files', 'name', 'packages', 'relationships', 'spdxVersion'];

/** False (after reporting) when the document is no gosh-lock-1 at all: its other rules would only add noise. */
function isGoshLock(issues: JsonIssues, doc: SpdxDocument): boolean {
  if (doc.creators.includes(LOCK_CREATOR)) return true;
  const other = doc.creators.find((c) => c.startsWith('Tool: gosh-lock-'));
  issues.report(
    'creationInfo.creators',
    other !== undefined ? `unsupported lock format ${JSON.stringify(other)} (this gosh reads ${LOCK_FORMAT})` : `not a gosh lock: no ${JSON.stringify(LOCK_CREATOR)} creator`,
  );
  return false;
}

function checkDocument(issues: JsonIssues, doc: SpdxDocument): void {
  for (const key of doc.keys) if (!DOCUMENT_KEYS.includes(key)) issues.report(key, `field ${JSON.stringify(key)} is not part of a gosh lock`);
  const info = doc.json['creationInfo'];
  if (typeof info === 'object' && info !== null) {
    for (const key of Object.keys(info)) {
      if (key !== 'created' && key !== 'creators') issues.report(`creationInfo.${key}`, `field ${JSON.stringify(key)} is not part of a gosh lock`);
    }
  }
}

/**
 * Reads `sbom.spdx.json` as a gosh lock.
 * @throws GoshError SBOM_INVALID (with every problem, each at `file:line: json.path`),
 * LOCK_DUPLICATE_ENTRY for two entries with one identity, LOCK_ENTRY_MISSING for a dependency
 * on a crate the lock lacks
 */
export function readSpdxLock(file: SourceFile): SpdxLock {
  const { document: doc, issues } = checkSpdxDocument(file);
  if (doc === undefined || issues.count > 0 || !isGoshLock(issues, doc)) throw new GoshError(sortDiagnostics(issues.diagnostics));
  checkDocument(issues, doc);

  const nodes = new Map<string, LockNode>();
  const broken = new Set<string>();
  for (const pkg of doc.packages) {
    const node = readPackage(issues, pkg, doc.name);
    if (node !== undefined) nodes.set(pkg.SPDXID, node);
    else broken.add(pkg.SPDXID);
  }
  if (!doc.packages.some((p) => p.SPDXID === ROOT_SPDX_ID)) issues.report('packages', `a gosh lock has a root package ${ROOT_SPDX_ID}`);
  for (const file of doc.files) {
    const manifest = readManifest(issues, file);
    if (manifest !== undefined) nodes.set(file.SPDXID, { kind: 'manifest', manifest });
    else broken.add(file.SPDXID);
  }
  const tree = readRelationships(issues, doc.relationships, nodes, broken);

  const pick = <K extends LockNode['kind']>(kind: K): Extract<LockNode, { kind: K }>[] =>
    [...nodes.values()].filter((n): n is Extract<LockNode, { kind: K }> => n.kind === kind);
  // the body digest renders and hashes the whole document again; only a `gosh lock` that may
  // keep `created` asks for it (a prod build keeps it regardless), so it is computed on first read
  const json = doc.json;
  let bodyDigest: Digest | undefined;
  const built = createLock({
    file: file.name,
    document: {
      created: doc.created,
      namespace: doc.documentNamespace,
      get bodyDigest(): Digest {
        bodyDigest ??= spdxBodyDigest(json);
        return bodyDigest;
      },
    },
    images: pick('image').map((n) => n.image),
    packages: pick('package').map((n) => ({ ...n.pkg, dependsOn: tree.dependsOn.get(n.pkg.purl) ?? [] })),
    subimages: pick('subimage').map((n) => n.sub),
    manifests: pick('manifest').map((n) => n.manifest),
  });
  const all = [...issues.diagnostics, ...built.diagnostics];
  if (all.length > 0) throw new GoshError(sortDiagnostics(all));
  return {
    lock: built.lock,
    recorded: { name: doc.name, images: tree.images, packages: tree.packages, manifests: tree.manifests },
  };
}
