// The SBOM files as a result: attestations keyed by platform id (as exporters look them up),
// predicate types, and the Return wire form.
import { describe, expect, it } from 'vitest';
import { LINUX_AMD64 } from '../../../src/core/platform.js';
import { returnResultToWire } from '../../../src/gateway/result-wire.js';
import { emptyImageConfig } from '../../../src/compile/image-config.js';
import { sbomAttestations, sbomFiles } from '../../../src/frontend/lock-output.js';
import { buildResult } from '../../../src/frontend/result.js';
import type { SbomOutputs } from '../../../src/sbom/render.js';

const outputs = { spdx: { text: '{"spdx":1}\n' }, cyclonedx: '{"cdx":1}\n', descriptorText: '{"d":1}\n' } as unknown as SbomOutputs;

describe('SBOM attestations', () => {
  it('one in-toto attestation per file, CycloneDX only when asked for', () => {
    const files = sbomFiles(outputs, true);
    expect(files.map((f) => [f.name, f.predicateType])).toEqual([
      ['sbom.spdx.json', 'https://spdx.dev/Document'],
      ['sbom.cdx.json', 'https://cyclonedx.org/bom'],
      ['sbom.descriptor.json', 'https://gosh.dev/sbom-descriptor/v1'],
    ]);
    expect(sbomFiles(outputs, false).map((f) => f.name)).toEqual(['sbom.spdx.json', 'sbom.descriptor.json']);
    expect(sbomAttestations('ref-1', files)[0]).toEqual({ kind: 'intoto', refId: 'ref-1', path: '/sbom.spdx.json', predicateType: 'https://spdx.dev/Document' });
  });

  it('are filed under each platform id of refs.platforms', () => {
    const atts = sbomAttestations('r', sbomFiles(outputs, false));
    const image = emptyImageConfig(LINUX_AMD64);
    const single = buildResult([{ platform: LINUX_AMD64, refId: 'a', image }], false, atts);
    expect(Object.keys(single.attestations ?? {})).toEqual(['linux/amd64']);
    const arm = { os: 'linux', architecture: 'arm64' };
    const multi = buildResult([{ platform: LINUX_AMD64, refId: 'a', image }, { platform: arm, refId: 'b', image }], true, atts);
    expect(Object.keys(multi.attestations ?? {}).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(buildResult([{ platform: LINUX_AMD64, refId: 'a', image }], false).attestations).toBeUndefined();
    const wire = returnResultToWire(single);
    expect(wire.attestations?.['linux/amd64']?.attestation?.[0]).toMatchObject({ kind: 0, ref: { id: 'r' }, path: '/sbom.spdx.json', inTotoPredicateType: 'https://spdx.dev/Document' });
  });
});
