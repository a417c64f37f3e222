import { describe, expect, it } from 'vitest';
import { GoshError, formatDiagnostic } from '../../../src/core/errors.js';
import { JsonIssues } from '../../../src/sbom/json-check.js';
import { LazyJsonPositions } from '../../../src/core/json-positions.js';
import { parseJsonText, type JsonPosition } from '../../../src/core/json-text.js';

const parse = (text: string) => parseJsonText({ name: 'big.json', text });

/** Every position the located parser records. */
function reference(text: string): ReadonlyMap<string, JsonPosition> {
  const lazy = parse(text).positions;
  expect(lazy).toBeInstanceOf(LazyJsonPositions);
  return new Map(lazy); // iterating asks the located parser for everything
}

/** A document of `n` packages, two-space indented like a lock, with a few awkward keys. */
function bigDocument(n: number): string {
  const packages = Array.from({ length: n }, (_, i) => ({
    SPDXID: `SPDXRef-${i}`,
    'odd "key"\\': { 'a.b': [i, { x: null }, [], {}], '\u00e9\ud83d\ude00': `v${i}\n"` },
    checksums: [{ algorithm: 'SHA256', checksumValue: 'ab'.repeat(32) }],
    n: -1.5e3,
    ok: true,
  }));
  return `${JSON.stringify({ name: 'doc', packages, '': 0, '7': [[1, [2]]] }, null, 2)}\n`;
}

describe('LazyJsonPositions', () => {
  it('finds every path the located parser records, at the same line and column', () => {
    const text = bigDocument(40);
    const lazy = parse(text).positions;
    const all = reference(text);
    expect(all.size).toBeGreaterThan(400);
    // a fresh map per order: paths asked deep-first, then in document order
    const fresh = parse(text).positions;
    for (const path of [...all.keys()].reverse()) expect(fresh.get(path), path).toEqual(all.get(path));
    for (const [path, pos] of all) expect(lazy.get(path), path).toEqual(pos);
  });

  it('names nothing for paths the document lacks or that are not written as memberPath writes them', () => {
    const { positions } = parse('{"a": [1, {"b c": 2}], "d": {}}');
    expect(positions.get('a[1]["b c"]')).toEqual({ line: 1, column: 12 });
    for (const path of ['a[2]', 'a.x', 'd.x', 'd[0]', 'a[1].b', '["a"]', '.a', 'a[01]', 'a[1]["b c"', 'a[1]["b\\u0020c"]', 'x']) {
      expect(positions.get(path), path).toBeUndefined();
      expect(positions.has(path), path).toBe(false);
    }
  });

  it('locates a problem deep in a 10,000-package document at its line', () => {
    const text = bigDocument(10_000);
    const { value, positions } = parse(text);
    expect(value).toEqual(JSON.parse(text));
    const issues = new JsonIssues('big.json', positions);
    issues.report('packages[9876]["odd \\"key\\"\\\\"]["a.b"][1].x', 'bad x');
    issues.report('packages[9876].missing', 'no such member: its parent is named');
    const lines = text.split('\n');
    const lineOf = (needle: string, from: number): number => lines.findIndex((l, i) => i >= from && l.includes(needle)) + 1;
    const pkg = lineOf('"SPDXID": "SPDXRef-9876"', 0) - 1;
    expect(issues.diagnostics.map((d) => [d.range?.startLine, d.range?.startColumn])).toEqual([
      [lineOf('"x": null', pkg), 13],
      [pkg, 5],
    ]);
  });

  it('leaves duplicate keys and byte-order marks deep in a big document to the located parser', () => {
    const text = bigDocument(2000);
    const at = text.indexOf('"ok": true', text.indexOf('"SPDXRef-1500"'));
    const duplicated = `${text.slice(0, at)}"ok": false,\n      ${text.slice(at)}`;
    const line = duplicated.slice(0, at).split('\n').length + 1;
    expect(() => parse(duplicated)).toThrow(GoshError);
    try {
      parse(duplicated);
    } catch (e) {
      expect(formatDiagnostic((e as GoshError).primary)).toBe(`big.json:${line}: invalid JSON: duplicate key "ok" in packages[1500] (column 7)`);
    }
  });
});
