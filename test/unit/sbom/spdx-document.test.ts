import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/core/errors.js';
import { checkSpdxDocument, isSpdxDate, readSpdxDocument } from '../../../src/sbom/spdx-document.js';
import { sharedFixture } from '../../helpers/shared-fixture.js';
import { diagnosticsOf, exampleLockText, exampleWith, lineOf, messagesOf, type JsonDoc } from './lock-example.js';
import { spdxSchemaErrors } from './schemas.js';

const read = (text: string, name = 'sbom.spdx.json') => readSpdxDocument({ name, text });

describe('readSpdxDocument on the shared fixtures', () => {
  // valid SPDX 2.3 documents (none of them is a gosh lock: see spdx-read.test.ts)
  it.each(['spdx/syft-1.4.1_ubi9-ubi-micro.image.spdx.json', 'spdx/konflux_ubi10-index-variants.spdx.json'])('accepts %s', (name) => {
    const text = readFileSync(sharedFixture(`fixtures/sbom/${name}`), 'utf8');
    const doc = read(text, name);
    expect(doc.packages.length).toBeGreaterThan(0);
    expect(doc.relationships.some((r) => r.relationshipType === 'DESCRIBES')).toBe(true);
  });

  it('reads PACKAGE_MANAGER (SPDX 2.2 spelling) as PACKAGE-MANAGER', () => {
    const name = 'spdx/konflux_ubi10-index-variants.spdx.json';
    const doc = read(readFileSync(sharedFixture(`fixtures/sbom/${name}`), 'utf8'), name);
    expect(doc.packages[0]?.externalRefs[0]?.referenceCategory).toBe('PACKAGE-MANAGER');
  });

  // the first diagnostic of each invalid fixture, exactly, and how many there are
  it.each([
    ['spdx/invalid_syft-golden-redacted.image.spdx.json', 4, 'documentNamespace: documentNamespace "redacted" must be an absolute URI without "#"', 6],
    ['spdx/invalid_vendor-alpine-3.10.dangling-relationship.spdx.json', 4, 'spdxVersion: unsupported spdxVersion "SPDX-2.2" (expected SPDX-2.3)', 3],
    ['spdx/konflux_image-base-and-builders.spdx.json', 164, 'packages[0].checksums[0].checksumValue: SHA256 checksum must have 64 hex digits, found 33', 31],
    ['spdx/konflux_image-descendant-of-base.spdx.json', 1, 'packages[0].checksums[0].checksumValue: SHA256 checksum must have 64 hex digits, found 32', 22],
    ['spdx/syft-legacy_alpine-3.10.image.spdx-2.2.json', 9, 'spdxVersion: unsupported spdxVersion "SPDX-2.2" (expected SPDX-2.3)', 4],
    ['cargo/cargo-binary/cargo-sbom-0.10.0.spdx.json', 50, 'creationInfo.created: created "2025-05-08T03:31:52.281Z" must be a date YYYY-MM-DDThh:mm:ssZ', 4],
  ])('rejects %s with located messages', (name, count, first, line) => {
    const text = readFileSync(sharedFixture(`fixtures/sbom/${name}`), 'utf8');
    const diagnostics = diagnosticsOf(() => read(text, name));
    expect(diagnostics).toHaveLength(count);
    expect(formatDiagnostic(diagnostics[0]!)).toBe(`${name}:${line}: ${first}`);
    for (const d of diagnostics) {
      expect(d.code).toBe('SBOM_INVALID');
      expect(d.file).toBe(name);
      expect(d.jsonPath).toBeDefined();
      expect(d.range?.startLine).toBeGreaterThan(0);
    }
  });

  it('names the dangling relationship of the vendor fixture', () => {
    const name = 'spdx/invalid_vendor-alpine-3.10.dangling-relationship.spdx.json';
    const messages = messagesOf(() => read(readFileSync(sharedFixture(`fixtures/sbom/${name}`), 'utf8'), name));
    expect(messages).toContain(`${name}:58: relationships[1].spdxElementId: relationship from unknown element "SPDXRef-9fb3aa2f8b"`);
  });

  it('names the invalid download location of cargo-sbom', () => {
    const name = 'cargo/cargo-binary/cargo-sbom-0.10.0.spdx.json';
    const messages = messagesOf(() => read(readFileSync(sharedFixture(`fixtures/sbom/${name}`), 'utf8'), name));
    expect(messages).toContain(
      `${name}:26: packages[0].downloadLocation: invalid download location "registry+https://github.com/rust-lang/crates.io-index" (expected a URL, a VCS location, NONE or NOASSERTION)`,
    );
  });
});

