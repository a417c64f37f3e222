// Physical lines → logical instruction lines, exactly as BuildKit's parser loop reads them
// (frontend/dockerfile/parser/parser.go Parse): directives at the top, comment lines dropped,
// continuation lines joined with the escape character removed, empty continuation lines skipped
// (with a warning), and heredoc bodies read after the line that opens them.
import type { DirectiveLine, LaterDirectiveName } from './directives.js';
import { DirectiveScanner } from './directives.js';
import { type HeredocMarker, HeredocMarkerError, heredocMarkersOnLine } from './heredoc-markers.js';
import { parseJsonArgs } from './json-args.js';
import { type EscapeChar, isGoSpace } from './shell-lexer.js';
import { leadingKeyword, splitCommand } from './split-command.js';

/** Where a stretch of the logical line comes from: 1-based line, 0-based column (UTF-16). */
export interface LinePiece {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface HeredocBody {
  readonly marker: HeredocMarker;
  /** body lines with their line endings */
  readonly content: string;
  /** first body line (or the terminator line when empty) */
  readonly startLine: number;
  /** terminator line, or the last line of the file when unterminated */
  readonly endLine: number;
  readonly terminated: boolean;
}

export interface LogicalLine {
  /** the joined line, BuildKit's node.Original (not trimmed) */
  readonly text: string;
  readonly startLine: number;
  /** last line of the instruction including heredoc bodies */
  readonly endLine: number;
  readonly pieces: readonly LinePiece[];
  readonly heredocs: readonly HeredocBody[];
  readonly hasEmptyContinuationLine: boolean;
  /** a heredoc delimiter that did not lex */
  readonly heredocError?: string;
}

export interface LocatedDirective extends DirectiveLine {
  readonly line: number;
}

/** A directive of a later BuildKit (`# check=`): a comment to v0.13.2, reported as a warning. */
export interface LaterDirective {
  readonly name: LaterDirectiveName;
  readonly value: string;
  readonly line: number;
}

export interface LineProblem {
  readonly line: number;
  readonly message: string;
}

export interface ScannedFile {
  readonly directives: readonly LocatedDirective[];
  /** at most one: it ends the directives */
  readonly laterDirectives: readonly LaterDirective[];
  readonly escape: EscapeChar;
  readonly lines: readonly LogicalLine[];
  /** directive errors: duplicates and a bad escape value */
  readonly problems: readonly LineProblem[];
}

export function scanLogicalLines(text: string): ScannedFile {
  const physical = splitPhysicalLines(text);
  const directiveScanner = new DirectiveScanner();
  const directives: LocatedDirective[] = [];
  const laterDirectives: LaterDirective[] = [];
  const problems: LineProblem[] = [];
  const lines: LogicalLine[] = [];
  let escape: EscapeChar = '\\';
  let continuation = continuationRegex(escape);

  // every line that is not a heredoc body goes through here, as BuildKit's processLine
  const processLine = (raw: string, lineNo: number, stripLeft: boolean): { text: string; column: number } => {
    let token = trimNewline(raw);
    let column = 0;
    if (stripLeft) {
      const stripped = trimLeadingSpace(token);
      column = token.length - stripped.length;
      token = stripped;
    }
    const result = directiveScanner.scan(token);
    if (result.kind === 'duplicate') {
      problems.push({ line: lineNo, message: `only one ${result.name} parser directive can be used` });
    } else if (result.kind === 'directive') {
      const { directive } = result;
      if (directive.name === 'escape') {
        if (directive.value === '\\' || directive.value === '`') {
          escape = directive.value;
          continuation = continuationRegex(escape);
        } else {
          problems.push({ line: lineNo, message: `invalid escape token '${directive.value}' does not match \` or \\` });
        }
      }
      directives.push({ ...directive, line: lineNo });
    } else if (result.kind === 'later') {
      laterDirectives.push({ name: result.name, value: result.value, line: lineNo });
    }
    return { text: token.startsWith('#') ? '' : token, column };
  };

  const trimContinuation = (line: string): { text: string; isEnd: boolean } => {
    if (!continuation.test(line)) return { text: line, isEnd: true };
    return { text: line.replace(continuation, '$1'), isEnd: false };
  };

  let index = 0;
  while (index < physical.length) {
    let raw = physical[index] as string;
    if (index === 0 && raw.startsWith('\ufeff')) raw = raw.slice(1);
    const bomColumn = index === 0 && physical[0] !== raw ? 1 : 0;
    const first = processLine(raw, index + 1, true);
    index++;
    const startLine = index;
    const pieces: LinePiece[] = [{ offset: 0, line: startLine, column: first.column + bomColumn }];
    let { text: line, isEnd } = trimContinuation(first.text);
    if (isEnd && line === '') continue;

    let hasEmptyContinuationLine = false;
    while (!isEnd && index < physical.length) {
      const next = physical[index] as string;
      const processed = processLine(next, index + 1, false);
      index++;
      if (isCommentLine(next)) continue;
      if (trimLeadingSpace(processed.text) === '') {
        hasEmptyContinuationLine = true;
        continue;
      }
      pieces.push({ offset: line.length, line: index, column: 0 });
      const cont = trimContinuation(processed.text);
      line += cont.text;
      isEnd = cont.isEnd;
    }

    let heredocError: string | undefined;
    let markers: HeredocMarker[] = [];
    if (canContainHeredoc(line)) {
      try {
        markers = heredocMarkersOnLine(line);
      } catch (e) {
        if (!(e instanceof HeredocMarkerError)) throw e;
        heredocError = e.message;
      }
    }
    const heredocs: HeredocBody[] = [];
    for (const marker of markers) {
      let content = '';
      let terminated = false;
      const bodyStart = index + 1;
      while (index < physical.length) {
        const bodyLine = physical[index] as string;
        index++;
        let candidate = trimNewline(bodyLine);
        if (marker.chomp) candidate = candidate.replace(/^\t+/, '');
        if (candidate === marker.name) {
          terminated = true;
          break;
        }
        content += bodyLine;
      }
      heredocs.push({ marker, content, startLine: Math.min(bodyStart, index), endLine: index, terminated });
      if (!terminated) break;
    }

    lines.push({
      text: line,
      startLine,
      endLine: index,
      pieces,
      heredocs,
      hasEmptyContinuationLine,
      ...(heredocError !== undefined ? { heredocError } : {}),
    });
  }
  return { directives, laterDirectives, escape, lines, problems };
}

/** Lines split after each "\n", which stays on its line (heredoc bodies keep it). */
function splitPhysicalLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    lines.push(text.slice(start, end));
    start = end;
  }
  return lines;
}

