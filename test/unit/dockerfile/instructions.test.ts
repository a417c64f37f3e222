import { describe, expect, it } from 'vitest';
import { type Heredoc, heredocBody, instructionName } from '../../../src/dockerfile/instructions.js';

const heredoc = (content: string, chomp: boolean): Heredoc => ({
  name: 'EOF',
  content,
  expand: true,
  chomp,
  fileDescriptor: 0,
  range: { startLine: 1, endLine: 1 },
});

describe('instructions helpers', () => {
  it('heredocBody strips leading tabs only for <<-', () => {
    expect(heredocBody(heredoc('\t\ta\n\t b\n  c\n', true))).toBe('a\n b\n  c\n');
    expect(heredocBody(heredoc('\ta\n', false))).toBe('\ta\n');
  });

  it('heredocBody: only "\\n" starts a line', () => {
    expect(heredocBody(heredoc('a\r\tb\n\tc', true))).toBe('a\r\tb\nc');
  });

  it('instructionName', () => {
    expect(instructionName('healthcheck')).toBe('HEALTHCHECK');
  });
});
