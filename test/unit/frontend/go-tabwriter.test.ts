// Go's text/tabwriter (left-aligned, space padding), as BuildKit's subrequest tables use it.
// The expected texts are what Go prints (checked against buildx --print output).
import { describe, expect, it } from 'vitest';
import { tabwriterFormat } from '../../../src/frontend/go-tabwriter.js';

const pad = (padding: number) => ({ minWidth: 0, padding, padChar: ' ' });

describe('tabwriterFormat', () => {
  it('aligns tab-terminated cells; the last cell of a line is not padded', () => {
    expect(tabwriterFormat('a\tbb\tc\nlong\tx\ty\n', pad(1))).toBe('a    bb c\nlong x  y\n');
  });

  it('pads empty cells and keeps trailing padding of tab-terminated cells', () => {
    expect(tabwriterFormat('NAME\tVALUE\tDESC\nX\t\t\n', pad(3))).toBe('NAME   VALUE   DESC\nX              \n');
  });

  it('counts code points, not UTF-16 units or bytes', () => {
    expect(tabwriterFormat('é😀\tx\nab\ty\n', pad(1))).toBe('é😀 x\nab y\n');
  });

  it('a column block ends at the first line without a cell in that column', () => {
    expect(tabwriterFormat('a\tb\tc\nlonger\tz\nq\tlongest\tr\n', pad(1))).toBe('a      b c\nlonger z\nq      longest r\n');
  });

  it('a line without tabs flushes: the lines after it start new columns', () => {
    expect(tabwriterFormat('a\tx\n\nlonger\ty\n', pad(1))).toBe('a x\n\nlonger y\n');
  });

  it('text without a final newline is written as the last cell', () => {
    expect(tabwriterFormat('a\tb', pad(2))).toBe('a  b');
  });

  it('a tab inside a value makes one more column for that line only', () => {
    expect(tabwriterFormat('TARGET\tDESCRIPTION\nnamed\tdescribed\twith a tab\nx\t\n', pad(1))).toBe(
      'TARGET DESCRIPTION\nnamed  described with a tab\nx      \n',
    );
  });
});
