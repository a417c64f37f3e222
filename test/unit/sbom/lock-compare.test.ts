// prod's byte-for-byte check: the first differing JSON path and its line in the committed lock.
import { describe, expect, it } from 'vitest';
import { GoshError } from '../../../src/core/errors.js';
import { firstJsonDifference, requireSameLock, type CommittedLock } from '../../../src/sbom/lock-compare.js';

const committed = (text: string): CommittedLock => ({ file: { name: 'sbom.spdx.json', text }, bytes: new TextEncoder().encode(text) });

function refusal(text: string, expectedText: string): GoshError {
  try {
    requireSameLock(committed(text), expectedText, JSON.parse(expectedText) as never);
  } catch (e) {
    if (e instanceof GoshError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('firstJsonDifference', () => {
  it('walks members in code-unit order and elements in order', () => {
    expect(firstJsonDifference({ b: 1, a: [1, 2] }, { b: 2, a: [1, 3] })).toEqual({ path: 'a[1]', committed: 2, expected: 3 });
    expect(firstJsonDifference({ a: { 'x y': 1 } }, { a: { 'x y': 1 } })).toBeUndefined();
    expect(firstJsonDifference({ a: [1] }, { a: [1, 2] })).toEqual({ path: 'a[1]', committed: undefined, expected: 2 });
    expect(firstJsonDifference({ a: { 'x y': 1 } }, { a: {} })).toEqual({ path: 'a["x y"]', committed: 1, expected: undefined });
    expect(firstJsonDifference([{ a: 1 }], [[1]])).toEqual({ path: '[0]', committed: { a: 1 }, expected: [1] });
  });
});

describe('requireSameLock', () => {
  const expected = '{\n  "a": 1,\n  "b": [\n    "x"\n  ]\n}\n';

  it('accepts the same bytes', () => {
    expect(() => requireSameLock(committed(expected), expected, JSON.parse(expected) as never)).not.toThrow();
  });

  it('names the first differing path at its line', () => {
    const e = refusal('{\n  "a": 1,\n  "b": [\n    "y"\n  ]\n}\n', expected);
    expect(e.primary).toMatchObject({ code: 'LOCK_STALE_ENTRY', file: 'sbom.spdx.json', jsonPath: 'b[0]', range: { startLine: 4 } });
    expect(e.message).toBe('sbom.spdx.json:4: b[0]: the lock differs from the SBOM this build writes: sbom.spdx.json has "y", the build writes "x"; run gosh lock');
  });

  it('points a missing member at its parent', () => {
    const e = refusal('{\n  "b": [\n    "x"\n  ]\n}\n', expected);
    expect(e.primary).toMatchObject({ jsonPath: 'a', range: { startLine: 1 } });
    expect(e.message).toContain('has nothing, the build writes 1');
  });

  it('says so when only the formatting differs', () => {
    expect(refusal('{"a":1,"b":["x"]}\n', expected).message).toBe('sbom.spdx.json: sbom.spdx.json is not in canonical form (same content, other bytes); run gosh lock to rewrite it');
  });
});
