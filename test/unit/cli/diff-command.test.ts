// gosh diff OLD NEW: per entry added, removed or changed (digest, version, checksum, hash), as
// stable text or JSON; errors name the file that is no valid lock.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LockPackage } from '../../../src/lock/model.js';
import { makeTempDir, removeTempDir } from '../../helpers/temp-dir.js';
import { gosh } from './cli-harness.js';
import { digestOf, lockText, writeContext, type LockSpec } from './lock-context.js';

const BUSYBOX = 'docker.io/library/busybox:1.36';
const ALPINE = 'docker.io/library/alpine:3.20';
const DEBIAN = 'docker.io/library/debian:12';

function crate(name: string, version: string, sha: string, dependsOn: string[] = []): LockPackage {
  return {
    purl: `pkg:cargo/${name}@${version}`,
    type: 'cargo',
    name,
    version,
    checksums: [{ algorithm: 'SHA256', value: sha.repeat(64) }],
    downloadLocation: `https://crates.io/api/v1/crates/${name}/${version}/download`,
    dependsOn,
  };
}

const MANIFEST = { path: 'Cargo.lock', sha1: '1'.repeat(40), sha256: '2'.repeat(64) };
const OLD: LockSpec = {
  images: { [BUSYBOX]: digestOf('a'), [ALPINE]: digestOf('b') },
  packages: [crate('serde', '1.0.1', 'c'), crate('anyhow', '1.0.0', 'd'), crate('libc', '0.2.1', 'e')],
  manifests: [MANIFEST],
};
const NEW: LockSpec = {
  images: { [BUSYBOX]: digestOf('f'), [DEBIAN]: digestOf('9') },
  packages: [crate('serde', '1.0.2', '3'), crate('anyhow', '1.0.0', '4'), crate('itoa', '1.0.0', '5')],
  manifests: [{ ...MANIFEST, sha256: '6'.repeat(64) }],
};

let root: string;
let oldPath: string;
let newPath: string;
beforeAll(async () => {
  root = await makeTempDir('cli-diff');
  writeContext(root, { 'old/sbom.spdx.json': lockText(OLD), 'new.spdx.json': lockText(NEW), 'broken.spdx.json': '{"spdxVersion": 3}\n' });
  oldPath = join(root, 'old/sbom.spdx.json');
  newPath = join(root, 'new.spdx.json');
});
afterAll(async () => removeTempDir(root));

describe('gosh diff', () => {
  it('names each change: images, then packages, then manifests, each by key', async () => {
    const r = await gosh(['diff', oldPath, newPath]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `- image ${ALPINE} ${digestOf('b')}`,
        `~ image ${BUSYBOX}: digest ${digestOf('a')} -> ${digestOf('f')}`,
        `+ image ${DEBIAN} ${digestOf('9')}`,
        `~ package pkg:cargo/anyhow@1.0.0: checksum SHA256:${'d'.repeat(64)} -> SHA256:${'4'.repeat(64)}`,
        `+ package pkg:cargo/itoa@1.0.0 ${'5'.repeat(64)}`,
        `- package pkg:cargo/libc@0.2.1 ${'e'.repeat(64)}`,
        '~ package pkg:cargo/serde: version 1.0.1 -> 1.0.2',
        `~ manifest Cargo.lock: sha256 ${'2'.repeat(64)} -> ${'6'.repeat(64)}`,
        '2 added, 2 removed, 4 changed',
        '',
      ].join('\n'),
    );
  });

  it('--json: the same changes as data', async () => {
    const r = await gosh(['diff', '--json', oldPath, newPath]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { old: string; new: string; changes: { entry: string; key: string; change: string; old?: string; new?: string }[] };
    expect(out.old).toBe(oldPath);
    expect(out.new).toBe(newPath);
    expect(out.changes.map((c) => `${c.entry} ${c.change} ${c.key}`)).toEqual([
      `image removed ${ALPINE}`,
      `image digest ${BUSYBOX}`,
      `image added ${DEBIAN}`,
      'package checksum pkg:cargo/anyhow@1.0.0',
      'package added pkg:cargo/itoa@1.0.0',
      'package removed pkg:cargo/libc@0.2.1',
      'package version pkg:cargo/serde',
      'manifest sha256 Cargo.lock',
    ]);
    expect(out.changes[1]).toEqual({ entry: 'image', key: BUSYBOX, change: 'digest', old: digestOf('a'), new: digestOf('f') });
    expect(out.changes[6]).toEqual({ entry: 'package', key: 'pkg:cargo/serde', change: 'version', old: '1.0.1', new: '1.0.2' });
  });

  it('a context directory stands for its sbom.spdx.json; the same lock twice: no differences', async () => {
    const r = await gosh(['diff', join(root, 'old'), oldPath]);
    expect(r).toEqual({ code: 0, stdout: 'no differences\n', stderr: '' });
    expect((await gosh(['diff', '--json', oldPath, oldPath])).stdout).toBe(`{\n  "changes": [],\n  "new": "${oldPath}",\n  "old": "${oldPath}"\n}\n`);
  });

  it('--exit-code: 1 when the locks differ, 0 when not (as git diff)', async () => {
    expect((await gosh(['diff', '--exit-code', oldPath, newPath])).code).toBe(1);
    expect((await gosh(['diff', '--exit-code', oldPath, oldPath])).code).toBe(0);
  });

  it('two versions of one crate on a side are not paired: removal and addition', async () => {
    writeContext(root, {
      'two-a.spdx.json': lockText({ images: {}, packages: [crate('syn', '1.0.0', 'a'), crate('syn', '2.0.0', 'b')] }),
      'two-b.spdx.json': lockText({ images: {}, packages: [crate('syn', '2.0.0', 'b'), crate('syn', '2.0.1', 'c')] }),
    });
    const r = await gosh(['diff', join(root, 'two-a.spdx.json'), join(root, 'two-b.spdx.json')]);
    expect(r.stdout).toBe(`- package pkg:cargo/syn@1.0.0 ${'a'.repeat(64)}\n+ package pkg:cargo/syn@2.0.1 ${'c'.repeat(64)}\n1 added, 1 removed, 0 changed\n`);
  });

  it('a file that is no lock: located error naming it, exit 1, nothing on stdout', async () => {
    const broken = join(root, 'broken.spdx.json');
    const r = await gosh(['diff', oldPath, broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${broken}:1: spdxVersion: `);
    const missing = await gosh(['diff', oldPath, join(root, 'nope.json')]);
    expect(missing.stderr).toBe(`gosh diff: cannot read ${join(root, 'nope.json')}: no such file\n`);
  });

  it('usage errors: exit 2', async () => {
    expect(await gosh(['diff', oldPath])).toMatchObject({ code: 2, stdout: '' });
    expect((await gosh(['diff', '--color', oldPath, newPath])).stderr).toBe('gosh diff: unknown flag --color\n');
  });
});
