import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/core/errors.js';
import { body, located, only, parse, parseError } from './parse-helpers.js';

describe('parseDockerfile: stages and meta ARGs', () => {
  it('ARG V=1 / FROM a:$V AS Build / RUN x / FROM build', () => {
    const df = parse('ARG V=1\nFROM a:$V AS Build\nRUN x\nFROM build\n');
    expect(df.metaArgs.map((a) => a.args)).toEqual([[{ key: 'V', value: '1' }]]);
    expect(df.stages.map((s) => [s.index, s.name, s.from.image, s.range])).toEqual([
      [0, 'build', 'a:$V', { startLine: 2, endLine: 3 }],
      [1, undefined, 'build', { startLine: 4, endLine: 4 }],
    ]);
    expect(df.stages[0]?.from.stageName).toBe('build');
  });

  it('lowercase keywords: from a / run x', () => {
    const [run] = body('from a\nrun x\n');
    expect(run).toMatchObject({ kind: 'run', keyword: 'run', original: 'run x' });
  });

  it('RUN before FROM is an error at its line', () => {
    expect(located(parseError('RUN x\nFROM a\n'))).toEqual(['DOCKERFILE_SYNTAX@1-1']);
  });

  it('empty file, comments only, ARG only', () => {
    expect(parseError('').code).toBe('DOCKERFILE_SYNTAX');
    expect(located(parseError('# a\n# b\n'))).toEqual(['DOCKERFILE_SYNTAX@2-2']);
    expect(located(parseError('ARG a\n'))).toEqual(['DOCKERFILE_SYNTAX@1-1']);
  });

  it('collects every error of the file, sorted by line', () => {
    const error = parseError('FROM a\nCOPY --chmodd=1 a b\nfoo\nWORKDIR\nRUN --network=x y\n');
    expect(located(error)).toEqual([
      'DOCKERFILE_UNKNOWN_FLAG@2-2',
      'DOCKERFILE_UNKNOWN_INSTRUCTION@3-3',
      'DOCKERFILE_SYNTAX@4-4',
      'DOCKERFILE_INVALID_FLAG@5-5',
    ]);
  });

  it('the one-line message style', () => {
    const error = parseError('FROM a\n\n\n\n\n\nCOPY --chmodd=755 a b\n');
    expect(formatDiagnostic(error.primary)).toBe('Dockerfile:7: COPY: unknown flag --chmodd (did you mean --chmod?)');
    expect(error.primary.range).toEqual({ startLine: 7, endLine: 7, startColumn: 6, endColumn: 18 });
  });

  it('unknown instruction has the keyword range and a suggestion', () => {
    const error = parseError('FROM a\n  COPPY a b\n');
    expect(error.primary).toMatchObject({
      code: 'DOCKERFILE_UNKNOWN_INSTRUCTION',
      range: { startLine: 2, endLine: 2, startColumn: 3, endColumn: 8 },
    });
    expect(error.primary.message).toContain('did you mean COPY?');
  });
});

describe('parseDockerfile: directives', () => {
  it('# syntax= and # escape=\\ and # check=', () => {
    const df = parse('# syntax=docker/dockerfile:1.7\n# escape=\\\n# check=skip=all\nFROM a\n');
    expect(df.directives).toEqual({
      syntax: { value: 'docker/dockerfile:1.7', range: { startLine: 1, endLine: 1 } },
      escape: '\\',
      escapeRange: { startLine: 2, endLine: 2 },
      check: { value: 'skip=all', range: { startLine: 3, endLine: 3 } },
    });
  });

  it('no directives: escape defaults to backslash', () => {
    expect(parse('FROM a\n').directives).toEqual({ escape: '\\' });
  });

  it('# escape=` makes backtick the continuation character and backslash plain', () => {
    const df = parse('# escape=`\nFROM a\nRUN dir C:\\ `\n  /s\nWORKDIR C:\\app\\\n');
    const [run, workdir] = df.stages[0]?.instructions ?? [];
    expect(df.directives.escape).toBe('`');
    expect(run).toMatchObject({
      command: { form: 'shell', text: 'dir C:\\   /s' },
      range: { startLine: 3, endLine: 4 },
    });
    expect(workdir).toMatchObject({ path: 'C:\\app\\' });
  });

  it('directives end at the first other line: a later # escape= is a comment', () => {
    const df = parse('FROM a\n# escape=`\nRUN a \\\n  b\n');
    expect(df.directives.escape).toBe('\\');
    expect(df.stages[0]?.instructions[0]).toMatchObject({ original: 'RUN a   b' });
  });

  it('# check= is kept, warned about, and ends the directives as in v0.13.2', () => {
    const df = parse('# check=skip=all\n# escape=`\nFROM a\n');
    expect(df.directives).toEqual({
      escape: '\\',
      check: { value: 'skip=all', range: { startLine: 1, endLine: 1 } },
    });
    expect(df.warnings?.map((w) => [w.code, w.range?.startLine, w.message])).toEqual([
      [
        'DOCKERFILE_UNSUPPORTED',
        1,
        'the check parser directive needs BuildKit v0.14 or later; v0.13.2 semantics read it as a comment that ends the parser directives',
      ],
    ]);
  });

  it('an unknown directive ends the directives (# foo=bar then # escape=`)', () => {
    expect(parse('# foo=bar\n# escape=`\nFROM a\n').directives.escape).toBe('\\');
  });

  it('directive names ignore case and spaces: #  ESCAPE = `', () => {
    expect(parse('#  ESCAPE = `  \nFROM a\n').directives.escape).toBe('`');
  });

  it('a blank line ends the directives', () => {
    expect(parse('\n# escape=`\nFROM a\n').directives.escape).toBe('\\');
  });

  it('a byte-order mark before the first directive', () => {
    expect(parse('\ufeff# escape=`\nFROM a\n').directives.escape).toBe('`');
  });

  it('a repeated directive and a bad escape value are errors at their line', () => {
    expect(located(parseError('# syntax=a\n# syntax=b\nFROM a\n'))).toEqual(['DOCKERFILE_SYNTAX@2-2']);
    expect(located(parseError('# escape=x\nFROM a\n'))).toEqual(['DOCKERFILE_SYNTAX@1-1']);
  });
});

