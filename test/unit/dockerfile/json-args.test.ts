import { describe, expect, it } from 'vitest';
import { parseJsonArgs } from '../../../src/dockerfile/json-args.js';

describe('parseJsonArgs', () => {
  it('an array of strings', () => {
    expect(parseJsonArgs('["a", "b c", "\\u00e9"]')).toEqual({ kind: 'json', args: ['a', 'b c', 'é'] });
    expect(parseJsonArgs('  []')).toEqual({ kind: 'json', args: [] });
  });

  it('text after the array is ignored', () => {
    expect(parseJsonArgs('["a"] b ["c"]')).toEqual({ kind: 'json', args: ['a'] });
  });

  it('anything that is not a JSON array is not JSON', () => {
    for (const text of ['', 'echo', "['a']", '["a"', '["a",]', '["a" "b"]', '{"a":1}', '[a]']) {
      expect(parseJsonArgs(text)).toEqual({ kind: 'not-json' });
    }
  });

  it('an array with something other than strings', () => {
    for (const text of ['[1]', '["a", null]', '[["a"]]', '[{}]', '[true]']) {
      expect(parseJsonArgs(text)).toEqual({ kind: 'not-strings' });
    }
  });

  it('a lone surrogate escape becomes U+FFFD as in Go', () => {
    expect(parseJsonArgs('["\\ud800x"]')).toEqual({ kind: 'json', args: ['\ufffdx'] });
  });
});
