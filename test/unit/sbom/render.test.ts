import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/core/digest.js';
import { renderSbomOutputs } from '../../../src/sbom/render.js';
import { readSpdxLock } from '../../../src/sbom/spdx-read.js';
import { exampleLockText } from './lock-example.js';

const example = readSpdxLock({ name: 'sbom.spdx.json', text: exampleLockText });
const generator = { name: 'gosh-frontend', version: '9.9.9' };

describe('renderSbomOutputs', () => {
  const out = renderSbomOutputs(example.lock, example.recorded, { mode: 'prod', generator, spdxFileName: 'app.spdx.json', attestorUri: 'https://a.example/x' });

  it('ties the three outputs together', () => {
    const cdx = JSON.parse(out.cyclonedx) as { serialNumber: string; metadata: { timestamp: string; tools: { components: { version: string }[] } } };
    expect(cdx.serialNumber).toBe(`urn:uuid:${out.spdx.uuid}`);
    expect(cdx.metadata.timestamp).toBe('1970-01-01T00:00:00.000Z');
    expect(cdx.metadata.tools.components[0]?.version).toBe('9.9.9');
    expect(out.descriptor.artifact.digest).toBe(sha256Digest(out.spdx.text));
    expect(out.descriptor.artifact.annotations['org.opencontainers.image.title']).toBe('app.spdx.json');
    expect(out.descriptor.artifact.annotations['dev.gosh.sbom.document-namespace']).toBe(out.spdx.documentNamespace);
    expect(out.descriptor.generator).toEqual(generator);
    expect(out.descriptor.provenance.attestorUri).toBe('https://a.example/x');
    expect(out.descriptorText.endsWith('}\n')).toBe(true);
  });

  it('the frontend version appears in CycloneDX and the descriptor, never in the lock', () => {
    expect(out.spdx.text).not.toContain('9.9.9');
    expect(out.spdx.text).toBe(exampleLockText);
  });
});
