import { describe, expect, it } from 'vitest';
import {
  parseArgDeclarations,
  parseNameValues,
  splitQuotedWords,
  splitWhitespaceWords,
} from '../../../src/dockerfile/key-values.js';

describe('key-values', () => {
  it('splitQuotedWords keeps quotes and escapes', () => {
    expect(splitQuotedWords(`a="b c" 'd e'f g\\ h "i\\"j"`, '\\')).toEqual(['a="b c"', "'d e'f", 'g\\ h', '"i\\"j"']);
  });

  it('splitQuotedWords with the backtick escape', () => {
    expect(splitQuotedWords('a=b` c d\\ e', '`')).toEqual(['a=b` c', 'd\\', 'e']);
  });

  it('an escape at the very end is dropped; nothing escapes in single quotes', () => {
    expect(splitQuotedWords('a\\', '\\')).toEqual(['a']);
    expect(splitQuotedWords("'a\\' b", '\\')).toEqual(["'a\\'", 'b']);
  });

  it('empty quotes make a word', () => {
    expect(splitQuotedWords('"" x', '\\')).toEqual(['""', 'x']);
  });

  it('parseNameValues: new and legacy forms', () => {
    expect(parseNameValues('a=1 b="2 3"', 'ENV', '\\')).toEqual({
      ok: true,
      pairs: [
        { key: 'a', value: '1' },
        { key: 'b', value: '"2 3"' },
      ],
    });
    expect(parseNameValues('a 1  2', 'ENV', '\\')).toEqual({ ok: true, pairs: [{ key: 'a', value: '1  2' }] });
    expect(parseNameValues('a', 'ENV', '\\')).toMatchObject({ ok: false });
    expect(parseNameValues('a=1 b', 'LABEL', '\\')).toMatchObject({ ok: false });
    expect(parseNameValues('', 'ENV', '\\')).toEqual({ ok: true, pairs: [] });
  });

  it('parseArgDeclarations', () => {
    expect(parseArgDeclarations('a b= c="1 2"', '\\')).toEqual([
      { key: 'a' },
      { key: 'b', value: '' },
      { key: 'c', value: '"1 2"' },
    ]);
  });

  it('splitWhitespaceWords splits on ASCII blanks only', () => {
    expect(splitWhitespaceWords('a \t b\u00a0c')).toEqual(['a', 'b\u00a0c']);
    expect(splitWhitespaceWords('')).toEqual([]);
  });
});
