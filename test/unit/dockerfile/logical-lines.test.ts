import { describe, expect, it } from 'vitest';
import { scanLogicalLines } from '../../../src/dockerfile/logical-lines.js';

describe('scanLogicalLines', () => {
  it('pieces map the joined text back to lines and columns', () => {
    const { lines } = scanLogicalLines('  RUN a \\\n# c\n  b\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      text: 'RUN a   b',
      startLine: 1,
      endLine: 3,
      pieces: [
        { offset: 0, line: 1, column: 2 },
        { offset: 6, line: 3, column: 0 },
      ],
    });
  });

  it('a byte-order mark shifts the first column', () => {
    expect(scanLogicalLines('\ufeffFROM a').lines[0]?.pieces[0]).toEqual({ offset: 0, line: 1, column: 1 });
  });

  it('directives are located and set the escape', () => {
    const scanned = scanLogicalLines('# syntax=x\n# escape=`\nRUN a `\n b\n');
    expect(scanned.directives).toEqual([
      { name: 'syntax', value: 'x', line: 1 },
      { name: 'escape', value: '`', line: 2 },
    ]);
    expect(scanned.escape).toBe('`');
    expect(scanned.lines.map((l) => l.text)).toEqual(['RUN a  b']);
  });

  it('heredoc bodies with line ranges, terminated or not', () => {
    const { lines } = scanLogicalLines('RUN <<A <<B\na\nA\nb\n');
    expect(lines[0]?.heredocs.map((h) => [h.marker.name, h.content, h.startLine, h.endLine, h.terminated])).toEqual([
      ['A', 'a\n', 2, 3, true],
      ['B', 'b\n', 4, 4, false],
    ]);
    expect(lines[0]?.endLine).toBe(4);
  });

  it('no heredocs for other instructions', () => {
    const { lines } = scanLogicalLines('ENV a=<<EOF\nEOF\n');
    expect(lines.map((l) => l.text)).toEqual(['ENV a=<<EOF', 'EOF']);
  });

  it('heredocs in an ONBUILD trigger', () => {
    const { lines } = scanLogicalLines('ONBUILD COPY <<EOF /x\nhi\nEOF\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.heredocs[0]?.content).toBe('hi\n');
  });
});
