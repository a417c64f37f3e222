// The validators themselves: they accept a known-good document and reject a broken one, so a
// "valid" verdict elsewhere means something.
import { describe, expect, it } from 'vitest';
import { cycloneDxSchemaErrors, spdxSchemaErrors } from './schemas.js';

describe('schema validators', () => {
  const spdx = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'x',
    documentNamespace: 'https://example.com/x',
    creationInfo: { created: '1970-01-01T00:00:00Z', creators: ['Tool: t'] },
  };
  it('SPDX 2.3: accepts a minimal document', () => expect(spdxSchemaErrors(spdx)).toEqual([]));
  it('SPDX 2.3: rejects an unknown top-level field', () => expect(spdxSchemaErrors({ ...spdx, extra: 1 })).not.toEqual([]));
  it('SPDX 2.3: rejects a bad checksum algorithm', () =>
    expect(
      spdxSchemaErrors({ ...spdx, packages: [{ SPDXID: 'SPDXRef-a', name: 'a', downloadLocation: 'NONE', checksums: [{ algorithm: 'SHA-256', checksumValue: 'aa' }] }] }),
    ).not.toEqual([]));

  const cdx = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'a', 'bom-ref': 'a' }] };
  it('CycloneDX 1.6: accepts a minimal BOM', () => expect(cycloneDxSchemaErrors(cdx)).toEqual([]));
  it('CycloneDX 1.6: rejects an unknown component type', () =>
    expect(cycloneDxSchemaErrors({ ...cdx, components: [{ type: 'gadget', name: 'a' }] })).not.toEqual([]));
  it('CycloneDX 1.6: rejects a malformed serial number', () => expect(cycloneDxSchemaErrors({ ...cdx, serialNumber: 'urn:uuid:nope' })).not.toEqual([]));
});
