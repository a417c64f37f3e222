// The comment lines BuildKit v0.13.2 attaches to each instruction (parser.Node.PrevComment,
// frontend/dockerfile/parser/parser.go Parse), and the doc comment it reads from them for a stage
// or an ARG (instructions/parse.go getComment). The outline and targets subrequests show these as
// descriptions.
//
// Which lines are comments comes from dockerfile-ast; where instructions start and end comes from
// our own parser. dockerfile-ast serves editors and its line model differs from BuildKit's: it
// treats any `# name=value` at the top as a directive, does not see `3<<EOF` as a heredoc (its
// body lines become instructions and comments), and continues a line that ends in an escaped
// escape (`\\`), which BuildKit does not. So a comment dockerfile-ast reports counts only when
// BuildKit also sees it between two instructions: outside every range our parser gives.
import { DockerfileParser, type Line } from 'dockerfile-ast';
import type { SourceRange } from '../core/source.js';
import { goTrimSpace } from './go-strings.js';
import type { Dockerfile } from './instructions.js';
import { isGoSpace } from './shell-lexer.js';

/** Comment texts by the 1-based start line of the instruction they precede. */
export type InstructionComments = ReadonlyMap<number, readonly string[]>;

const BOM = '\ufeff';

/**
 * For each instruction of the file (meta ARGs, FROMs and stage instructions), the comments
 * BuildKit keeps for it: the non-empty comment lines since the previous instruction, in order,
 * each trimmed after its first character. Blank lines do not separate them; an empty comment
 * (`#`) drops the ones before it. Comments inside an instruction (between continuation lines or
 * in a heredoc body) belong to no instruction.
 */
export function instructionComments(dockerfile: Dockerfile): InstructionComments {
  const text = dockerfile.file.text;
  const ranges = instructionRanges(dockerfile);
  const physical = splitLines(text);
  const toLine = lineOfOffset(text);
  const lspStarts = lspLineStarts(text);
  const ast = DockerfileParser.parse(text);
  // directives are comment lines to BuildKit too (`# syntax=…` reaches the first instruction)
  const candidates: readonly Line[] = [...ast.getDirectives(), ...ast.getComments()];
  const commentLines = new Set<number>();
  for (const c of candidates) {
    const start = c.getRange().start;
    const line = toLine((lspStarts[start.line] ?? text.length) + start.character);
    if (isBuildkitComment(physical[line - 1] ?? '') && !ranges.some((r) => line >= r.startLine && line <= r.endLine)) {
      commentLines.add(line);
    }
  }

  const result = new Map<number, readonly string[]>();
  let previousEnd = 0;
  for (const range of ranges) {
    let pending: string[] = [];
    for (let line = previousEnd + 1; line < range.startLine; line++) {
      if (!commentLines.has(line)) continue;
      const comment = commentText(physical[line - 1] ?? '', line === 1);
      pending = comment === '' ? [] : [...pending, comment];
    }
    result.set(range.startLine, pending);
    previousEnd = range.endLine;
  }
  return result;
}

/**
 * The doc comment for `name` (a lowercased stage name or an ARG key as written): the rest of
 * the first comment line that starts with `name` and a space; '' when there is none.
 */
export function docComment(comments: readonly string[] | undefined, name: string): string {
  if (name === '' || comments === undefined) return '';
  const prefix = `${name} `;
  return comments.find((c) => c.startsWith(prefix))?.slice(prefix.length) ?? '';
}

function instructionRanges(dockerfile: Dockerfile): SourceRange[] {
  const ranges: SourceRange[] = dockerfile.metaArgs.map((a) => a.range);
  for (const stage of dockerfile.stages) ranges.push(stage.from.range, ...stage.instructions.map((i) => i.range));
  return ranges.sort((a, b) => a.startLine - b.startLine);
}

/** BuildKit's isComment: `#` after leading (Unicode) whitespace. */
function isBuildkitComment(line: string): boolean {
  for (const ch of line.startsWith(BOM) ? line.slice(1) : line) {
    if (!isGoSpace(ch)) return ch === '#';
  }
  return false;
}

/**
 * BuildKit takes the line from its second byte and trims it, so `  # x` gives "# x" and an
 * empty comment is only `#` (with spaces after it) at the start of the line.
 */
function commentText(line: string, isFirstLine: boolean): string {
  const raw = isFirstLine && line.startsWith(BOM) ? line.slice(1) : line;
  return goTrimSpace(Array.from(raw).slice(1).join(''));
}

/** BuildKit's lines: split after each "\n" only. */
function splitLines(text: string): string[] {
  return text.split('\n');
}

/** 1-based BuildKit line of a UTF-16 offset. */
function lineOfOffset(text: string): (offset: number) => number {
  const newlines: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
  return (offset) => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((newlines[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

/** Offsets where dockerfile-ast's (LSP) lines start: it also breaks lines at a lone "\r". */
function lspLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\r' && text[i + 1] === '\n') i++;
    if (ch === '\r' || ch === '\n') starts.push(i + 1);
  }
  return starts;
}
