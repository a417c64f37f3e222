import { describe, expect, it } from 'vitest';
import type { BuildFacts } from '../../../src/lock/model.js';
import { writeCycloneDx } from '../../../src/sbom/cyclonedx.js';
import { readSpdxLock } from '../../../src/sbom/spdx-read.js';
import { crate, image, lockOf, manifest, subimage } from '../lock/fixtures.js';
import { diagnosticsOf, exampleLockText } from './lock-example.js';
import { cycloneDxSchemaErrors } from './schemas.js';

const example = readSpdxLock({ name: 'sbom.spdx.json', text: exampleLockText });
const generator = { name: 'gosh-frontend', version: '0.1.0' };
const options = { created: '1970-01-01T00:00:00Z', serialUuid: 'c009e36e-70d0-50f0-84d0-66115d0e3e07', generator };

type Bom = {
  serialNumber?: string;
  metadata: { timestamp: string; component: { 'bom-ref': string; type: string; name: string }; tools: { components: { name: string; version: string }[] } };
  components: { 'bom-ref': string; type: string; name: string; version?: string; purl?: string; hashes?: { alg: string; content: string }[]; properties?: { name: string; value: string }[]; externalReferences?: { url: string; type: string }[] }[];
  dependencies: { ref: string; dependsOn?: string[] }[];
};

const bomOf = (text: string): Bom => JSON.parse(text) as Bom;

describe('writeCycloneDx on the sbom-lock.md example', () => {
  const text = writeCycloneDx(example.lock, example.recorded, options);
  const bom = bomOf(text);

  it('is valid CycloneDX 1.6 and ends with one newline', () => {
    expect(cycloneDxSchemaErrors(bom)).toEqual([]);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
  });

  it('maps the root, time, tool and serial number', () => {
    expect(bom.metadata.component).toEqual({ type: 'container', name: 'gosh-example/app', 'bom-ref': 'gosh:root' });
    expect(bom.metadata.timestamp).toBe('1970-01-01T00:00:00.000Z');
    expect(bom.metadata.tools.components).toEqual([{ type: 'application', name: 'gosh-frontend', version: '0.1.0' }]);
    expect(bom.serialNumber).toBe('urn:uuid:c009e36e-70d0-50f0-84d0-66115d0e3e07');
  });

  it('gives every component an explicit bom-ref (purl, gosh:subimage:<path>, gosh:file:<path>)', () => {
    expect(bom.components.map((c) => c['bom-ref']).sort()).toEqual([
      'gosh:file:Cargo.lock',
      'gosh:subimage:tools/Dockerfile',
      'pkg:cargo/anstream@0.6.18',
      'pkg:cargo/anstyle@1.0.10',
      'pkg:oci/busybox@sha256:4e29b2d2a9d07c16fc3b8ba8f8503c0c7852f363b2568be84de543081f1e290e?repository_url=localhost%3A5000%2Fbase%2Fbusybox&tag=local',
      'pkg:oci/debian@sha256:03a7a24863a51992d0eed6cd04fd3331b656172b0dee385cdf02d5061cc4010c?repository_url=docker.io%2Flibrary%2Fdebian&tag=bookworm-slim',
      'pkg:oci/rust@sha256:674db6bdd076b3509711af933719ca271ec2d0a3275b895aef4ebbc00f8048d2?repository_url=docker.io%2Flibrary%2Frust&tag=1.85-bookworm',
    ]);
    expect(text).not.toContain('BomRef.');
  });

  it('maps images with their hash and roles, crates with hash and distribution URL', () => {
    const busybox = bom.components.find((c) => c.name === 'localhost:5000/base/busybox:local');
    expect(busybox?.type).toBe('container');
    expect(busybox?.hashes).toEqual([{ alg: 'SHA-256', content: '4e29b2d2a9d07c16fc3b8ba8f8503c0c7852f363b2568be84de543081f1e290e' }]);
    expect(busybox?.properties).toEqual([{ name: 'gosh:role', value: 'base-image' }]);
    const rust = bom.components.find((c) => c.name === 'docker.io/library/rust:1.85-bookworm');
    expect(rust?.properties).toEqual([{ name: 'gosh:role', value: 'build-image' }]);
    const anstream = bom.components.find((c) => c.name === 'anstream');
    expect(anstream).toMatchObject({ type: 'library', version: '0.6.18', purl: 'pkg:cargo/anstream@0.6.18' });
    expect(anstream?.externalReferences).toEqual([{ url: 'https://static.crates.io/crates/anstream/anstream-0.6.18.crate', type: 'distribution' }]);
    const tools = bom.components.find((c) => c.name === 'tools');
    expect(tools?.properties).toEqual([
      { name: 'gosh:role', value: 'copy-image' },
      { name: 'gosh:stable-hash', value: 'sha256:8ce926acd46996a3664c6bb50d9fbface046b2131541ffc38f6a295925145b0f' },
      { name: 'gosh:subimage-context', value: 'tools/Dockerfile' },
    ]);
  });

  it('renders the tree as dependsOn from each consumer to its children', () => {
    const deps = new Map(bom.dependencies.map((d) => [d.ref, d.dependsOn ?? []]));
    expect(deps.get('gosh:root')).toEqual([
      'gosh:subimage:tools/Dockerfile',
      'pkg:cargo/anstream@0.6.18',
      'pkg:cargo/anstyle@1.0.10',
      'pkg:oci/busybox@sha256:4e29b2d2a9d07c16fc3b8ba8f8503c0c7852f363b2568be84de543081f1e290e?repository_url=localhost%3A5000%2Fbase%2Fbusybox&tag=local',
      'pkg:oci/rust@sha256:674db6bdd076b3509711af933719ca271ec2d0a3275b895aef4ebbc00f8048d2?repository_url=docker.io%2Flibrary%2Frust&tag=1.85-bookworm',
    ]);
    expect(deps.get('gosh:subimage:tools/Dockerfile')).toEqual([
      'pkg:oci/debian@sha256:03a7a24863a51992d0eed6cd04fd3331b656172b0dee385cdf02d5061cc4010c?repository_url=docker.io%2Flibrary%2Fdebian&tag=bookworm-slim',
    ]);
    expect(deps.get('pkg:cargo/anstream@0.6.18')).toEqual(['pkg:cargo/anstyle@1.0.10']);
  });
});

