// What changed between two locks, per entry: added, removed, or which of its pins moved (image
// digest, package version or checksum, sub-image hash, Cargo.lock hash). Pure and ordered, so
// `gosh diff` prints the same text for the same two files.
import { compareCodeUnits } from '../core/canonical.js';
import type { Lock, LockPackage } from '../lock/model.js';

export type LockEntryKind = 'image' | 'subimage' | 'package' | 'manifest';

export type LockChangeKind = 'added' | 'removed' | 'digest' | 'version' | 'checksum' | 'dependencies' | 'download' | 'dockerfile' | 'sha256';

export interface LockChange {
  readonly entry: LockEntryKind;
  /** image ref, sub-image name, package purl (type/name for a version change), manifest path */
  readonly key: string;
  readonly change: LockChangeKind;
  /** the value before (absent for `added`) */
  readonly old?: string;
  /** the value after (absent for `removed`) */
  readonly new?: string;
}

const ENTRY_ORDER: readonly LockEntryKind[] = ['image', 'subimage', 'package', 'manifest'];

function change(entry: LockEntryKind, key: string, kind: LockChangeKind, old: string | undefined, now: string | undefined): LockChange {
  return { entry, key, change: kind, ...(old !== undefined ? { old } : {}), ...(now !== undefined ? { new: now } : {}) };
}

/** Keys in either map, each once, in code-unit order. */
function allKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort(compareCodeUnits);
}

function sha256Of(pkg: LockPackage): string {
  return pkg.checksums.find((c) => c.algorithm === 'SHA256')?.value ?? '';
}

/** Changes of one package present in both locks under the same purl. */
function packageChanges(key: string, a: LockPackage, b: LockPackage): LockChange[] {
  const out: LockChange[] = [];
  const checksums = (p: LockPackage): string => [...p.checksums].map((c) => `${c.algorithm}:${c.value}`).sort(compareCodeUnits).join(' ');
  if (checksums(a) !== checksums(b)) out.push(change('package', key, 'checksum', checksums(a), checksums(b)));
  if (a.downloadLocation !== b.downloadLocation) out.push(change('package', key, 'download', a.downloadLocation, b.downloadLocation));
  const deps = (p: LockPackage): string => [...p.dependsOn].sort(compareCodeUnits).join(' ');
  if (deps(a) !== deps(b)) out.push(change('package', key, 'dependencies', deps(a), deps(b)));
  return out;
}

/**
 * Packages by purl; one version of a crate replaced by another (the only version of that name
 * on each side) is one `version` change keyed by pkg:<type>/<name>, not a removal and an addition.
 */
function diffPackages(a: Lock, b: Lock): LockChange[] {
  const out: LockChange[] = [];
  const onlyA: LockPackage[] = [];
  const onlyB: LockPackage[] = [];
  for (const purl of allKeys(a.packages, b.packages)) {
    const pa = a.packages.get(purl);
    const pb = b.packages.get(purl);
    if (pa !== undefined && pb !== undefined) out.push(...packageChanges(purl, pa, pb));
    else if (pa !== undefined) onlyA.push(pa);
    else if (pb !== undefined) onlyB.push(pb);
  }
  const nameOf = (p: LockPackage): string => `pkg:${p.type}/${p.name}`;
  const count = (lock: Lock): Map<string, number> => {
    const m = new Map<string, number>();
    for (const p of lock.packages.values()) m.set(nameOf(p), (m.get(nameOf(p)) ?? 0) + 1);
    return m;
  };
  const countA = count(a);
  const countB = count(b);
  const movedB = new Set<string>();
  for (const pa of onlyA) {
    const name = nameOf(pa);
    const pb = countA.get(name) === 1 && countB.get(name) === 1 ? onlyB.find((p) => nameOf(p) === name) : undefined;
    if (pb === undefined) {
      out.push(change('package', pa.purl, 'removed', sha256Of(pa), undefined));
      continue;
    }
    movedB.add(pb.purl);
    out.push(change('package', name, 'version', pa.version, pb.version));
  }
  for (const pb of onlyB) if (!movedB.has(pb.purl)) out.push(change('package', pb.purl, 'added', undefined, sha256Of(pb)));
  return out;
}

/** Every difference from `a` (old) to `b` (new), ordered by entry kind, key and change. */
export function diffLocks(a: Lock, b: Lock): LockChange[] {
  const out: LockChange[] = [];
  for (const ref of allKeys(a.images, b.images)) {
    const ia = a.images.get(ref)?.digest;
    const ib = b.images.get(ref)?.digest;
    if (ia === undefined) out.push(change('image', ref, 'added', undefined, ib));
    else if (ib === undefined) out.push(change('image', ref, 'removed', ia, undefined));
    else if (ia !== ib) out.push(change('image', ref, 'digest', ia, ib));
  }
  for (const name of allKeys(a.subimages, b.subimages)) {
    const sa = a.subimages.get(name);
    const sb = b.subimages.get(name);
    if (sa === undefined) out.push(change('subimage', name, 'added', undefined, sb?.stableHash));
    else if (sb === undefined) out.push(change('subimage', name, 'removed', sa.stableHash, undefined));
    else {
      if (sa.dockerfile !== sb.dockerfile) out.push(change('subimage', name, 'dockerfile', sa.dockerfile, sb.dockerfile));
      if (sa.stableHash !== sb.stableHash) out.push(change('subimage', name, 'digest', sa.stableHash, sb.stableHash));
    }
  }
  out.push(...diffPackages(a, b));
  for (const path of allKeys(a.manifests, b.manifests)) {
    const ma = a.manifests.get(path)?.sha256;
    const mb = b.manifests.get(path)?.sha256;
    if (ma === undefined) out.push(change('manifest', path, 'added', undefined, mb));
    else if (mb === undefined) out.push(change('manifest', path, 'removed', ma, undefined));
    else if (ma !== mb) out.push(change('manifest', path, 'sha256', ma, mb));
  }
  return out.sort(
    (x, y) => ENTRY_ORDER.indexOf(x.entry) - ENTRY_ORDER.indexOf(y.entry) || compareCodeUnits(x.key, y.key) || compareCodeUnits(x.change, y.change),
  );
}

/** One line per change: `+ image …`, `- package …`, `~ image …: digest old -> new`. */
export function formatLockChange(c: LockChange): string {
  const what = `${c.entry === 'subimage' ? 'sub-image' : c.entry} ${c.key}`;
  switch (c.change) {
    case 'added':
      return `+ ${what}${c.new !== undefined && c.new !== '' ? ` ${c.new}` : ''}`;
    case 'removed':
      return `- ${what}${c.old !== undefined && c.old !== '' ? ` ${c.old}` : ''}`;
    default: {
      const label = c.change === 'dockerfile' ? 'Dockerfile' : c.change;
      const show = (v: string | undefined): string => (v === undefined || v === '' ? '(none)' : v);
      return `~ ${what}: ${label} ${show(c.old)} -> ${show(c.new)}`;
    }
  }
}

/** The human report: one line per change, then a count; "no differences" alone when equal. */
export function formatLockDiff(changes: readonly LockChange[]): string {
  if (changes.length === 0) return 'no differences\n';
  const added = changes.filter((c) => c.change === 'added').length;
  const removed = changes.filter((c) => c.change === 'removed').length;
  const changed = changes.length - added - removed;
  return `${changes.map(formatLockChange).join('\n')}\n${added} added, ${removed} removed, ${changed} changed\n`;
}
