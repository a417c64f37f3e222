// Which comments BuildKit v0.13.2 attaches to an instruction (parser.go Parse, PrevComment) and
// the doc comment it reads from them (instructions/parse.go getComment).
import { describe, expect, it } from 'vitest';
import { docComment, instructionComments } from '../../../src/dockerfile/comments.js';
import { parse } from './parse-helpers.js';

function commentsOf(text: string): Record<number, readonly string[]> {
  return Object.fromEntries(instructionComments(parse(text)));
}

describe('instructionComments', () => {
  it('comment lines right above FROM', () => {
    expect(commentsOf('# base the base\n# more\nFROM a AS base\n')).toEqual({ 3: ['base the base', 'more'] });
  });

  it('blank lines do not separate comments from the instruction', () => {
    expect(commentsOf('# one\n\n# two\n\n\nFROM a\n')).toEqual({ 6: ['one', 'two'] });
  });

  it('an empty comment drops the comments before it', () => {
    expect(commentsOf('# one\n#\n# two\nFROM a\n')).toEqual({ 4: ['two'] });
    expect(commentsOf('# one\n#   \nFROM a\n')).toEqual({ 3: [] });
  });

  it('each instruction starts afresh', () => {
    expect(commentsOf('# a\nFROM a\n# b\nRUN b\nRUN c\n')).toEqual({ 2: ['a'], 4: ['b'], 5: [] });
  });

  it('ARGs before the first FROM have comments too', () => {
    expect(commentsOf('# V the version\nARG V=1\nFROM a\n')).toEqual({ 2: ['V the version'], 3: [] });
  });

  it('comments between continuation lines belong to no instruction', () => {
    expect(commentsOf('FROM a\nRUN echo \\\n# inside\n  b\n# after\nRUN c\n')).toEqual({ 1: [], 2: [], 6: ['after'] });
  });

  it('comments in a heredoc body belong to no instruction', () => {
    expect(commentsOf('FROM a\nRUN <<EOF\n# inside\nEOF\n# after\nRUN c\n')).toEqual({ 1: [], 2: [], 6: ['after'] });
  });

  it('3<<EOF is a heredoc for BuildKit (not for dockerfile-ast)', () => {
    const text = 'FROM a\nRUN 3<<EOF cat\n# b inside\nEOF\n# b described\nFROM a AS b\n';
    expect(commentsOf(text)).toEqual({ 1: [], 2: [], 6: ['b described'] });
  });

  it('a line ending in an escaped escape does not continue (dockerfile-ast thinks it does)', () => {
    const text = 'FROM a\nRUN echo \\\\\n# b described\nFROM a AS b\n';
    expect(commentsOf(text)).toEqual({ 1: [], 2: [], 4: ['b described'] });
  });

  it('parser directives are comments too', () => {
    expect(commentsOf('# escape=\\\n# foo=bar\n# a doc\nFROM x AS a\n')).toEqual({ 4: ['escape=\\', 'foo=bar', 'a doc'] });
  });

  it('BuildKit drops only the first character: leading spaces keep the #', () => {
    expect(commentsOf('  # a indented\nFROM x AS a\n')).toEqual({ 2: ['# a indented'] });
    // "  #" is not empty that way, so it does not drop the comments before it
    expect(commentsOf('# one\n  #\nFROM x\n')).toEqual({ 3: ['one', '#'] });
  });

  it('CRLF line endings and a byte order mark', () => {
    expect(commentsOf('\ufeff# a doc\r\nFROM x AS a\r\n')).toEqual({ 2: ['a doc'] });
  });

  it('a lone CR does not end a line for BuildKit', () => {
    // dockerfile-ast sees "# c" on a line of its own; BuildKit sees it inside line 3
    expect(commentsOf('# z\nFROM x\nRUN a\r# c\n# d\nRUN y\n')).toEqual({ 2: ['z'], 3: [], 5: ['d'] });
  });

  it('trailing comments after the last instruction belong to nothing', () => {
    expect(commentsOf('FROM x\n# end\n')).toEqual({ 1: [] });
  });
});

describe('docComment', () => {
  it('the first comment starting with the name and a space', () => {
    expect(docComment(['other', 'build builds it', 'build second'], 'build')).toBe('builds it');
  });

  it('keeps what follows the first space as is', () => {
    expect(docComment(['FOO   spaced'], 'FOO')).toBe('  spaced');
  });

  it('needs the space: a longer word or a bare name does not count', () => {
    expect(docComment(['builder x', 'build'], 'build')).toBe('');
  });

  it('is case-sensitive', () => {
    expect(docComment(['Build x'], 'build')).toBe('');
  });

  it('no name, no comment', () => {
    expect(docComment(['x y'], '')).toBe('');
    expect(docComment(undefined, 'x')).toBe('');
  });
});
