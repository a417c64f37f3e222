// Go's text/tabwriter with left alignment and no flags, the way BuildKit prints its subrequest
// tables (frontend/subrequests/*): tab-terminated cells are aligned in columns whose width is the
// widest cell of a block of consecutive lines plus the padding; the last cell of a line is not
// part of a column. A line without tabs ends the blocks before it, as in Go, where such a line
// flushes the writer.

export interface TabwriterOptions {
  readonly minWidth: number;
  readonly padding: number;
  readonly padChar: string;
}

interface Cell {
  readonly text: string;
  /** in code points, as Go counts runes */
  readonly width: number;
}

/** What `w := tabwriter.NewWriter(…); fmt.Fprint(w, text); w.Flush()` writes. */
export function tabwriterFormat(text: string, options: TabwriterOptions): string {
  let out = '';
  let lines: Cell[][] = [[]];
  let cell = '';
  const terminateCell = (): number => {
    const line = lines[lines.length - 1] as Cell[];
    line.push({ text: cell, width: Array.from(cell).length });
    cell = '';
    return line.length;
  };
  const flush = (): void => {
    if (cell.length > 0) terminateCell();
    out += format(lines, options);
    lines = [[]];
  };
  for (const ch of text) {
    if (ch === '\t' || ch === '\v' || ch === '\n' || ch === '\f') {
      const cells = terminateCell();
      if (ch === '\n' || ch === '\f') {
        lines.push([]);
        if (ch === '\f' || cells === 1) flush();
      }
    } else {
      cell += ch;
    }
  }
  flush();
  return out;
}

function format(lines: readonly (readonly Cell[])[], options: TabwriterOptions): string {
  let out = '';
  const widths: number[] = [];
  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const line = lines[i] as readonly Cell[];
      line.forEach((c, j) => {
        out += c.text;
        const width = widths[j];
        if (width !== undefined) out += options.padChar.repeat(Math.max(0, width - c.width));
      });
      // the last buffered line has no newline (its text, if any, was a cell already)
      if (i + 1 < lines.length) out += '\n';
    }
  };
  const block = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let at = line0; at < line1; at++) {
      if (column >= (lines[at] as readonly Cell[]).length - 1) continue;
      writeLines(start, at);
      start = at;
      let width = options.minWidth;
      for (; at < line1; at++) {
        const line = lines[at] as readonly Cell[];
        if (column >= line.length - 1) break;
        width = Math.max(width, (line[column] as Cell).width + options.padding);
      }
      widths.push(width);
      block(start, at);
      widths.pop();
      // `at` is now the first line outside the block: it has no cell here, so skipping it is fine
      start = at;
    }
    writeLines(start, line1);
  };
  block(0, lines.length);
  return out;
}
