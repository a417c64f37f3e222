import { describe, expect, it } from 'vitest';
import type { BuildFacts, Lock } from '../../../src/lock/model.js';
import { createLock } from '../../../src/lock/create.js';
import { readSpdxLock } from '../../../src/sbom/spdx-read.js';
import { writeSpdxLock } from '../../../src/sbom/spdx-write.js';
import { crate, image, lockOf, manifest, subimage } from '../lock/fixtures.js';
import { diagnosticsOf, exampleLockText } from './lock-example.js';
import { spdxSchemaErrors } from './schemas.js';

const example = readSpdxLock({ name: 'sbom.spdx.json', text: exampleLockText });
const root = { kind: 'root' } as const;

describe('writeSpdxLock', () => {
  it('renders the sbom-lock.md example byte for byte from what it records', () => {
    const out = writeSpdxLock(example.lock, example.recorded, { mode: 'prod' });
    expect(out.text).toBe(exampleLockText);
    expect(out.documentNamespace).toBe('https://spdx.org/spdxdocs/gosh-example-app-c009e36e-70d0-50f0-84d0-66115d0e3e07');
    expect(out.uuid).toBe('c009e36e-70d0-50f0-84d0-66115d0e3e07');
    expect(out.created).toBe('1970-01-01T00:00:00Z');
  });

  it('writes the same bytes in lock mode when nothing changed, whatever SOURCE_DATE_EPOCH says', () => {
    expect(writeSpdxLock(example.lock, example.recorded, { mode: 'lock', sourceDateEpoch: 1_800_000_000 }).text).toBe(exampleLockText);
  });

  it('takes SOURCE_DATE_EPOCH when the content changed, and a new namespace with it', () => {
    const facts: BuildFacts = { ...example.recorded, packages: example.recorded.packages.slice(1) };
    const out = writeSpdxLock(example.lock, facts, { mode: 'lock', sourceDateEpoch: 1_700_000_000 });
    expect(out.created).toBe('2023-11-14T22:13:20Z');
    expect(out.documentNamespace).not.toBe(example.lock.document?.namespace);
    expect(out.text).not.toContain('anstream');
  });

  it('keeps the committed time in prod even when the content changed', () => {
    const facts: BuildFacts = { ...example.recorded, packages: example.recorded.packages.slice(1) };
    expect(writeSpdxLock(example.lock, facts, { mode: 'prod', sourceDateEpoch: 1_700_000_000 }).created).toBe('1970-01-01T00:00:00Z');
  });

  it('derives the namespace from the content: same content, same namespace; base and name are sanitized', () => {
    const lock = lockOf({ images: [image('docker.io/library/busybox:1')] });
    const facts: BuildFacts = { name: 'my app/v1', images: [{ consumer: root, source: { kind: 'image', ref: 'docker.io/library/busybox:1' }, role: 'base' }], packages: [], manifests: [] };
    const a = writeSpdxLock(lock, facts, { mode: 'dev', namespaceBase: 'https://sbom.example.com/x//' });
    const b = writeSpdxLock(lock, facts, { mode: 'dev', namespaceBase: 'https://sbom.example.com/x' });
    expect(a.documentNamespace).toBe(b.documentNamespace);
    expect(a.documentNamespace).toMatch(/^https:\/\/sbom\.example\.com\/x\/my-app-v1-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const other = writeSpdxLock(lockOf({ images: [image('docker.io/library/busybox:1', 'f')] }), facts, { mode: 'dev' });
    expect(other.uuid).not.toBe(a.uuid);
  });

  it('writes only what the build uses (a re-lock drops stale entries)', () => {
    const lock = lockOf({ images: [image('docker.io/library/a:1'), image('docker.io/library/stale:1')], packages: [crate('stale', '1.0.0')], manifests: [manifest('old/Cargo.lock')] });
    const facts: BuildFacts = { name: 'x', images: [{ consumer: root, source: { kind: 'image', ref: 'docker.io/library/a:1' }, role: 'base' }], packages: [], manifests: [] };
    const text = writeSpdxLock(lock, facts, { mode: 'lock' }).text;
    expect(text).toContain('docker.io/library/a:1');
    expect(text).not.toContain('stale');
    expect(text).not.toContain('"files"');
  });

  it('writes a schema-valid document that reads back as the same lock', () => {
    const lock = lockOf({
      images: [image('docker.io/library/a:1'), image(`docker.io/library/b@sha256:${'b'.repeat(64)}`, 'b')],
      packages: [crate('x', '1.0.0+meta', ['pkg:cargo/y@2.0.0']), crate('y', '2.0.0')],
      subimages: [subimage('tools', 'Dockerfile.tools')],
      manifests: [manifest('Cargo.lock')],
    });
    const facts: BuildFacts = {
      name: 'é-app',
      images: [
        { consumer: root, source: { kind: 'image', ref: `docker.io/library/b@sha256:${'b'.repeat(64)}` }, role: 'base', stage: 'final' },
        { consumer: root, source: { kind: 'subimage', name: 'tools' }, role: 'mount', stage: '0' },
        { consumer: { kind: 'subimage', name: 'tools' }, source: { kind: 'image', ref: 'docker.io/library/a:1' }, role: 'base' },
      ],
      packages: [{ consumer: root, purl: 'pkg:cargo/x@1.0.0+meta' }],
      manifests: [{ consumer: root, path: 'Cargo.lock' }],
    };
    const out = writeSpdxLock(lock, facts, { mode: 'lock', sourceDateEpoch: 86400 });
    expect(spdxSchemaErrors(JSON.parse(out.text))).toEqual([]);
    expect(out.text).toContain('"name": "é-app"');
    expect(out.text).toContain('"comment": "gosh sub-image built from ."');
    const back = readSpdxLock({ name: 'sbom.spdx.json', text: out.text });
    expect([...back.lock.images.keys()].sort()).toEqual([...lock.images.keys()].sort());
    expect([...back.lock.packages.values()].map((p) => [p.purl, p.dependsOn])).toEqual([
      ['pkg:cargo/x@1.0.0%2Bmeta', ['pkg:cargo/y@2.0.0']],
      ['pkg:cargo/y@2.0.0', []],
    ]);
    expect(writeSpdxLock(back.lock, back.recorded, { mode: 'prod' }).text).toBe(out.text);
  });

  it('refuses a use the lock does not pin', () => {
    const lock: Lock = createLock({}).lock;
    const facts: BuildFacts = { name: 'x', images: [{ consumer: root, source: { kind: 'image', ref: 'docker.io/library/a:1' }, role: 'base' }], packages: [], manifests: [] };
    expect(diagnosticsOf(() => writeSpdxLock(lock, facts, { mode: 'lock' })).map((d) => d.code)).toEqual(['LOCK_IMAGE_MISSING']);
  });

  it('refuses an empty or multi-line name', () => {
    const lock: Lock = createLock({}).lock;
    for (const name of ['', ' ', 'a\nb']) {
      expect(diagnosticsOf(() => writeSpdxLock(lock, { name, images: [], packages: [], manifests: [] }, { mode: 'lock' })).map((d) => d.code)).toEqual(['INTERNAL']);
    }
  });
});