describe('parseDockerfile: continuation lines', () => {
  it('RUN a \\ / b \\ / c joins without the escapes', () => {
    expect(only('RUN a \\\n  b \\\nc')).toMatchObject({ original: 'RUN a   b c', range: { startLine: 2, endLine: 4 } });
  });

  it('trailing blanks after the escape still continue: RUN a \\<tab><space>', () => {
    expect(only('RUN a \\\t \nb')).toMatchObject({ original: 'RUN a b' });
  });

  it('comment lines inside a continuation are dropped, even indented', () => {
    expect(only('RUN a \\\n# one\n   # two\n  b')).toMatchObject({
      original: 'RUN a   b',
      range: { startLine: 2, endLine: 5 },
    });
  });

  it('empty continuation lines are skipped with a warning', () => {
    const df = parse('FROM x\nRUN a \\\n\n   \nb\n');
    expect(df.stages[0]?.instructions[0]).toMatchObject({ original: 'RUN a b', range: { startLine: 2, endLine: 5 } });
    expect(df.warnings?.map((w) => w.range)).toEqual([{ startLine: 2, endLine: 5 }]);
  });

  it('an escaped escape at the end does not continue: RUN a \\\\', () => {
    const [a, b] = body('FROM x\nRUN a \\\\\nRUN b\n');
    expect(a).toMatchObject({ original: 'RUN a \\\\', range: { startLine: 2, endLine: 2 } });
    expect(b).toMatchObject({ original: 'RUN b' });
  });

  it('a # in the middle of a line is not a comment', () => {
    expect(only('RUN echo a # b')).toMatchObject({ command: { form: 'shell', text: 'echo a # b' } });
  });

  it('a continuation at the end of the file ends the instruction', () => {
    expect(body('FROM x\nRUN a \\')[0]).toMatchObject({ original: 'RUN a' });
  });

  it('CRLF line endings', () => {
    const [run] = body('FROM x\r\nRUN a \\\r\n  b\r\nUSER u\r\n');
    expect(run).toMatchObject({ original: 'RUN a   b', range: { startLine: 2, endLine: 3 } });
  });

  it('a line that is only the escape character: FROM a / \\ is an unknown empty instruction', () => {
    expect(parseError('FROM a\n\\\n').code).toBe('DOCKERFILE_UNKNOWN_INSTRUCTION');
  });
});

