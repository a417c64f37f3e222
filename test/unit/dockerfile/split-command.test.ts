import { describe, expect, it } from 'vitest';
import { leadingKeyword, splitCommand } from '../../../src/dockerfile/split-command.js';

describe('splitCommand', () => {
  it('COPY --from=a --chown=1 src dst', () => {
    expect(splitCommand('COPY --from=a --chown=1 src dst')).toEqual({
      keyword: 'COPY',
      flags: [
        { text: '--from=a', offset: 5, length: 8 },
        { text: '--chown=1', offset: 14, length: 9 },
      ],
      args: 'src dst',
      argsOffset: 24,
    });
  });

  it('quotes and backslashes inside flags are removed', () => {
    expect(splitCommand('COPY --chown="a b" --x=\'y\' --z=a\\ b c').flags.map((f) => f.text)).toEqual([
      '--chown=a b',
      '--x=y',
      '--z=a b',
    ]);
  });

  it('a lone -- ends the flags', () => {
    expect(splitCommand('RUN --network=none -- --x y')).toMatchObject({
      flags: [{ text: '--network=none' }],
      args: '--x y',
    });
  });

  it('a single dash is an argument', () => {
    expect(splitCommand('RUN -x --y')).toMatchObject({ flags: [], args: '-x --y' });
  });

  it('no arguments', () => {
    expect(splitCommand('  CMD  ')).toEqual({ keyword: 'CMD', flags: [], args: '', argsOffset: 7 });
  });

  it('flags only: HEALTHCHECK --interval=1s', () => {
    expect(splitCommand('HEALTHCHECK --interval=1s')).toMatchObject({ flags: [{ text: '--interval=1s' }], args: '' });
  });

  it('non-ASCII flag values come out as their UTF-8 bytes read as Latin-1, as in BuildKit', () => {
    expect(splitCommand('COPY --chown=ü a b').flags[0]?.text).toBe('--chown=Ã¼');
  });

  it('Go spaces beyond ASCII trim both ends; other characters do not', () => {
    expect(splitCommand('\u00a0\u2003RUN\u3000 x\u0085\u00a0')).toEqual({ keyword: 'RUN\u3000', flags: [], args: 'x', argsOffset: 7 });
    expect(splitCommand('RUN x \u{1F600}')).toMatchObject({ args: 'x \u{1F600}' });
    expect(splitCommand('RUN \u00a0x')).toMatchObject({ args: 'x' });
    // flags are read byte by byte: the first byte of U+00A0 is no space, so this is no flag
    expect(splitCommand('RUN \t\u00a0--network=none x')).toMatchObject({ flags: [], args: '--network=none x', argsOffset: 6 });
  });

  it('leadingKeyword is the keyword splitCommand finds', () => {
    const lines = ['RUN x', '  copy\t--from=a b c', 'CMD', '   ', '', '\u00a0ADD\u00a0x y', 'onbuild RUN x', 'X\u3000Y z', 'RUN\n', 'ENV\rA=1', 'FROM\u0085'];
    for (const line of lines) expect(leadingKeyword(line)).toBe(splitCommand(line).keyword);
  });
});
