// Golden SBOM cases: each folder's inputs → expect.spdx.json, expect.cdx.json,
// expect.descriptor.json, compared byte for byte. UPDATE_GOLDEN=1 rewrites the expect files
// (review the diff). Every output is also checked against the official JSON schemas, and the
// SPDX output must read back as a lock that renders to the same bytes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSpdxLock } from '../../../src/sbom/spdx-read.js';
import { writeSpdxLock } from '../../../src/sbom/spdx-write.js';
import { cycloneDxSchemaErrors, spdxSchemaErrors } from '../../unit/sbom/schemas.js';
import { listSbomCases, loadSbomCase, renderSbomCase, type SbomCaseOutput } from './load-case.js';

const root = dirname(fileURLToPath(import.meta.url));
const update = process.env['UPDATE_GOLDEN'] === '1';
const cases = listSbomCases(root);

it('finds the golden cases', () => {
  expect(cases.map((c) => c.split('/').pop())).toEqual(['multi-stage-subimages', 'single-image', 'spec-example']);
});

describe.each(cases)('%s', (dir) => {
  const c = loadSbomCase(dir);
  const output = renderSbomCase(c);

  it.each(Object.keys(output) as (keyof SbomCaseOutput)[])('%s', (file) => {
    const path = join(dir, file);
    if (update) writeFileSync(path, output[file]);
    expect(existsSync(path), `${path} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
    expect(output[file]).toBe(readFileSync(path, 'utf8'));
  });

  it('SPDX output is valid SPDX 2.3 and reads back to the same bytes', () => {
    const text = output['expect.spdx.json'];
    expect(spdxSchemaErrors(JSON.parse(text))).toEqual([]);
    const read = readSpdxLock({ name: 'sbom.spdx.json', text });
    const namespaceBase = c.options.namespaceBase;
    expect(writeSpdxLock(read.lock, read.recorded, { mode: 'prod', ...(namespaceBase !== undefined ? { namespaceBase } : {}) }).text).toBe(text);
  });

  it('CycloneDX output is valid CycloneDX 1.6 with no invented bom-refs', () => {
    const text = output['expect.cdx.json'];
    expect(cycloneDxSchemaErrors(JSON.parse(text))).toEqual([]);
    expect(text).not.toContain('BomRef.');
  });

  it('descriptor describes the SPDX bytes', () => {
    const descriptor = JSON.parse(output['expect.descriptor.json']) as { artifact: { size: number } };
    expect(descriptor.artifact.size).toBe(Buffer.byteLength(output['expect.spdx.json'], 'utf8'));
  });
});