describe('parseDockerfile: exec and shell forms', () => {
  it('RUN ["a", "b c"] is exec form', () => {
    expect(only('RUN ["a", "b c"]')).toMatchObject({ command: { form: 'exec', args: ['a', 'b c'] } });
  });

  it('RUN [ "a" ] trailing text after the array is ignored', () => {
    expect(only('RUN [ "a" ] trailing')).toMatchObject({ command: { form: 'exec', args: ['a'] } });
  });

  it('invalid JSON falls back to shell form: CMD ["a", "b"', () => {
    expect(only('CMD ["a", "b"')).toMatchObject({ command: { form: 'shell', text: '["a", "b"' } });
    expect(only("CMD ['a']")).toMatchObject({ command: { form: 'shell', text: "['a']" } });
  });

  it('a JSON array with a non-string is an error: CMD ["a", 1]', () => {
    expect(located(parseError('FROM x\nCMD ["a", 1]\n'))).toEqual(['DOCKERFILE_SYNTAX@2-2']);
  });

  it('ENTRYPOINT [] and CMD with no arguments', () => {
    expect(only('ENTRYPOINT []')).toMatchObject({ command: { form: 'exec', args: [] } });
    expect(only('CMD')).toMatchObject({ command: { form: 'shell', text: '' } });
  });

  it('SHELL must be JSON', () => {
    expect(only('SHELL ["/bin/bash", "-c"]')).toMatchObject({ shell: ['/bin/bash', '-c'] });
    expect(parseError('FROM x\nSHELL bash -c\n').code).toBe('DOCKERFILE_SYNTAX');
    expect(parseError('FROM x\nSHELL []\n').code).toBe('DOCKERFILE_SYNTAX');
  });

  it('COPY ["a b", "/c"] and VOLUME ["/v"] are JSON lists', () => {
    expect(only('COPY ["a b", "/c"]')).toMatchObject({ sources: ['a b'], dest: '/c', isJson: true });
    expect(only('VOLUME ["/v", " /w "]')).toMatchObject({ volumes: ['/v', '/w'], isJson: true });
    expect(only('VOLUME /v /w')).toMatchObject({ volumes: ['/v', '/w'], isJson: false });
  });

  it('HEALTHCHECK CMD forms and NONE', () => {
    expect(only('HEALTHCHECK CMD curl -f x')).toMatchObject({
      test: { kind: 'cmd', command: { form: 'shell', text: 'curl -f x' } },
    });
    expect(only('HEALTHCHECK cmd ["curl"]')).toMatchObject({
      test: { kind: 'cmd', command: { form: 'exec', args: ['curl'] } },
    });
    expect(only('HEALTHCHECK none')).toMatchObject({ test: { kind: 'none' } });
    expect(parseError('FROM x\nHEALTHCHECK CMD\n').code).toBe('DOCKERFILE_SYNTAX');
    expect(parseError('FROM x\nHEALTHCHECK RUN x\n').code).toBe('DOCKERFILE_SYNTAX');
  });

  it('HEALTHCHECK CMD<no-break space>x: BuildKit splits the type on a byte, so this is an unknown type', () => {
    expect(parseError('FROM x\nHEALTHCHECK CMD\u00a0x\n').code).toBe('DOCKERFILE_SYNTAX');
    expect(only('HEALTHCHECK CMD \u00a0x')).toMatchObject({ test: { command: { form: 'shell', text: '\u00a0x' } } });
  });
});

