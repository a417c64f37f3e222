// Go's strings.TrimSpace and string order, which the parser reproduces.
import { describe, expect, it } from 'vitest';
import { compareUtf8, goTrimSpace } from '../../../src/dockerfile/go-strings.js';

describe('go strings', () => {
  it('goTrimSpace trims unicode.IsSpace characters only', () => {
    expect(goTrimSpace(' \t\n\v\f\r\u0085\u00a0\u2003\u3000a b\u2028\u2029 ')).toBe('a b');
    expect(goTrimSpace('\u200ba\u200b')).toBe('\u200ba\u200b'); // zero width space is no space in Go
    expect(goTrimSpace('\ufeffa')).toBe('\ufeffa');
    expect(goTrimSpace(' \u{1F600} ')).toBe('\u{1F600}');
    expect(goTrimSpace('\ud800 ')).toBe('\ud800');
    expect(goTrimSpace('   ')).toBe('');
    expect(goTrimSpace('abc')).toBe('abc');
  });

  it('compareUtf8 orders by UTF-8 bytes, where code points above U+FFFF follow U+E000–U+FFFF', () => {
    const sorted = ['b', '\u{1F600}', 'a', '\uffff', '\ue000', 'ab', '', 'é'].sort(compareUtf8);
    expect(sorted).toEqual(['', 'a', 'ab', 'b', 'é', '\ue000', '\uffff', '\u{1F600}']);
    expect(Math.sign(compareUtf8('80/tcp', '8080/tcp'))).toBe(-1);
    expect(compareUtf8('x', 'x')).toBe(0);
  });
});
