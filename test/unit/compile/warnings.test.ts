// The warnings of a Dockerfile: BuildKit v0.13.2's (text and line as `docker --debug buildx build`
// printed them for the builtin frontend) and ours for flags BuildKit ignores.
import { describe, expect, it } from 'vitest';
import { dockerfileWarnings } from '../../../src/compile/warnings.js';
import { parse } from '../dockerfile/parse-helpers.js';

const DETAIL = ['Empty continuation lines will become errors in a future release'];
const URL = 'https://github.com/moby/moby/pull/33719';

describe('dockerfileWarnings', () => {
  it('an empty continuation line: the joined line, on the last line joined', () => {
    expect(dockerfileWarnings(parse('FROM busybox:local\nRUN echo a \\\n\n  b\nMAINTAINER me\n'))).toEqual([
      { short: 'Empty continuation line found in: RUN echo a   b', detail: DETAIL, url: URL, range: { startLine: 4, endLine: 4 } },
    ]);
  });

  it('one per instruction, in file order; a heredoc body is not part of the line', () => {
    const warnings = dockerfileWarnings(parse('FROM busybox:local\nRUN cat \\\n\n  <<EOF\nhello\nEOF\nENV A=1 \\\n\n\n  B=2\n'));
    expect(warnings.map((w) => [w.short, w.range?.startLine])).toEqual([
      ['Empty continuation line found in: RUN cat   <<EOF', 4],
      ['Empty continuation line found in: ENV A=1   B=2', 10],
    ]);
  });

  it('comment lines inside an instruction are not empty lines', () => {
    expect(dockerfileWarnings(parse('FROM busybox:local\nRUN echo a \\\n# c\n  b\n'))).toEqual([]);
  });

  it('flags BuildKit ignores get a warning of ours, at the flag', () => {
    const warnings = dockerfileWarnings(parse('FROM busybox:local\nARG --foo=bar X=1\nSTOPSIGNAL --x SIGTERM\n'));
    expect(warnings.map((w) => [w.short, w.range?.startLine, w.url, w.detail])).toEqual([
      ['ARG: flag --foo=bar is ignored', 2, undefined, []],
      ['STOPSIGNAL: flag --x is ignored', 3, undefined, []],
    ]);
  });

  it('a # check= directive (BuildKit v0.14) gets a warning of ours, at its line', () => {
    const warnings = dockerfileWarnings(parse('# check=skip=all\nFROM busybox:local\n'));
    expect(warnings.map((w) => [w.short, w.range?.startLine])).toEqual([
      [
        'the check parser directive needs BuildKit v0.14 or later; v0.13.2 semantics read it as a comment that ends the parser directives',
        1,
      ],
    ]);
  });

  it('MAINTAINER and ordinary files have none (BuildKit v0.13.2 does not warn about them)', () => {
    expect(dockerfileWarnings(parse('FROM busybox:local\nMAINTAINER me\nARG UNUSED\n'))).toEqual([]);
  });
});