describe('parseDockerfile: heredocs', () => {
  it('RUN <<EOF with its body and range', () => {
    const run = only('RUN <<EOF\necho $HOME\nEOF');
    expect(run).toMatchObject({
      kind: 'run',
      original: 'RUN <<EOF',
      command: { form: 'shell', text: '<<EOF' },
      range: { startLine: 2, endLine: 4 },
      heredocs: [
        {
          name: 'EOF',
          content: 'echo $HOME\n',
          expand: true,
          chomp: false,
          fileDescriptor: 0,
          range: { startLine: 3, endLine: 4 },
        },
      ],
    });
  });

  it("quoted delimiters turn expansion off: <<'EOF', <<\"EOF\", <<E'O'F", () => {
    for (const marker of ["<<'EOF'", '<<"EOF"', "<<E'O'F"]) {
      const run = only(`RUN cat ${marker}\nx\nEOF`);
      expect(run.kind === 'run' && run.heredocs[0]).toMatchObject({ name: 'EOF', expand: false });
    }
  });

  it('<<-EOF strips leading tabs of the terminator; the body keeps them until heredocBody', () => {
    const run = only('RUN <<-EOF\n\techo a\n\t\tEOF');
    expect(run).toMatchObject({
      heredocs: [{ content: '\techo a\n', chomp: true }],
      range: { startLine: 2, endLine: 4 },
    });
  });

  it('without - a tab-indented terminator does not end the heredoc', () => {
    expect(parseError('FROM x\nRUN <<EOF\n\tEOF\n').code).toBe('DOCKERFILE_SYNTAX');
  });

  it('several heredocs are read one after the other: COPY <<A <<B /d/', () => {
    const copy = only('COPY <<A <<B /d/\na\nA\nb\nB');
    expect(copy).toMatchObject({
      kind: 'copy',
      sources: [],
      dest: '/d/',
      range: { startLine: 2, endLine: 6 },
      heredocs: [
        { name: 'A', content: 'a\n', range: { startLine: 3, endLine: 4 } },
        { name: 'B', content: 'b\n', range: { startLine: 5, endLine: 6 } },
      ],
    });
  });

  it('a file descriptor before <<: RUN 3<<EOF', () => {
    expect(only('RUN 3<<EOF cat <&3\nx\nEOF')).toMatchObject({ heredocs: [{ name: 'EOF', fileDescriptor: 3 }] });
  });

  it('heredoc bodies keep CRLF and blank lines', () => {
    expect(only('RUN <<EOF\r\na\r\n\r\nEOF\r\n')).toMatchObject({ heredocs: [{ content: 'a\r\n\r\n' }] });
  });

  it('the next instruction starts after the terminator', () => {
    const [run, user] = body('FROM x\nRUN <<EOF\nUSER root\nEOF\nUSER app\n');
    expect(run).toMatchObject({ heredocs: [{ content: 'USER root\n' }] });
    expect(user).toMatchObject({ kind: 'user', user: 'app', range: { startLine: 5, endLine: 5 } });
  });

  it('JSON form has no heredocs: RUN ["<<EOF"]', () => {
    const [run, next] = body('FROM x\nRUN ["cat", "<<EOF"]\nUSER u\n');
    expect(run).toMatchObject({ heredocs: [], command: { form: 'exec', args: ['cat', '<<EOF'] } });
    expect(next).toMatchObject({ kind: 'user' });
  });

  it('an unterminated heredoc is an error over the lines it consumed', () => {
    expect(located(parseError('FROM x\nRUN <<EOF\na\nb\n'))).toEqual(['DOCKERFILE_SYNTAX@2-4']);
  });

  it('COPY <<EOF as a destination is an error', () => {
    expect(parseError('FROM x\nCOPY a <<EOF\nx\nEOF\n').code).toBe('DOCKERFILE_SYNTAX');
  });

  it('ONBUILD RUN <<EOF keeps the body in the trigger expression', () => {
    expect(only('ONBUILD RUN <<EOF\nhi\nEOF')).toMatchObject({
      kind: 'onbuild',
      trigger: 'RUN',
      expression: 'RUN <<EOF\nhi\nEOF',
    });
  });
});

describe('parseDockerfile: other instructions', () => {
  it('WORKDIR, USER, STOPSIGNAL, MAINTAINER take the whole rest of the line', () => {
    expect(only('WORKDIR /a b')).toMatchObject({ path: '/a b' });
    expect(only('USER app:app')).toMatchObject({ user: 'app:app' });
    expect(only('STOPSIGNAL SIGTERM')).toMatchObject({ signal: 'SIGTERM' });
    expect(only('MAINTAINER Jane <j@example.com>')).toMatchObject({ maintainer: 'Jane <j@example.com>' });
    expect(parseError('FROM x\nUSER\n').code).toBe('DOCKERFILE_SYNTAX');
  });

  it('EXPOSE words are sorted by bytes, unexpanded', () => {
    expect(only('EXPOSE 8080 $PORT 443/udp 80')).toMatchObject({ ports: ['$PORT', '443/udp', '80', '8080'] });
  });

  it('ONBUILD checks its trigger', () => {
    expect(only('ONBUILD run echo')).toMatchObject({ trigger: 'RUN', expression: 'run echo' });
    expect(parseError('FROM x\nONBUILD ONBUILD RUN x\n').code).toBe('DOCKERFILE_SYNTAX');
    expect(parseError('FROM x\nONBUILD FROM y\n').code).toBe('DOCKERFILE_SYNTAX');
    expect(parseError('FROM x\nONBUILD ENV a\n').code).toBe('DOCKERFILE_SYNTAX');
  });

  it('FROM forms', () => {
    expect(parse('FROM --platform=$P img AS Base-1\n').stages[0]?.from).toMatchObject({
      image: 'img',
      stageName: 'base-1',
      platform: '$P',
    });
    expect(located(parseError('FROM img AS 1st\n'))).toEqual(['DOCKERFILE_SYNTAX@1-1']);
    expect(parseError('FROM a b\n').code).toBe('DOCKERFILE_SYNTAX');
    expect(parseError('FROM\n').code).toBe('DOCKERFILE_SYNTAX');
  });

  it('COPY sources and destination stay raw', () => {
    expect(only('COPY --chown=$U *.txt "a b" /dst/')).toMatchObject({
      sources: ['*.txt', '"a', 'b"'],
      dest: '/dst/',
      chown: '$U',
    });
    expect(parseError('FROM x\nCOPY onlyone\n').code).toBe('DOCKERFILE_SYNTAX');
  });

  it('the original text is trimmed and joined', () => {
    expect(only('   RUN   echo   hi   ')).toMatchObject({ original: 'RUN   echo   hi' });
  });
});
