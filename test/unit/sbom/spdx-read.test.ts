import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/core/errors.js';
import type { BuildFacts } from '../../../src/lock/model.js';
import { readSpdxLock } from '../../../src/sbom/spdx-read.js';
import { sharedFixture } from '../../helpers/shared-fixture.js';
import { diagnosticsOf, exampleLockText, exampleWith, lineOf, messagesOf, type JsonDoc, packageIndex } from './lock-example.js';

const read = (text: string) => readSpdxLock({ name: 'sbom.spdx.json', text });

describe('readSpdxLock: the sbom-lock.md example', () => {
  const { lock, recorded } = read(exampleLockText);

  it('pins the images by normalized reference, with their lines in the file', () => {
    expect([...lock.images.values()].map((i) => [i.ref, i.digest, i.origin?.jsonPath, i.origin?.range?.startLine])).toEqual([
      ['localhost:5000/base/busybox:local', 'sha256:4e29b2d2a9d07c16fc3b8ba8f8503c0c7852f363b2568be84de543081f1e290e', 'packages[2]', lineOf(exampleLockText, '"SPDXRef-Image-busybox') - 1],
      ['docker.io/library/debian:bookworm-slim', 'sha256:03a7a24863a51992d0eed6cd04fd3331b656172b0dee385cdf02d5061cc4010c', 'packages[3]', lineOf(exampleLockText, '"SPDXRef-Image-debian') - 1],
      ['docker.io/library/rust:1.85-bookworm', 'sha256:674db6bdd076b3509711af933719ca271ec2d0a3275b895aef4ebbc00f8048d2', 'packages[4]', lineOf(exampleLockText, '"SPDXRef-Image-rust') - 1],
    ]);
  });

  it('pins the crates with checksum, URL and dependency edges', () => {
    expect([...lock.packages.values()].map((p) => ({ ...p, origin: undefined }))).toEqual([
      {
        purl: 'pkg:cargo/anstream@0.6.18',
        type: 'cargo',
        name: 'anstream',
        version: '0.6.18',
        checksums: [{ algorithm: 'SHA256', value: '8acc5369981196006228e28809f761875c0327210a891e941f4c683b3a99529b' }],
        downloadLocation: 'https://static.crates.io/crates/anstream/anstream-0.6.18.crate',
        dependsOn: ['pkg:cargo/anstyle@1.0.10'],
        origin: undefined,
      },
      {
        purl: 'pkg:cargo/anstyle@1.0.10',
        type: 'cargo',
        name: 'anstyle',
        version: '1.0.10',
        checksums: [{ algorithm: 'SHA256', value: '55cc3b69f167a1ef2e161439aa98aed94e6028e5f9a59be9a6ffb47aef1651f9' }],
        downloadLocation: 'https://static.crates.io/crates/anstyle/anstyle-1.0.10.crate',
        dependsOn: [],
        origin: undefined,
      },
    ]);
  });

  it('pins the sub-image by name and the manifest by path', () => {
    expect([...lock.subimages.values()].map((s) => [s.name, s.dockerfile, s.stableHash])).toEqual([
      ['tools', 'tools/Dockerfile', 'sha256:8ce926acd46996a3664c6bb50d9fbface046b2131541ffc38f6a295925145b0f'],
    ]);
    expect([...lock.manifests.values()].map((m) => [m.path, m.sha1, m.sha256])).toEqual([
      ['Cargo.lock', 'f4fbde554b1821210006e4b7cdfa1f6b04882a57', '80ee79df24371a147873e4bd34f55c5809cd09971e49ba9e3870ffa0f00c0fae'],
    ]);
  });

  it('keeps the document time and namespace', () => {
    expect(lock.document?.created).toBe('1970-01-01T00:00:00Z');
    expect(lock.document?.namespace).toBe('https://spdx.org/spdxdocs/gosh-example-app-c009e36e-70d0-50f0-84d0-66115d0e3e07');
    expect(lock.document?.bodyDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('recovers the usage tree from the relationships and their comments', () => {
    const expected: BuildFacts = {
      name: 'gosh-example/app',
      images: [
        { consumer: { kind: 'root' }, source: { kind: 'image', ref: 'docker.io/library/rust:1.85-bookworm' }, role: 'build', stage: 'build' },
        { consumer: { kind: 'root' }, source: { kind: 'image', ref: 'localhost:5000/base/busybox:local' }, role: 'base', stage: 'final' },
        { consumer: { kind: 'root' }, source: { kind: 'subimage', name: 'tools' }, role: 'copy', stage: 'final' },
        { consumer: { kind: 'subimage', name: 'tools' }, source: { kind: 'image', ref: 'docker.io/library/debian:bookworm-slim' }, role: 'base' },
      ],
      packages: [
        { consumer: { kind: 'root' }, purl: 'pkg:cargo/anstream@0.6.18' },
        { consumer: { kind: 'root' }, purl: 'pkg:cargo/anstyle@1.0.10' },
      ],
      manifests: [{ consumer: { kind: 'root' }, path: 'Cargo.lock' }],
    };
    expect(recorded).toEqual(expected);
  });
});

describe('readSpdxLock: the shared fixtures are SPDX documents, not gosh locks', () => {
  const dir = sharedFixture('fixtures/sbom/spdx');
  const names = [...readdirSync(dir).map((f) => `spdx/${f}`), 'cargo/cargo-binary/cargo-sbom-0.10.0.spdx.json'];

  it.each(names)('%s is refused with located messages', (name) => {
    const text = readFileSync(sharedFixture(`fixtures/sbom/${name}`), 'utf8');
    const diagnostics = diagnosticsOf(() => readSpdxLock({ name, text }));
    for (const d of diagnostics) {
      expect(d.code).toBe('SBOM_INVALID');
      expect(formatDiagnostic(d)).toMatch(new RegExp(`^${name.replace(/[.]/g, '\\.')}:\\d+: [A-Za-z$]`));
    }
  });

  it.each(['spdx/syft-1.4.1_ubi9-ubi-micro.image.spdx.json', 'spdx/konflux_ubi10-index-variants.spdx.json'])('%s: valid SPDX, but no gosh lock', (name) => {
    const text = readFileSync(sharedFixture(`fixtures/sbom/${name}`), 'utf8');
    expect(messagesOf(() => readSpdxLock({ name, text }))).toEqual([`${name}:5: creationInfo.creators: not a gosh lock: no "Tool: gosh-lock-1" creator`]);
  });
});

describe('readSpdxLock: gosh-lock-1 rules', () => {
  const cases: [string, (d: JsonDoc) => void, string][] = [
    ['a newer lock format', (d) => (d.creationInfo.creators = ['Tool: gosh-lock-2']), 'creationInfo.creators: unsupported lock format "Tool: gosh-lock-2" (this gosh reads gosh-lock-1)'],
    ['an extra document field', (d) => (d.comment = 'hi'), 'comment: field "comment" is not part of a gosh lock'],
    ['a licence list version', (d) => (d.creationInfo.licenseListVersion = '3.23'), 'creationInfo.licenseListVersion: field "licenseListVersion" is not part of a gosh lock'],
    ['no root', (d) => {
      d.packages[packageIndex(d, 'gosh-example/app')].SPDXID = 'SPDXRef-Top';
      for (const r of d.relationships) for (const k of ['spdxElementId', 'relatedSpdxElement']) if (r[k] === 'SPDXRef-Root') r[k] = 'SPDXRef-Top';
    }, 'packages: a gosh lock has a root package SPDXRef-Root'],
    ['a root named unlike the document', (d) => (d.packages[packageIndex(d, 'gosh-example/app')].name = 'other'), 'the root package is named like the document ("gosh-example/app")'],
    ['filesAnalyzed true', (d) => (d.packages[0].filesAnalyzed = true), 'packages[0].filesAnalyzed: crate package must have filesAnalyzed false'],
    ['a licence on a crate', (d) => (d.packages[0].licenseConcluded = 'MIT'), 'packages[0].licenseConcluded: field "licenseConcluded" is not part of a gosh lock crate package'],
    ['an image name not normalized', (d) => (d.packages[packageIndex(d, 'docker.io/library/debian:bookworm-slim')].name = 'debian:bookworm-slim'), 'image name is not normalized: expected "docker.io/library/debian:bookworm-slim"'],
    ['an image version unlike its checksum', (d) => (d.packages[packageIndex(d, 'docker.io/library/debian:bookworm-slim')].versionInfo = `sha256:${'0'.repeat(64)}`), `versionInfo sha256:${'0'.repeat(64)} differs from the SHA256 checksum 03a7a2`],
    ['an image version that is no digest', (d) => (d.packages[packageIndex(d, 'docker.io/library/debian:bookworm-slim')].versionInfo = 'bookworm-slim'), "an image's versionInfo must be its digest"],
    ['an image purl with another digest', (d) => {
      const p = d.packages[packageIndex(d, 'docker.io/library/debian:bookworm-slim')];
      p.externalRefs[0].referenceLocator = p.externalRefs[0].referenceLocator.replace('sha256:03', 'sha256:04');
    }, 'purl version "sha256:04a7a2'],
    ['an image purl with an arch', (d) => (d.packages[packageIndex(d, 'docker.io/library/debian:bookworm-slim')].externalRefs[0].referenceLocator += '&arch=amd64'), 'unexpected purl qualifier arch (a lock pins one digest for every platform)'],
    ['an image purl for another repository', (d) => {
      const p = d.packages[packageIndex(d, 'docker.io/library/debian:bookworm-slim')];
      p.externalRefs[0].referenceLocator = p.externalRefs[0].referenceLocator.replace('library%2Fdebian', 'library%2Fubuntu');
    }, 'purl qualifier repository_url="docker.io/library/ubuntu" differs from the name ("docker.io/library/debian")'],
    ['an image purl without tag', (d) => {
      const p = d.packages[packageIndex(d, 'docker.io/library/debian:bookworm-slim')];
      p.externalRefs[0].referenceLocator = p.externalRefs[0].referenceLocator.replace('&tag=bookworm-slim', '');
    }, 'purl lacks the tag qualifier'],
    ['an image with two checksums', (d) => d.packages[packageIndex(d, 'docker.io/library/debian:bookworm-slim')].checksums.push({ algorithm: 'SHA512', checksumValue: 'a'.repeat(128) }), 'image package must have exactly one checksum, a SHA256'],
    ['an image that downloads', (d) => (d.packages[packageIndex(d, 'docker.io/library/debian:bookworm-slim')].downloadLocation = 'https://x/y'), 'image package must have downloadLocation NOASSERTION'],
    ['a crate with a SHA1 only', (d) => (d.packages[0].checksums = [{ algorithm: 'SHA1', checksumValue: 'a'.repeat(40) }]), 'packages[0].checksums: crate package must have exactly one checksum, a SHA256'],
    ['a crate without URL', (d) => (d.packages[0].downloadLocation = 'NOASSERTION'), 'crate package needs the http(s) URL of its .crate as downloadLocation'],
    ['a crate version unlike its purl', (d) => (d.packages[0].versionInfo = '0.6.19'), 'purl version "0.6.18" differs from versionInfo "0.6.19"'],
    ['a crate with two purls', (d) => d.packages[0].externalRefs.push({ ...d.packages[0].externalRefs[0] }), 'an image or crate has exactly one external reference, its purl'],
    ['a pypi package', (d) => (d.packages[0].externalRefs[0].referenceLocator = 'pkg:pypi/anstream@0.6.18'), 'unsupported package type "pypi" (gosh-lock-1 pins oci images, cargo crates and npm packages)'],
    ['an npm package without its SHA512', (d) => (d.packages[0].externalRefs[0].referenceLocator = 'pkg:npm/anstream@0.6.18'), 'npm package must have exactly two checksums, a SHA256 (what BuildKit verifies) and a SHA512'],
    ['an npm purl with two namespaces', (d) => (d.packages[0].externalRefs[0].referenceLocator = 'pkg:npm/a/b/anstream@0.6.18'), 'an npm purl has at most one namespace, the @scope'],
    ['a package of no known kind', (d) => (d.packages[0].externalRefs = []), 'a gosh lock package is the root, an image, a crate (with a purl) or a sub-image (with a gosh-stable-hash)'],
    ['a sub-image hash that is no digest', (d) => (d.packages[packageIndex(d, 'tools')].externalRefs[0].referenceLocator = 'sha256:xyz'), 'gosh-stable-hash must be sha256:<64 lowercase hex>'],
    ['a sub-image escaping the context', (d) => (d.packages[packageIndex(d, 'tools')].externalRefs[1].referenceLocator = '../tools/Dockerfile'), 'gosh-subimage-context must be a context-relative Dockerfile path, found "../tools/Dockerfile"'],
    ['a sub-image without context', (d) => d.packages[packageIndex(d, 'tools')].externalRefs.pop(), 'a sub-image needs OTHER gosh-stable-hash and gosh-subimage-context references'],
    ['a sub-image version unlike its hash', (d) => (d.packages[packageIndex(d, 'tools')].versionInfo = `sha256:${'1'.repeat(64)}`), 'versionInfo must equal the gosh-stable-hash'],
    ['a sub-image with checksums', (d) => (d.packages[packageIndex(d, 'tools')].checksums = [{ algorithm: 'SHA256', checksumValue: '1'.repeat(64) }]), 'a sub-image claims no output digest: no checksums'],
    ['an absolute manifest path', (d) => (d.files[0].fileName = '/Cargo.lock'), 'fileName must be "./" and a context-relative path, found "/Cargo.lock"'],
    ['a manifest without SHA256', (d) => (d.files[0].checksums = d.files[0].checksums.slice(0, 1)), 'a manifest file has exactly two checksums, SHA1 and SHA256'],
    ['a second DESCRIBES', (d) => d.relationships.push({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Crate-anstream-0.6.18-d17d6395' }), 'DESCRIBES relates SPDXRef-DOCUMENT to SPDXRef-Root'],
    ['a duplicate relationship', (d) => d.relationships.push({ ...d.relationships[0] }), 'duplicate relationship SPDXRef-Crate-anstream-0.6.18-d17d6395 BUILD_DEPENDENCY_OF SPDXRef-Root'],
    ['a relationship type gosh does not write', (d) => (d.relationships[0].relationshipType = 'CONTAINS'), 'relationship type CONTAINS is not used in a gosh lock'],
    ['DEPENDS_ON between images', (d) => d.relationships.push({ spdxElementId: 'SPDXRef-Image-rust-1.85-bookworm-521d6066', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-Image-busybox-local-9d5b611e' }), 'DEPENDS_ON relates a crate to a crate'],
    ['a relationship to NOASSERTION', (d) => (d.relationships[0].relatedSpdxElement = 'NOASSERTION'), 'a gosh lock relates known elements only, not NOASSERTION'],
    ['an image edge without comment', (d) => delete d.relationships.find((r: JsonDoc) => r.relationshipType === 'DESCENDANT_OF').comment, 'an image relationship needs a comment listing its uses'],
    ['an unreadable usage', (d) => (d.relationships.find((r: JsonDoc) => r.relationshipType === 'DESCENDANT_OF').comment = 'base image'), 'cannot read usage "base image"'],
    ['a base usage on BUILD_TOOL_OF', (d) => (d.relationships.find((r: JsonDoc) => r.relationshipType === 'BUILD_TOOL_OF').comment = 'gosh: FROM (target stage build)'), 'BUILD_TOOL_OF cannot list the target stage FROM'],
    ['a sub-image usage naming no Dockerfile', (d) => (d.relationships.find((r: JsonDoc) => r.comment === 'gosh: FROM (tools/Dockerfile, target stage)').comment = 'gosh: FROM (target stage)'), 'usage "gosh: FROM (target stage)" should name tools/Dockerfile'],
    ['a comment on a crate edge', (d) => (d.relationships[0].comment = 'x'), 'relationships[0].comment: field "comment" is not part of a gosh lock relationship'],
  ];

  it.each(cases)('refuses %s', (_what, edit, message) => {
    const messages = messagesOf(() => read(exampleWith(edit)));
    expect(messages.some((m) => m.includes(message)), messages.join('\n')).toBe(true);
  });

  it('locates each problem at file:line: json.path', () => {
    const text = exampleWith((d) => {
      d.packages[0].checksums = [{ algorithm: 'SHA1', checksumValue: 'a'.repeat(40) }];
    });
    expect(messagesOf(() => read(text))).toEqual([
      `sbom.spdx.json:${lineOf(text, '"checksums"', lineOf(text, '"packages"'))}: packages[0].checksums: crate package must have exactly one checksum, a SHA256`,
    ]);
  });

  it('reports every problem of the file at once, sorted by line', () => {
    const text = exampleWith((d) => {
      d.packages[0].downloadLocation = 'NONE';
      d.packages[packageIndex(d, 'tools')].versionInfo = `sha256:${'1'.repeat(64)}`;
    });
    const diagnostics = diagnosticsOf(() => read(text));
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]!.range!.startLine).toBeLessThan(diagnostics[1]!.range!.startLine);
  });

  it('refuses one image listed twice (LOCK_DUPLICATE_ENTRY) with a note at the first', () => {
    const text = exampleWith((d) => {
      const copy = JSON.parse(JSON.stringify(d.packages[packageIndex(d, 'docker.io/library/debian:bookworm-slim')]));
      copy.SPDXID = 'SPDXRef-Image-debian-again';
      d.packages.push(copy);
    });
    const diagnostics = diagnosticsOf(() => read(text));
    expect(diagnostics.map((d) => d.code)).toEqual(['LOCK_DUPLICATE_ENTRY']);
    expect(formatDiagnostic(diagnostics[0]!)).toBe(
      `sbom.spdx.json:${lineOf(text, '"SPDXRef-Image-debian-again"') - 1}: packages[7]: duplicate image docker.io/library/debian:bookworm-slim\n` +
        `  note: sbom.spdx.json:${lineOf(text, '"SPDXRef-Image-debian-bookworm-slim-1022bc06"') - 1}: first listed at packages[3]`,
    );
  });

  it('accepts a docker purl for an image', () => {
    const text = exampleWith((d) => {
      const p = d.packages[packageIndex(d, 'docker.io/library/debian:bookworm-slim')];
      p.externalRefs[0].referenceLocator = `pkg:docker/library/debian@${p.versionInfo}`;
    });
    expect(read(text).lock.images.get('docker.io/library/debian:bookworm-slim')?.digest).toMatch(/^sha256:03a7/);
  });
});
