// Build contexts with a lock for the gosh verify / diff / lock tests: the lock is written by the
// same sbom/ writer the frontend uses, from the images and usage tree the test names.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Digest } from '../../../src/core/digest.js';
import { createLock } from '../../../src/lock/create.js';
import { imageLockKey } from '../../../src/lock/image-key.js';
import { buildImageUses, lockImageUse } from '../../../src/compile/image-uses.js';
import { parseBuildOptions } from '../../../src/config/build-options.js';
import { LINUX_AMD64 } from '../../../src/core/platform.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { ROOT, type BuildFacts, type ImageRole, type ImageUse, type LockManifest, type LockPackage } from '../../../src/lock/model.js';
import { writeSpdxLock } from '../../../src/sbom/spdx-write.js';

/** A digest made of one repeated byte: `digestOf('a')` = sha256:aaaa… */
export const digestOf = (c: string): Digest => `sha256:${c.repeat(64)}`;

export interface LockSpec {
  /**
   * lock key → digest; the uses the `dockerfile` plans are recorded as gosh lock records them,
   * any other image as used by the root (role build, stage "0")
   */
  readonly images: Readonly<Record<string, Digest>>;
  /** the Dockerfile whose image uses the lock records */
  readonly dockerfile?: string;
  /** frontend options for planning it (target, build-arg:K) */
  readonly options?: Readonly<Record<string, string>>;
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
  const planned = spec.dockerfile !== undefined ? plannedFacts(spec.dockerfile, spec.options ?? {}) : [];
  const other = images.filter((i) => !planned.some((f) => f.source.kind === 'image' && f.source.ref === i.ref));
  const facts: BuildFacts = {
    name: spec.name ?? 'app',
    images: [
      ...planned.filter((f) => f.source.kind === 'image' && Object.hasOwn(spec.images, f.source.ref)),
      ...other.map((i): ImageUse => ({ consumer: ROOT, source: { kind: 'image', ref: i.ref }, role, stage: '0' })),
    ],
    packages: (spec.packages ?? []).map((p) => ({ consumer: ROOT, purl: p.purl })),
    manifests: (spec.manifests ?? []).map((m) => ({ consumer: ROOT, path: m.path })),
  };
  return writeSpdxLock(lock, facts, { mode: 'lock', sourceDateEpoch: 0 }).text;
}

function plannedFacts(text: string, options: Readonly<Record<string, string>>): readonly ImageUse[] {
  const dockerfile = parseDockerfile({ name: 'Dockerfile', text });
  const found = buildImageUses({ dockerfile, options: parseBuildOptions(new Map(Object.entries(options))), buildPlatform: LINUX_AMD64, targetPlatform: undefined });
  return found.uses.map((u) => lockImageUse(imageLockKey(u.image.ref), u.role, u.stage));
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
