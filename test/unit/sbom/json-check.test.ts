import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/core/errors.js';
import { ANY_OBJECT, BOOLEAN, INTEGER, JsonIssues, STRING, arrayOf, checkShape, objectOf, oneOf } from '../../../src/sbom/json-check.js';
import { parseJsonText } from '../../../src/core/json-text.js';

function check(text: string, shape: Parameters<typeof checkShape>[3]): string[] {
  const parsed = parseJsonText({ name: 'f.json', text });
  const issues = new JsonIssues('f.json', parsed.positions);
  const ok = checkShape(issues, parsed.value, '', shape, 'the test format');
  expect(ok).toBe(issues.count === 0);
  return issues.diagnostics.map(formatDiagnostic);
}

const SHAPE = objectOf({ name: STRING, n: INTEGER, on: BOOLEAN, kind: oneOf('kind', ['a', 'b']), list: arrayOf(objectOf({ x: STRING }, ['x']), 1), free: ANY_OBJECT }, ['name']);

describe('checkShape', () => {
  it('accepts a matching value', () => {
    expect(check('{"name": "x", "n": 3, "on": true, "kind": "a", "list": [{"x": "y"}], "free": {"any": [1]}}', SHAPE)).toEqual([]);
  });

  it('reports every mismatch with its line and path', () => {
    const text = '{\n "n": 1.5,\n "on": "yes",\n "kind": "c",\n "list": [\n  {"x": 1, "y": 2}\n ],\n "extra": null\n}';
    expect(check(text, SHAPE)).toEqual([
      'f.json:2: n: expected an integer, found a number',
      'f.json:3: on: expected true or false, found a string',
      'f.json:4: kind: unknown kind "c" (expected one of a, b)',
      'f.json:6: list[0].x: expected a string, found a number',
      'f.json:6: list[0].y: unknown field "y" (not in the test format)',
      'f.json:8: extra: unknown field "extra" (not in the test format)',
      'f.json:1: $: missing required field "name"',
    ]);
  });

  it('reports a too-short array and a wrong container', () => {
    expect(check('{"name": "x", "list": []}', SHAPE)).toEqual(['f.json:1: list: expected at least 1 item']);
    expect(check('{"name": "x", "list": {}}', SHAPE)).toEqual(['f.json:1: list: expected an array, found an object']);
    expect(check('null', SHAPE)).toEqual(['f.json:1: $: expected an object, found null']);
  });
});

describe('JsonIssues', () => {
  it('falls back to the nearest located ancestor', () => {
    const parsed = parseJsonText({ name: 'f.json', text: '{\n "a": {\n  "b": [1]\n }\n}' });
    const issues = new JsonIssues('f.json', parsed.positions);
    expect(issues.range('a.b[0].missing.deeper')).toEqual({ startLine: 3, endLine: 3, startColumn: 9 });
    expect(issues.range('a["odd key"]')).toEqual({ startLine: 2, endLine: 2, startColumn: 2 });
    expect(issues.note('a.b', 'here')).toEqual({ message: 'here (a.b)', file: 'f.json', range: { startLine: 3, endLine: 3, startColumn: 3 } });
  });
});