describe('readSpdxDocument rules', () => {
  it('accepts the lock example of sbom-lock.md, which the official schema accepts too', () => {
    expect(spdxSchemaErrors(JSON.parse(exampleLockText))).toEqual([]);
    const doc = read(exampleLockText);
    expect(doc.name).toBe('gosh-example/app');
    expect(doc.packages.map((p) => p.SPDXID)).toContain('SPDXRef-Root');
  });

  it('points at the exact line of a bad checksum', () => {
    const text = exampleWith((d) => {
      d.packages[0].checksums[0].checksumValue = 'ABC';
    });
    expect(messagesOf(() => read(text))).toEqual([
      `sbom.spdx.json:${lineOf(text, '"ABC"')}: packages[0].checksums[0].checksumValue: SHA256 checksum must be lowercase hex`,
    ]);
  });

  it('reports a schema violation and the spec rules of the rest of the document together', () => {
    const text = exampleWith((d) => {
      d.packages[0].checksums = 'oops';
      d.packages[1].licenseWhatever = 'x';
      d.creationInfo.created = '1970-01-01';
      d.relationships.push({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Nowhere' });
    });
    expect(messagesOf(() => read(text))).toEqual([
      `sbom.spdx.json:${lineOf(text, '"created"')}: creationInfo.created: created "1970-01-01" must be a date YYYY-MM-DDThh:mm:ssZ`,
      `sbom.spdx.json:${lineOf(text, '"checksums": "oops"')}: packages[0].checksums: expected an array, found a string`,
      `sbom.spdx.json:${lineOf(text, '"licenseWhatever"')}: packages[1].licenseWhatever: unknown field "licenseWhatever" (not in SPDX 2.3)`,
      `sbom.spdx.json:${lineOf(text, '"SPDXRef-Nowhere"')}: relationships[9].relatedSpdxElement: relationship to unknown element "SPDXRef-Nowhere"`,
    ]);
  });

  it.each([
    ['dataLicense', (d: JsonDoc) => (d.dataLicense = 'MIT'), 'dataLicense must be CC0-1.0'],
    ['document SPDXID', (d: JsonDoc) => (d.SPDXID = 'SPDXRef-DOC'), "the document's SPDXID must be SPDXRef-DOCUMENT"],
    ['multi-line name', (d: JsonDoc) => (d.name = 'a\nb'), 'the document name must be a non-empty single line'],
    ['namespace with #', (d: JsonDoc) => (d.documentNamespace = 'https://x/y#z'), 'must be an absolute URI without "#"'],
    ['namespace missing', (d: JsonDoc) => delete d.documentNamespace, 'missing required field "documentNamespace"'],
    ['impossible date', (d: JsonDoc) => (d.creationInfo.created = '2024-02-30T00:00:00Z'), 'must be a date'],
    ['creator form', (d: JsonDoc) => (d.creationInfo.creators = ['gosh']), 'must start with "Tool: "'],
    ['no creators', (d: JsonDoc) => (d.creationInfo.creators = []), 'expected at least 1 item'],
    ['bad SPDXID', (d: JsonDoc) => (d.packages[0].SPDXID = 'SPDXRef-a_b'), 'invalid SPDXID "SPDXRef-a_b"'],
    ['duplicate SPDXID', (d: JsonDoc) => (d.packages[1].SPDXID = d.packages[0].SPDXID), 'duplicate SPDXID'],
    ['unknown algorithm', (d: JsonDoc) => (d.packages[0].checksums[0].algorithm = 'SHA-256'), 'unknown checksum algorithm "SHA-256"'],
    ['file without SHA1', (d: JsonDoc) => (d.files[0].checksums = d.files[0].checksums.slice(1)), 'exactly one SHA1 checksum, found 0'],
    ['bad purl', (d: JsonDoc) => (d.packages[0].externalRefs[0].referenceLocator = 'cargo/anstream'), 'invalid purl'],
    ['locator with a space', (d: JsonDoc) => (d.packages[0].externalRefs[0].referenceLocator = 'pkg:cargo/a b'), 'contain no spaces'],
    ['verification code with filesAnalyzed false', (d: JsonDoc) => (d.packages[0].packageVerificationCode = { packageVerificationCodeValue: 'x' }), 'no verification code'],
    ['unknown relationship type', (d: JsonDoc) => (d.relationships[0].relationshipType = 'USES'), 'unknown relationship type "USES"'],
    ['no DESCRIBES', (d: JsonDoc) => (d.relationships = d.relationships.filter((r: JsonDoc) => r.relationshipType !== 'DESCRIBES')), 'no SPDXRef-DOCUMENT DESCRIBES relationship'],
    ['not an object', (d: JsonDoc) => Object.assign(d, { packages: [1] }), 'packages[0]: expected an object, found a number'],
  ])('rejects %s', (_what, edit, message) => {
    const text = exampleWith(edit);
    const messages = messagesOf(() => read(text));
    expect(messages.some((m) => m.includes(message)), messages.join('\n')).toBe(true);
  });

  it('accepts references to external documents', () => {
    const text = exampleWith((d) => {
      d.externalDocumentRefs = [{ externalDocumentId: 'DocumentRef-base', spdxDocument: 'https://x/y', checksum: { algorithm: 'SHA1', checksumValue: 'a'.repeat(40) } }];
      d.relationships.push({ spdxElementId: 'SPDXRef-Root', relationshipType: 'OTHER', relatedSpdxElement: 'DocumentRef-base:SPDXRef-x' });
    });
    expect(checkSpdxDocument({ name: 'sbom.spdx.json', text }).issues.count).toBe(0);
  });

  it('rejects a top level that is not an object', () => {
    expect(messagesOf(() => read('[]'))).toEqual(['sbom.spdx.json:1: $: expected an object, found an array']);
  });
});

describe('isSpdxDate', () => {
  it.each([
    ['1970-01-01T00:00:00Z', true],
    ['2024-02-29T23:59:59Z', true],
    ['2023-02-29T00:00:00Z', false],
    ['2024-01-01T24:00:00Z', false],
    ['2024-01-01T00:00:00.000Z', false],
    ['2024-01-01T00:00:00+00:00', false],
  ])('%s → %s', (text, ok) => expect(isSpdxDate(text)).toBe(ok));
});
