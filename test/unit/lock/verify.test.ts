import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/core/errors.js';
import type { BuildFacts } from '../../../src/lock/model.js';
import { demandOf, findStaleEntries } from '../../../src/lock/verify.js';
import { crate, image, lockOf, manifest, subimage } from './fixtures.js';

const lock = lockOf({
  images: [image('docker.io/library/a:1'), image('docker.io/library/b:1'), { ...image('docker.io/library/old:1'), origin: { file: 'sbom.spdx.json', jsonPath: 'packages[5]', range: { startLine: 77, endLine: 77 } } }],
  packages: [crate('top', '1.0.0', ['pkg:cargo/dep@1.0.0']), crate('dep', '1.0.0'), crate('unused', '1.0.0')],
  subimages: [subimage('tools'), subimage('orphan')],
  manifests: [manifest('Cargo.lock'), manifest('old/Cargo.lock')],
});

const facts: BuildFacts = {
  name: 'app',
  images: [
    { consumer: { kind: 'root' }, source: { kind: 'image', ref: 'docker.io/library/a:1' }, role: 'base' },
    { consumer: { kind: 'root' }, source: { kind: 'subimage', name: 'tools' }, role: 'copy', stage: 'final' },
    { consumer: { kind: 'subimage', name: 'tools' }, source: { kind: 'image', ref: 'docker.io/library/b:1' }, role: 'base' },
    // uses of a sub-image nothing reachable uses do not count
    { consumer: { kind: 'subimage', name: 'orphan' }, source: { kind: 'image', ref: 'docker.io/library/old:1' }, role: 'base' },
  ],
  packages: [{ consumer: { kind: 'subimage', name: 'tools' }, purl: 'pkg:cargo/top@1.0.0' }],
  manifests: [{ consumer: { kind: 'root' }, path: 'Cargo.lock' }],
};

describe('demandOf', () => {
  it('follows sub-images and package dependencies from the root', () => {
    const demand = demandOf(facts, lock);
    expect([...demand.images].sort()).toEqual(['docker.io/library/a:1', 'docker.io/library/b:1']);
    expect([...demand.subimages]).toEqual(['tools']);
    expect([...demand.packages].sort()).toEqual(['pkg:cargo/dep@1.0.0', 'pkg:cargo/top@1.0.0']);
    expect([...demand.manifests]).toEqual(['Cargo.lock']);
  });
});

describe('findStaleEntries', () => {
  it('reports every unused entry, sorted by kind and key, located at the lock entry', () => {
    const stale = findStaleEntries(lock, demandOf(facts, lock));
    expect(stale.map((d) => d.code)).toEqual(Array(4).fill('LOCK_STALE_ENTRY'));
    expect(stale.map(formatDiagnostic)).toEqual([
      'sbom.spdx.json:77: packages[5]: image docker.io/library/old:1 is in sbom.spdx.json but the build does not use it; run gosh lock',
      'sbom.spdx.json: sub-image orphan is in sbom.spdx.json but the build does not use it; run gosh lock',
      'sbom.spdx.json: package pkg:cargo/unused@1.0.0 is in sbom.spdx.json but the build does not use it; run gosh lock',
      'sbom.spdx.json: manifest old/Cargo.lock is in sbom.spdx.json but the build does not use it; run gosh lock',
    ]);
  });

  it('finds nothing when the build uses everything', () => {
    const small = lockOf({ images: [image('docker.io/library/a:1')] });
    const uses: BuildFacts = { name: 'x', images: [{ consumer: { kind: 'root' }, source: { kind: 'image', ref: 'docker.io/library/a:1' }, role: 'base' }], packages: [], manifests: [] };
    expect(findStaleEntries(small, demandOf(uses, small))).toEqual([]);
  });
});
