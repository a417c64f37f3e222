import { describe, expect, it } from 'vitest';
import { canonicalJson, compareUtf8 } from '../../../src/core/canonical.js';
import { jcs } from '../../../src/sbom/jcs.js';
import type { JsonValue } from '../../../src/core/json-text.js';

// canonicalJson and jcs hand plain data to JSON.stringify once its keys are in order, and write
// everything else themselves: both ways must give the bytes the general writer gives.

class Point {
  x = 1;
  y = undefined;
}

describe('canonicalJson', () => {
  it.each<[string, unknown, string]>([
    ['integer-like keys by UTF-8 bytes, not first in numeric order', { b: 1, '10': 2, '9': 3, a: { '1': [], z: {} } }, '{"10":2,"9":3,"a":{"1":[],"z":{}},"b":1}'],
    ['UTF-8 order (U+E000 before U+1F600, unlike UTF-16)', { '\ue000': 1, '\ud83d\ude00': 2, z: 3, é: 4 }, '{"z":3,"é":4,"\ue000":1,"\ud83d\ude00":2}'],
    ['Maps, toJSON, Dates', { m: new Map<unknown, unknown>([[2, 'x'], ['b', new Date(0)]]), t: { toJSON: () => ({ q: [1, undefined] }) } }, '{"m":{"2":"x","b":"1970-01-01T00:00:00.000Z"},"t":{"q":[1,null]}}'],
    ['undefined and functions dropped, symbols and NaN as null', { u: undefined, f: () => 1, s: Symbol('s'), n: NaN, a: [undefined, () => 1, Symbol('t')] }, '{"a":[null,null,null],"n":null,"s":null}'],
    ['class instances by own keys, boxed values as objects', { p: new Point(), n: new Number(5), e: [{}, []] }, '{"e":[{},[]],"n":{},"p":{"x":1}}'],
    ['bigint as digits', { big: 12345678901234567890n }, '{"big":12345678901234567890}'],
    ['"__proto__" as data', JSON.parse('{"b":1,"__proto__":{"x":1}}'), '{"__proto__":{"x":1},"b":1}'],
  ])('%s', (_, value, compact) => {
    expect(canonicalJson(value)).toBe(compact);
  });

  it('indents like JSON.stringify, in the same order', () => {
    expect(canonicalJson({ b: 1, '10': 2, '9': 3, a: { '1': [], z: {} } }, 2)).toBe('{\n  "10": 2,\n  "9": 3,\n  "a": {\n    "1": [],\n    "z": {}\n  },\n  "b": 1\n}');
    expect(canonicalJson({ big: 12345678901234567890n, n: NaN }, 2)).toBe('{\n  "big": 12345678901234567890,\n  "n": null\n}');
    expect(canonicalJson({ t: { toJSON: () => ({ q: [1, undefined] }) }, s: Symbol('s') }, 2)).toBe('{\n  "s": null,\n  "t": {\n    "q": [\n      1,\n      null\n    ]\n  }\n}');
  });

  it('indents nested empty containers like JSON.stringify', () => {
    expect(canonicalJson({ b: [[], {}], a: { c: [1] } }, 2)).toBe('{\n  "a": {\n    "c": [\n      1\n    ]\n  },\n  "b": [\n    [],\n    {}\n  ]\n}');
  });
});

describe('compareUtf8', () => {
  it('orders as the UTF-8 bytes do, lone surrogates as U+FFFD', () => {
    const bytes = (a: string, b: string): number => Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
    const strings = ['', 'a', 'ab', 'b', 'é', '\ue000', '\uffff', '\ud83d\ude00', '\ud83d', '\ude00', 'a\ud800', 'a\ud800\udc00', 'a\uffff'];
    for (const a of strings) for (const b of strings) expect(Math.sign(compareUtf8(a, b)), JSON.stringify([a, b])).toBe(bytes(a, b));
  });
});

describe('jcs', () => {
  it('sorts by UTF-16 code units, integer-like keys included', () => {
    const value = { b: [1, { '10': true, '9': null, a: 'é' }], a: -0, '\ue000': 1, '\ud83d\ude00': 2 } as JsonValue;
    expect(jcs(value)).toBe('{"a":0,"b":[1,{"10":true,"9":null,"a":"é"}],"\ud83d\ude00":2,"\ue000":1}');
  });

  it('rejects numbers JSON cannot carry, however deep', () => {
    expect(() => jcs({ a: [{ b: Infinity }] })).toThrow(TypeError);
  });
});
