import { describe, expect, it } from 'vitest';
import { jcs } from '../../../src/sbom/jcs.js';

describe('jcs (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units, compactly, at every level', () => {
    expect(jcs({ b: [3, { z: 1, a: null }], a: 'x', '\u20ac': 1, '\ud83d\ude00': 2, '\ufb33': 3 })).toBe('{"a":"x","b":[3,{"a":null,"z":1}],"\u20ac":1,"\ud83d\ude00":2,"\ufb33":3}');
  });

  it('writes numbers as ECMAScript does', () => {
    expect(jcs([1e21, 0.1, -0, 1e-7, 100])).toBe('[1e+21,0.1,0,1e-7,100]');
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => jcs(Number.NaN)).toThrow(TypeError);
  });
});
