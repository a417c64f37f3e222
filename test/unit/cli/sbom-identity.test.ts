import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { identifySbom, normalizeDateTime } from '../../../src/cli/sbom-identity.js';
import { GoshError, type Diagnostic } from '../../../src/core/errors.js';
import { sharedFixture } from '../../helpers/shared-fixture.js';

function diagnosticsOf(fn: () => unknown): readonly Diagnostic[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof GoshError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected a GoshError');
}

const identify = (text: string, file = 'sbom.json'): ReturnType<typeof identifySbom> => identifySbom(file, Buffer.from(text, 'utf8'));

describe('identifySbom on real SBOMs (../shared/fixtures/sbom)', () => {
  it.each([
    ['spdx/syft-1.4.1_ubi9-ubi-micro.image.spdx.json', 'spdx-json', 'SPDX-2.3', 'registry.access.redhat.com/ubi9/ubi-micro', 'https://anchore.com/syft/dir/syft-sboms-b66779b6-6e20-4128-9fad-da28250a1b82', '2024-12-18T11:28:00Z'],
    ['spdx/syft-legacy_alpine-3.10.image.spdx-2.2.json', 'spdx-json', 'SPDX-2.2', 'alpine-3.10', 'https://anchore.com/syft/image/alpine-3.10-204b304b-beb3-4413-9b38-d8a2e58e3dfb', '2022-01-20T21:40:24Z'],
    ['spdx/konflux_ubi10-index-variants.spdx.json', 'spdx-json', 'SPDX-2.3', 'registry.redhat.io/ubi10-beta/ubi@sha256:4b4976d86eefeedab6884c9d2923206c6c3c2e2471206f97fd9d7aaaecbc04ac', 'https://konflux-ci.dev/spdxdocs/ubi-latest-aa76aa8c-13ce-4c13-bdf1-f16dd9a9ff54', '2025-05-06T13:14:21Z'],
    ['cargo/cargo-binary/cargo-sbom-0.10.0.spdx.json', 'spdx-json', 'SPDX-2.3', 'cargo-binary', 'https://spdx.org/spdxdocs/cargo-binary-f65141a5-8f76-4f2a-b53f-076a94f7332f', '2025-05-08T03:31:52Z'],
    ['cyclonedx/syft-1.4.1_ubi9-ubi-micro.image.cdx.json', 'cyclonedx-json', 'CycloneDX-1.5', 'registry.access.redhat.com/ubi9/ubi-micro', 'urn:uuid:1d823647-6b64-41b3-a29b-1d09cfb3ba8a', '2024-12-18T10:08:00Z'],
    ['cyclonedx/trivy-0.42.1_alpine-3.13.1.image.cdx.json', 'cyclonedx-json', 'CycloneDX-1.4', 'alpine:3.13.1', 'urn:uuid:0e72460e-11cd-4396-89d2-650ac24eb94d', '2023-09-07T12:58:31Z'],
    ['cyclonedx/konflux_image-base-and-builders.cdx.json', 'cyclonedx-json', 'CycloneDX-1.6', 'examplecontainer', 'urn:uuid:1d823647-6b64-41b3-a29b-1d09cfb3ba8a', '2024-12-18T10:08:00Z'],
    ['cargo/cargo-binary/cargo-sbom-0.10.0.cdx.json', 'cyclonedx-json', 'CycloneDX-1.4', 'cargo-binary', 'urn:uuid:ea692b4e-c6c9-4500-9e18-efaa7a5cf2ad', '2025-05-08T03:32:29Z'],
  ])('%s', (path, format, specVersion, name, documentNamespace, created) => {
    const id = identifySbom(path, readFileSync(sharedFixture(`fixtures/sbom/${path}`)));
    expect({ format: id.format, specVersion: id.specVersion, name: id.name, documentNamespace: id.documentNamespace, created: id.created }).toEqual({
      format,
      specVersion,
      name,
      documentNamespace,
      created,
    });
  });

  it('refuses syft\'s redacted golden: its created is not a time', () => {
    const file = 'invalid_syft-golden-redacted.image.spdx.json';
    const ds = diagnosticsOf(() => identifySbom(file, readFileSync(sharedFixture(`fixtures/sbom/spdx/${file}`))));
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ code: 'SBOM_INVALID', file, jsonPath: 'creationInfo.created', range: { startLine: 13 } });
    expect(ds[0]?.message).toContain('found string "redacted"');
  });

  it('refuses a package lock: not an SBOM', () => {
    const ds = diagnosticsOf(() => identifySbom('package-lock.json', readFileSync(sharedFixture('fixtures/sbom/npm/package-lock.json'))));
    expect(ds[0]?.message).toContain('not an SBOM: no spdxVersion (SPDX JSON) or bomFormat (CycloneDX JSON) member');
  });
});

