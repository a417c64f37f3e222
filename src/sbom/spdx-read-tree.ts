// gosh-lock-1 relationships → the usage tree a lock records (sbom-lock.md §7.3): who descends
// from or uses which image, which crates a build mounts, which manifest lists them.
import type { Consumer, ImageUse, ManifestUse, PackageUse } from '../lock/model.js';
import type { JsonIssues } from './json-check.js';
import { memberPath } from '../core/json-text.js';
import { checkKeys, type LockNode } from './spdx-read-entries.js';
import { ROOT_SPDX_ID } from './spdx-ids.js';
import { SPDX_DOCUMENT_ID, type SpdxRelationship } from './spdx-schema.js';
import { parseUsageComment } from './usage-comment.js';

/** The usage tree of a lock, and the DEPENDS_ON edges by purl. */
export interface LockTree {
  readonly images: ImageUse[];
  readonly packages: PackageUse[];
  readonly manifests: ManifestUse[];
  readonly dependsOn: Map<string, string[]>;
}

const RELATIONSHIP_KEYS: readonly string[] = ['spdxElementId', 'relationshipType', 'relatedSpdxElement'];
const IMAGE_RELATIONSHIP_KEYS: readonly string[] = [...RELATIONSHIP_KEYS, 'comment'];

function consumerOf(node: LockNode | undefined): Consumer | undefined {
  if (node?.kind === 'root') return { kind: 'root' };
  if (node?.kind === 'subimage') return { kind: 'subimage', name: node.sub.name };
  return undefined;
}

function readRelationship(issues: JsonIssues, rel: SpdxRelationship, nodes: ReadonlyMap<string, LockNode>, tree: LockTree): void {
  const from = nodes.get(rel.spdxElementId);
  const to = nodes.get(rel.relatedSpdxElement);
  const typePath = (): string => memberPath(rel.path, 'relationshipType');
  const image = rel.relationshipType === 'DESCENDANT_OF' || rel.relationshipType === 'BUILD_TOOL_OF';
  checkKeys(issues, rel.keys, rel.path, image ? IMAGE_RELATIONSHIP_KEYS : RELATIONSHIP_KEYS, image ? ['comment'] : [], 'relationship');
  const bad = (expected: string): void => issues.report(typePath(), `${rel.relationshipType} relates ${expected}`);
  switch (rel.relationshipType) {
    case 'DESCRIBES':
      if (rel.spdxElementId !== SPDX_DOCUMENT_ID || rel.relatedSpdxElement !== ROOT_SPDX_ID) bad(`${SPDX_DOCUMENT_ID} to ${ROOT_SPDX_ID}`);
      return;
    case 'DESCENDANT_OF':
    case 'BUILD_TOOL_OF': {
      const base = rel.relationshipType === 'DESCENDANT_OF';
      const consumer = consumerOf(base ? from : to);
      const source = base ? to : from;
      if (consumer === undefined || (source?.kind !== 'image' && source?.kind !== 'subimage')) {
        bad(base ? 'the root or a sub-image to the image it descends from' : 'an image or sub-image to the root or a sub-image');
        return;
      }
      const consumerNode = base ? from : to;
      const dockerfile = consumerNode?.kind === 'subimage' ? consumerNode.sub.dockerfile : undefined;
      const parsed = parseUsageComment(rel.comment ?? '', dockerfile);
      const commentPath = memberPath(rel.path, 'comment');
      if (!parsed.ok) {
        issues.report(rel.comment === undefined ? rel.path : commentPath, rel.comment === undefined ? 'an image relationship needs a comment listing its uses' : parsed.reason);
        return;
      }
      for (const usage of parsed.usages) {
        if ((usage.role === 'base') !== base) issues.report(commentPath, `${base ? 'DESCENDANT_OF lists only the target stage FROM' : 'BUILD_TOOL_OF cannot list the target stage FROM'}`);
        tree.images.push({
          consumer,
          source: source.kind === 'image' ? { kind: 'image', ref: source.image.ref } : { kind: 'subimage', name: source.sub.name },
          role: usage.role,
          ...(usage.stage !== undefined ? { stage: usage.stage } : {}),
        });
      }
      return;
    }
    case 'BUILD_DEPENDENCY_OF': {
      const consumer = consumerOf(to);
      if (from?.kind !== 'package' || consumer === undefined) return bad('a crate to the root or a sub-image');
      tree.packages.push({ consumer, purl: from.pkg.purl });
      return;
    }
    case 'DEPENDS_ON':
      if (from?.kind !== 'package' || to?.kind !== 'package') return bad('a crate to a crate');
      {
        const deps = tree.dependsOn.get(from.pkg.purl);
        if (deps === undefined) tree.dependsOn.set(from.pkg.purl, [to.pkg.purl]);
        else deps.push(to.pkg.purl);
      }
      return;
    case 'DEPENDENCY_MANIFEST_OF': {
      const consumer = consumerOf(to);
      if (from?.kind !== 'manifest' || consumer === undefined) return bad('a manifest file to the root or a sub-image');
      tree.manifests.push({ consumer, path: from.manifest.path });
      return;
    }
    default:
      issues.report(typePath(), `relationship type ${rel.relationshipType} is not used in a gosh lock`);
  }
}

/** Reads every relationship; edges touching an element that failed to read are skipped. */
export function readRelationships(issues: JsonIssues, relationships: readonly SpdxRelationship[], nodes: ReadonlyMap<string, LockNode>, broken: ReadonlySet<string>): LockTree {
  const tree: LockTree = { images: [], packages: [], manifests: [], dependsOn: new Map() };
  const seen = new Map<string, string>();
  let describes = 0;
  for (const rel of relationships) {
    const key = `${rel.spdxElementId} ${rel.relationshipType} ${rel.relatedSpdxElement}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.report(rel.path, `duplicate relationship ${key}`, [issues.note(first, 'first listed here')]);
      continue;
    }
    seen.set(key, rel.path);
    if (rel.relationshipType === 'DESCRIBES') describes++;
    if (rel.relatedSpdxElement === 'NONE' || rel.relatedSpdxElement === 'NOASSERTION') {
      issues.report(memberPath(rel.path, 'relatedSpdxElement'), `a gosh lock relates known elements only, not ${rel.relatedSpdxElement}`);
      continue;
    }
    // an element that failed to read has its own diagnostics; its edges would only add noise
    if (!broken.has(rel.spdxElementId) && !broken.has(rel.relatedSpdxElement)) readRelationship(issues, rel, nodes, tree);
  }
  if (describes !== 1) issues.report('relationships', `a gosh lock has exactly one ${SPDX_DOCUMENT_ID} DESCRIBES ${ROOT_SPDX_ID}, found ${describes}`);
  return tree;
}

