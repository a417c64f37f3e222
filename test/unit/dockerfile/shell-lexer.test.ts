import { describe, expect, it } from 'vitest';
import { ShellLexError, isGoSpace, lexShellWord } from '../../../src/dockerfile/shell-lexer.js';

const env = new Map([['A', '1']]);

describe('lexShellWord settings', () => {
  it('rawQuotes keeps the quotes', () => {
    expect(lexShellWord(`'a' "b $A"`, env, { escape: '\\', rawQuotes: true }).word).toBe(`'a' "b 1"`);
  });

  it('rawEscapes keeps the escape characters', () => {
    expect(lexShellWord('a\\ b', env, { escape: '\\', rawEscapes: true }).words).toEqual(['a\\ b']);
  });

  it('skipUnsetEnv leaves unset variables as written', () => {
    expect(lexShellWord('$A $B ${B} ${B:-x} ${B/a/b}', env, { escape: '\\', skipUnsetEnv: true }).word).toBe(
      '1 $B ${B} ${B:-x} ${B/a/b}',
    );
  });

  it('skipProcessQuotes treats quotes as text', () => {
    expect(lexShellWord(`'$A'`, env, { escape: '\\', skipProcessQuotes: true }).word).toBe(`'1'`);
  });

  it('errors are ShellLexError', () => {
    expect(() => lexShellWord('${A', env, { escape: '\\' })).toThrow(ShellLexError);
    expect(() => lexShellWord('${A%}', env, { escape: '\\' })).toThrow(ShellLexError);
  });

  it('a leading byte-order mark is skipped', () => {
    expect(lexShellWord('\ufeffx', env, { escape: '\\' }).word).toBe('x');
  });
});

describe('isGoSpace', () => {
  it("follows Go's unicode.IsSpace", () => {
    for (const ch of [' ', '\t', '\n', '\v', '\f', '\r', '\u0085', '\u00a0', '\u1680', '\u2000', '\u2028', '\u3000'])
      expect(isGoSpace(ch)).toBe(true);
    for (const ch of ['a', '\ufeff', '\u200b', '']) expect(isGoSpace(ch)).toBe(false);
  });
});
