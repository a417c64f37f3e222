import { describe, expect, it } from 'vitest';
import { GoshError } from '../../../src/core/errors.js';
import { resolveBuildGraph } from '../../../src/lock/graph.js';
import type { BuildFacts } from '../../../src/lock/model.js';
import { crate, image, lockOf, manifest, subimage } from './fixtures.js';

const lock = lockOf({
  images: [image('docker.io/library/a:1'), image('docker.io/library/unused:1')],
  packages: [crate('top', '1.0.0', ['pkg:cargo/dep@1.0.0+x']), crate('dep', '1.0.0+x')],
  subimages: [subimage('tools')],
  manifests: [manifest('Cargo.lock')],
});

const root = { kind: 'root' } as const;

describe('resolveBuildGraph', () => {
  it('keeps what the build uses, pulls in dependencies, dedupes and sorts uses', () => {
    const facts: BuildFacts = {
      name: 'app',
      images: [
        { consumer: root, source: { kind: 'subimage', name: 'tools' }, role: 'copy', stage: 'final' },
        { consumer: root, source: { kind: 'image', ref: 'docker.io/library/a:1' }, role: 'base', stage: 'final' },
        { consumer: root, source: { kind: 'image', ref: 'docker.io/library/a:1' }, role: 'base', stage: 'final' },
      ],
      packages: [{ consumer: root, purl: 'pkg:cargo/top@1.0.0' }],
      manifests: [{ consumer: root, path: 'Cargo.lock' }],
    };
    const graph = resolveBuildGraph(lock, facts);
    expect(graph.images.map((i) => i.ref)).toEqual(['docker.io/library/a:1']);
    expect(graph.subimages.map((s) => s.name)).toEqual(['tools']);
    expect(graph.packages.map((p) => p.purl)).toEqual(['pkg:cargo/dep@1.0.0%2Bx', 'pkg:cargo/top@1.0.0']);
    expect(graph.manifests.map((m) => m.path)).toEqual(['Cargo.lock']);
    expect(graph.imageUses.map((u) => u.source)).toEqual([{ kind: 'image', ref: 'docker.io/library/a:1' }, { kind: 'subimage', name: 'tools' }]);
  });

  it('finds a package by any spelling of its purl', () => {
    const graph = resolveBuildGraph(lock, { name: 'app', images: [], packages: [{ consumer: root, purl: 'pkg:cargo/dep@1.0.0+x' }], manifests: [] });
    expect(graph.packages.map((p) => p.purl)).toEqual(['pkg:cargo/dep@1.0.0%2Bx']);
  });

  it('reports every use the lock cannot pin, at once', () => {
    const facts: BuildFacts = {
      name: 'app',
      images: [
        { consumer: root, source: { kind: 'image', ref: 'docker.io/library/missing:1' }, role: 'base' },
        { consumer: { kind: 'subimage', name: 'ghost' }, source: { kind: 'image', ref: 'docker.io/library/a:1' }, role: 'base' },
      ],
      packages: [{ consumer: root, purl: 'pkg:cargo/nope@1.0.0' }],
      manifests: [{ consumer: root, path: 'other/Cargo.lock' }],
    };
    let error: unknown;
    try {
      resolveBuildGraph(lock, facts);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GoshError);
    expect((error as GoshError).diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['LOCK_IMAGE_MISSING', 'image docker.io/library/missing:1 is not in sbom.spdx.json; run gosh lock'],
      ['LOCK_ENTRY_MISSING', 'sub-image ghost is not in sbom.spdx.json; run gosh lock'],
      ['LOCK_ENTRY_MISSING', 'package pkg:cargo/nope@1.0.0 is not in sbom.spdx.json; run gosh lock'],
      ['LOCK_ENTRY_MISSING', 'manifest other/Cargo.lock is not in sbom.spdx.json; run gosh lock'],
    ]);
  });
});
