import { describe, expect, it } from 'vitest';
import { splitCommand } from '../../../src/dockerfile/split-command.js';

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
});
