import { describe, expect, it } from 'vitest';
import {
  ShellPatternError,
  replaceShellPattern,
  reverseShellPattern,
  shellPatternToRegex,
  trimShellPrefix,
  trimShellSuffix,
} from '../../../src/dockerfile/shell-pattern.js';

describe('shell patterns', () => {
  it('wildcards and escapes become a regular expression', () => {
    expect(shellPatternToRegex('a*?', true, true).source).toBe('^a[^\\n]*[^\\n]');
    expect(shellPatternToRegex('*', false, false).source).toBe('[^\\n]*?');
    expect(shellPatternToRegex('(x).[y]|$^+{}', true, false).test('(x).[y]|$^+{}')).toBe(true);
    expect(shellPatternToRegex('a\\*\\?\\\\', true, true).test('a*?\\')).toBe(true);
  });

  it('\\} and \\/ only escape the ${} syntax', () => {
    expect(shellPatternToRegex('\\}\\/', true, true).test('}/')).toBe(true);
  });

  it('other escapes and a trailing backslash are invalid', () => {
    expect(() => shellPatternToRegex('\\x', true, true)).toThrow(ShellPatternError);
    expect(() => shellPatternToRegex('a\\', true, true)).toThrow(ShellPatternError);
  });

  it('prefix and suffix trimming, shortest and longest', () => {
    expect(trimShellPrefix('*/', 'a/b/c', false)).toBe('b/c');
    expect(trimShellPrefix('*/', 'a/b/c', true)).toBe('c');
    expect(trimShellSuffix('/*', 'a/b/c', false)).toBe('a/b');
    expect(trimShellSuffix('/*', 'a/b/c', true)).toBe('a');
    expect(trimShellSuffix('x', 'a/b/c', true)).toBe('a/b/c');
  });

  it('wildcards do not cross a newline', () => {
    expect(trimShellPrefix('*', 'ab\ncd', true)).toBe('\ncd');
  });

  it('suffix trimming works on code points', () => {
    expect(trimShellSuffix('?', 'a👽', false)).toBe('a');
  });

  it('reversing keeps escape pairs in order', () => {
    expect(reverseShellPattern('a\\*c')).toBe('c\\*a');
    expect(reverseShellPattern('ab\\')).toBe('\\ba');
    expect(reverseShellPattern('👽\\🚀x')).toBe('x\\🚀👽');
  });

  it('replace first and replace all', () => {
    expect(replaceShellPattern('a-b-c', '-', '+', false)).toBe('a+b-c');
    expect(replaceShellPattern('a-b-c', '-', '+', true)).toBe('a+b+c');
  });

  it("replace all skips an empty match right after a match (Go's rule)", () => {
    expect(replaceShellPattern('abc', '*', 'X', true)).toBe('X');
    expect(replaceShellPattern('', '*', 'X', true)).toBe('X');
  });

  it('replace all reads $0 and $$ in the replacement like Go', () => {
    expect(replaceShellPattern('ab', '?', '<$0>', true)).toBe('<a><b>');
    expect(replaceShellPattern('ab', 'a', '${0}$$$1$', true)).toBe('a$$b');
    expect(replaceShellPattern('ab', 'a', '<$0>', false)).toBe('<$0>b');
  });
});