describe('writeCycloneDx', () => {
  const lock = lockOf({ images: [image('docker.io/library/a:1')], packages: [crate('x', '1.0.0')], subimages: [subimage('s')], manifests: [manifest('Cargo.lock')] });
  const facts: BuildFacts = {
    name: 'app',
    images: [
      { consumer: { kind: 'root' }, source: { kind: 'image', ref: 'docker.io/library/a:1' }, role: 'copy', stage: 'x' },
      { consumer: { kind: 'root' }, source: { kind: 'image', ref: 'docker.io/library/a:1' }, role: 'mount', stage: 'y' },
      { consumer: { kind: 'root' }, source: { kind: 'subimage', name: 's' }, role: 'base' },
    ],
    packages: [{ consumer: { kind: 'root' }, purl: 'pkg:cargo/x@1.0.0' }],
    manifests: [{ consumer: { kind: 'root' }, path: 'Cargo.lock' }],
  };

  it('omits the serial number when none is given, and lists every role of an image', () => {
    const bom = bomOf(writeCycloneDx(lock, facts, { created: '2023-11-14T22:13:20Z', generator }));
    expect(cycloneDxSchemaErrors(bom)).toEqual([]);
    expect(bom.serialNumber).toBeUndefined();
    expect(bom.metadata.timestamp).toBe('2023-11-14T22:13:20.000Z');
    expect(bom.components.find((c) => c.name === 'docker.io/library/a:1')?.properties).toEqual([
      { name: 'gosh:role', value: 'copy-image' },
      { name: 'gosh:role', value: 'mount-image' },
    ]);
  });

  it('refuses a malformed time or serial', () => {
    expect(diagnosticsOf(() => writeCycloneDx(lock, facts, { created: '1970-01-01', generator })).map((d) => d.code)).toEqual(['INTERNAL']);
    expect(diagnosticsOf(() => writeCycloneDx(lock, facts, { created: '1970-01-01T00:00:00Z', serialUuid: 'ABC', generator })).map((d) => d.code)).toEqual(['INTERNAL']);
  });

  it('refuses a use the lock does not pin', () => {
    const missing: BuildFacts = { ...facts, packages: [{ consumer: { kind: 'root' }, purl: 'pkg:cargo/nope@1.0.0' }] };
    expect(diagnosticsOf(() => writeCycloneDx(lock, missing, { created: '1970-01-01T00:00:00Z', generator })).map((d) => d.code)).toEqual(['LOCK_ENTRY_MISSING']);
  });
});
