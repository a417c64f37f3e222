// Build contexts with a lock for the gosh verify / diff / lock tests: the lock is written by the
// same sbom/ writer the frontend uses, from the images and usage tree the test names.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Digest } from '../../../src/core/digest.js';
import { createLock } from '../../../src/lock/create.js';
import { ROOT, type BuildFacts, type ImageRole, type LockManifest, type LockPackage } from '../../../src/lock/model.js';
import { writeSpdxLock } from '../../../src/sbom/spdx-write.js';

/** A digest made of one repeated byte: `digestOf('a')` = sha256:aaaa… */
export const digestOf = (c: string): Digest => `sha256:${c.repeat(64)}`;

export interface LockSpec {
  /** lock key → digest; each is recorded as used by the root (role build, stage "0") */
  readonly images: Readonly<Record<string, Digest>>;
  readonly packages?: readonly LockPackage[];
  readonly manifests?: readonly LockManifest[];
  readonly name?: string;
}

/** The lock text gosh would write for these entries (SOURCE_DATE_EPOCH 0). */
export function lockText(spec: LockSpec): string {
  const images = Object.entries(spec.images).map(([ref, digest]) => ({ ref, digest }));
  const { lock, diagnostics } = createLock({ images, packages: spec.packages ?? [], manifests: spec.manifests ?? [] });
  if (diagnostics.length > 0) throw new Error(`bad test lock: ${diagnostics.map((d) => d.message).join('; ')}`);
  const role: ImageRole = 'build';
  const facts: BuildFacts = {
    name: spec.name ?? 'app',
    images: images.map((i) => ({ consumer: ROOT, source: { kind: 'image', ref: i.ref }, role, stage: '0' })),
    packages: (spec.packages ?? []).map((p) => ({ consumer: ROOT, purl: p.purl })),
    manifests: (spec.manifests ?? []).map((m) => ({ consumer: ROOT, path: m.path })),
  };
  return writeSpdxLock(lock, facts, { mode: 'lock', sourceDateEpoch: 0 }).text;
}

/** Writes `files` (relative path → text) under `dir`; returns `dir`. */
export function writeContext(dir: string, files: Readonly<Record<string, string>>): string {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not found`);
  return i + 1;
}
