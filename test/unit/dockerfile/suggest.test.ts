import { describe, expect, it } from 'vitest';
import { levenshtein, suggestClosest } from '../../../src/dockerfile/suggest.js';

describe('suggestClosest', () => {
  it('within two edits', () => {
    expect(suggestClosest('chmodd', ['chown', 'chmod'], true)).toBe('chmod');
    expect(suggestClosest('chmoddd', ['chmod'], true)).toBe('chmod');
    expect(suggestClosest('chmodddd', ['chmod'], true)).toBeUndefined();
  });

  it('an exact match means no suggestion', () => {
    expect(suggestClosest('link', ['lnk', 'link'], true)).toBeUndefined();
  });

  it('case-insensitive matching keeps the input case', () => {
    expect(suggestClosest('COPPY', ['copy', 'cmd'], false)).toBe('COPY');
    expect(suggestClosest('coppy', ['COPY'], false)).toBe('copy');
    // mixed case gets the lowercased option, as BuildKit's matchCase does
    expect(suggestClosest('Coppy', ['COPY'], false)).toBe('copy');
  });

  it('levenshtein counts code points', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('👽a', 'a')).toBe(1);
  });
});