/** BuildKit trims any run of trailing "\r" and "\n". */
function trimNewline(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === '\n' || line[end - 1] === '\r')) end--;
  return line.slice(0, end);
}

function trimLeadingSpace(line: string): string {
  let i = 0;
  for (const ch of line) {
    if (!isGoSpace(ch)) break;
    i += ch.length;
  }
  return line.slice(i);
}

function isCommentLine(raw: string): boolean {
  return trimLeadingSpace(trimNewline(raw)).startsWith('#');
}

/**
 * The escape character as the last non-blank character continues the line, unless it is itself
 * escaped (BuildKit's regex cannot see "\\\" as escaped-escape + continuation either).
 */
function continuationRegex(escape: EscapeChar): RegExp {
  const e = escape === '\\' ? '\\\\' : '`';
  return new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`, 'u');
}

/** RUN, COPY and ADD (also as an ONBUILD trigger) take heredocs, but not in JSON form. */
function canContainHeredoc(line: string): boolean {
  // the keyword alone rules out most lines, before splitCommand reads flags
  const first = leadingKeyword(line).toLowerCase();
  if (first !== 'run' && first !== 'copy' && first !== 'add' && first !== 'onbuild') return false;
  let { keyword, args } = splitCommand(line);
  if (keyword.toLowerCase() === 'onbuild') {
    if (args === '') return false;
    ({ keyword, args } = splitCommand(args));
  }
  const kw = keyword.toLowerCase();
  if (kw !== 'run' && kw !== 'copy' && kw !== 'add') return false;
  return parseJsonArgs(args).kind !== 'json';
}
