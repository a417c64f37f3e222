import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/core/errors.js';
import { createLock } from '../../../src/lock/create.js';
import { crate, digestOf, image, manifest, subimage } from './fixtures.js';

const at = (jsonPath: string, line: number) => ({ file: 'sbom.spdx.json', jsonPath, range: { startLine: line, endLine: line } });

describe('createLock', () => {
  it('indexes entries by their lock keys', () => {
    const { lock, diagnostics } = createLock({
      images: [image('docker.io/library/debian:12')],
      packages: [crate('anstream', '0.6.18', ['pkg:cargo/anstyle@1.0.10']), crate('anstyle', '1.0.10')],
      subimages: [subimage('tools')],
      manifests: [manifest('Cargo.lock')],
    });
    expect(diagnostics).toEqual([]);
    expect(lock.file).toBe('sbom.spdx.json');
    expect([...lock.images.keys()]).toEqual(['docker.io/library/debian:12']);
    expect([...lock.packages.keys()]).toEqual(['pkg:cargo/anstream@0.6.18', 'pkg:cargo/anstyle@1.0.10']);
    expect([...lock.subimages.keys()]).toEqual(['tools']);
    expect([...lock.manifests.keys()]).toEqual(['Cargo.lock']);
  });

  it('canonicalizes purls, so two spellings are one package', () => {
    const wasi = { ...crate('wasi', '0.11.0+wasi'), purl: 'pkg:cargo/wasi@0.11.0+wasi' };
    const user = crate('user', '1.0.0', ['pkg:cargo/wasi@0.11.0%2Bwasi']);
    const { lock, diagnostics } = createLock({ packages: [wasi, user] });
    expect(diagnostics).toEqual([]);
    expect([...lock.packages.keys()]).toEqual(['pkg:cargo/wasi@0.11.0%2Bwasi', 'pkg:cargo/user@1.0.0']);
  });

  it('reports one image with two digests, at the second entry, pointing at the first', () => {
    const { lock, diagnostics } = createLock({
      images: [
        { ...image('docker.io/library/debian:12', 'a'), origin: at('packages[1]', 10) },
        { ...image('docker.io/library/debian:12', 'b'), origin: at('packages[4]', 40) },
      ],
    });
    expect(lock.images.get('docker.io/library/debian:12')?.digest).toBe(digestOf('a'));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.code).toBe('LOCK_DUPLICATE_ENTRY');
    expect(formatDiagnostic(diagnostics[0]!)).toBe(
      `sbom.spdx.json:40: packages[4]: duplicate image docker.io/library/debian:12 with two digests (${digestOf('a')}, ${digestOf('b')})\n` +
        '  note: sbom.spdx.json:10: first listed at packages[1]',
    );
  });

  it('reports duplicate packages, manifests, sub-image names and sub-image Dockerfiles', () => {
    const { diagnostics } = createLock({
      images: [image('docker.io/library/a:1'), image('docker.io/library/a:1')],
      packages: [crate('a', '1.0.0'), crate('a', '1.0.0')],
      subimages: [subimage('tools'), subimage('tools', 'other/Dockerfile'), subimage('again', 'tools/Dockerfile')],
      manifests: [manifest('Cargo.lock'), manifest('Cargo.lock')],
    });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['LOCK_DUPLICATE_ENTRY', 'duplicate image docker.io/library/a:1'],
      ['LOCK_DUPLICATE_ENTRY', 'duplicate package pkg:cargo/a@1.0.0'],
      ['LOCK_DUPLICATE_ENTRY', 'duplicate sub-image tools'],
      ['LOCK_DUPLICATE_ENTRY', 'duplicate sub-image Dockerfile tools/Dockerfile (sub-images tools and again)'],
      ['LOCK_DUPLICATE_ENTRY', 'duplicate manifest Cargo.lock'],
    ]);
  });

  it('reports a dependency on a package the lock lacks', () => {
    const { diagnostics } = createLock({ packages: [crate('a', '1.0.0', ['pkg:cargo/b@2.0.0'])] });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['LOCK_ENTRY_MISSING', 'package pkg:cargo/a@1.0.0 depends on pkg:cargo/b@2.0.0, which the lock does not list'],
    ]);
  });
});