describe('identifySbom on malformed input', () => {
  it.each([
    ['empty', '', undefined, 'the file is empty'],
    ['not JSON', '{\n  "spdxVersion": SPDX\n}', 2, 'invalid JSON'],
    ['a byte-order mark', '\ufeff{"bomFormat":"CycloneDX"}', 1, 'byte-order mark'],
    ['an array', '[1]', 1, 'expected an SBOM document (a JSON object), found an array'],
    ['both markers', '{"spdxVersion":"SPDX-2.3","bomFormat":"CycloneDX"}', 1, 'both spdxVersion (SPDX) and bomFormat (CycloneDX)'],
    ['SPDX 3 JSON-LD', '{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[]}', 1, 'SPDX 3 JSON-LD is not supported'],
    ['SPDX 1.2', '{"spdxVersion":"SPDX-1.2","name":"a","documentNamespace":"urn:a","creationInfo":{"created":"2020-01-01T00:00:00Z"}}', 1, 'unsupported spdxVersion string "SPDX-1.2"'],
    ['CycloneDX 2.0', '{"bomFormat":"CycloneDX","specVersion":"2.0"}', 1, 'unsupported specVersion string "2.0"'],
    ['a lowercase bomFormat', '{"bomFormat":"cyclonedx","specVersion":"1.5"}', 1, 'bomFormat must be "CycloneDX"'],
    ['a bad serial number', '{"bomFormat":"CycloneDX","specVersion":"1.5","serialNumber":"42"}', 1, 'serialNumber must be urn:uuid:<uuid>'],
    ['a bad timestamp', '{"bomFormat":"CycloneDX","specVersion":"1.5",\n"metadata":{"timestamp":"yesterday"}}', 2, 'timestamp must be a date-time'],
    ['an SPDX document without a namespace', '{"spdxVersion":"SPDX-2.3","name":"a",\n"creationInfo":{"created":"2020-01-01T00:00:00Z"}}', 1, 'documentNamespace must be a URI'],
  ])('%s', (_what, text, line, message) => {
    const ds = diagnosticsOf(() => identify(text));
    expect(ds[0]?.code).toBe('SBOM_INVALID');
    expect(ds[0]?.file).toBe('sbom.json');
    expect(ds[0]?.range?.startLine).toBe(line);
    expect(ds[0]?.message).toContain(message);
  });

  it('bytes that are not UTF-8', () => {
    const ds = diagnosticsOf(() => identifySbom('x.json', Uint8Array.from([0x7b, 0xff, 0x7d])));
    expect(ds[0]).toMatchObject({ code: 'SBOM_INVALID', file: 'x.json', message: 'not UTF-8 text' });
  });

  it('reports every problem of the members it reads, in one error', () => {
    const ds = diagnosticsOf(() => identify('{"spdxVersion":"SPDX-2.3","name":"",\n"documentNamespace":"a b",\n"creationInfo":{}}'));
    expect(ds.map((d) => d.jsonPath)).toEqual(['name', 'documentNamespace', 'creationInfo.created']);
  });

  it('a minimal CycloneDX document has no name, namespace or time', () => {
    const id = identify('{"bomFormat":"CycloneDX","specVersion":"1.6","version":1}');
    expect(id).toMatchObject({ format: 'cyclonedx-json', specVersion: 'CycloneDX-1.6' });
    expect(id.name).toBeUndefined();
    expect(id.documentNamespace).toBeUndefined();
    expect(id.created).toBeUndefined();
  });
});

describe('normalizeDateTime', () => {
  it.each([
    ['2024-12-18T11:08:00+01:00', '2024-12-18T10:08:00Z'],
    ['2024-12-31T23:30:00-01:00', '2025-01-01T00:30:00Z'],
    ['2022-01-20T21:40:24.439211Z', '2022-01-20T21:40:24Z'],
    ['2025-05-08T03:32:29.672Z', '2025-05-08T03:32:29Z'],
    ['2024-02-29t12:00:00z', '2024-02-29T12:00:00Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00Z'],
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'],
  ])('%s → %s', (input, expected) => expect(normalizeDateTime(input)).toBe(expected));

  it.each(['2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T00:00:60Z', '2024-01-01 00:00:00Z', '2024-01-01T00:00:00', '2024-01-01T00:00:00+24:00', 'redacted', '0000-01-01T00:00:00+01:00'])(
    '%s is refused',
    (input) => expect(normalizeDateTime(input)).toBeUndefined(),
  );
});
