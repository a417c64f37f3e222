import { describe, expect, it } from 'vitest';
import { namespaceSeed, renderSpdxText, spdxBodyDigest, spdxTextsFromBody } from '../../../src/sbom/spdx-text.js';

const doc = { b: 1, a: { d: [2, 1], c: 'é' }, documentNamespace: 'https://x/1', creationInfo: { created: '1970-01-01T00:00:00Z', creators: ['Tool: t'] } };

describe('SPDX text', () => {
  it('sorts keys, keeps arrays, indents by 2, ends with one newline, writes UTF-8 as is', () => {
    expect(renderSpdxText({ b: 1, a: { d: [2, 1], c: 'é' } })).toBe('{\n  "a": {\n    "c": "é",\n    "d": [\n      2,\n      1\n    ]\n  },\n  "b": 1\n}\n');
  });

  it('the body digest ignores created and the namespace, nothing else', () => {
    const moved = { ...doc, documentNamespace: 'https://x/2', creationInfo: { ...doc.creationInfo, created: '2000-01-01T00:00:00Z' } };
    expect(spdxBodyDigest(moved)).toBe(spdxBodyDigest(doc));
    expect(spdxBodyDigest({ ...doc, b: 2 })).not.toBe(spdxBodyDigest(doc));
    expect(spdxBodyDigest({ ...doc, creationInfo: { ...doc.creationInfo, creators: ['Tool: u'] } })).not.toBe(spdxBodyDigest(doc));
  });

  it('the namespace seed ignores the namespace but not created', () => {
    expect(namespaceSeed({ ...doc, documentNamespace: 'https://x/2' })).toBe(namespaceSeed(doc));
    expect(namespaceSeed({ ...doc, creationInfo: { ...doc.creationInfo, created: '2000-01-01T00:00:00Z' } })).not.toBe(namespaceSeed(doc));
  });

  it('one rendering of the body gives the same digests and text as rendering each variant', () => {
    const body = { SPDXID: 'SPDXRef-DOCUMENT', creationInfo: { creators: ['Tool: t'] }, dataLicense: 'CC0-1.0', name: 'n', packages: [{ SPDXID: 'SPDXRef-a', name: 'a "quoted"' }], spdxVersion: 'SPDX-2.3' };
    const texts = spdxTextsFromBody(renderSpdxText(body));
    expect(texts?.bodyDigest).toBe(spdxBodyDigest(body));
    const dated = { ...body, creationInfo: { created: '2024-01-02T03:04:05Z', creators: ['Tool: t'] } };
    const finished = texts?.finish('2024-01-02T03:04:05Z');
    expect(finished?.seed).toBe(namespaceSeed(dated));
    expect(finished?.text('https://x/n-1')).toBe(renderSpdxText({ ...dated, documentNamespace: 'https://x/n-1' }));
    // without the expected top-level lines: no shortcut
    expect(spdxTextsFromBody(renderSpdxText({ name: 'n' }))).toBeUndefined();
  });
});
