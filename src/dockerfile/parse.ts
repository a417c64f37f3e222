// parseDockerfile: the text of a Dockerfile → directives, meta ARGs and stages of typed,
// located instructions. Every problem in the file is collected and thrown together, sorted.
import { type Diagnostic, GoshError, sortDiagnostics } from '../core/errors.js';
import type { SourceFile, SourceRange } from '../core/source.js';
import {
  emptyContinuationLine,
  instructionBeforeFrom,
  laterDirectiveIgnored,
  noInstructions,
  syntaxError,
} from './errors.js';
import type {
  ArgInstruction,
  Directive,
  Directives,
  Dockerfile,
  FromInstruction,
  Stage,
  StageInstruction,
} from './instructions.js';
import { type LaterDirective, type LocatedDirective, scanLogicalLines } from './logical-lines.js';
import { parseInstruction } from './parse-instruction.js';

/**
 * Parses a Dockerfile with BuildKit v0.13.2's rules. Arguments stay unexpanded.
 * @throws GoshError with every DOCKERFILE_SYNTAX, DOCKERFILE_UNKNOWN_INSTRUCTION,
 *   DOCKERFILE_UNKNOWN_FLAG and DOCKERFILE_INVALID_FLAG diagnostic of the file
 */
export function parseDockerfile(file: SourceFile): Dockerfile {
  const scanned = scanLogicalLines(file.text);
  const diagnostics: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const at = (line: number): SourceRange => ({ startLine: line, endLine: line });

  for (const problem of scanned.problems) {
    diagnostics.push(syntaxError(problem.message, { file: file.name, range: at(problem.line) }));
  }
  for (const later of scanned.laterDirectives) {
    warnings.push(laterDirectiveIgnored(later.name, { file: file.name, range: at(later.line) }));
  }
  if (scanned.lines.length === 0) {
    diagnostics.push(noInstructions({ file: file.name, range: at(Math.max(1, countLines(file.text))) }));
  }

  const metaArgs: ArgInstruction[] = [];
  const stages: { from: FromInstruction; instructions: StageInstruction[] }[] = [];
  for (const line of scanned.lines) {
    if (line.hasEmptyContinuationLine) {
      warnings.push(
        emptyContinuationLine({ file: file.name, range: { startLine: line.startLine, endLine: line.endLine } }),
      );
    }
    const parsed = parseInstruction(line, file.name, scanned.escape);
    diagnostics.push(...parsed.diagnostics);
    warnings.push(...parsed.warnings);
    const instruction = parsed.instruction;
    if (instruction === undefined) continue;
    if (instruction.kind === 'from') {
      stages.push({ from: instruction, instructions: [] });
      continue;
    }
    const current = stages[stages.length - 1];
    if (current !== undefined) {
      current.instructions.push(instruction);
    } else if (instruction.kind === 'arg') {
      metaArgs.push(instruction);
    } else {
      diagnostics.push(instructionBeforeFrom(instruction.keyword, { file: file.name, range: instruction.range }));
    }
  }
  if (scanned.lines.length > 0 && stages.length === 0 && diagnostics.length === 0) {
    diagnostics.push(
      syntaxError('no build stage: the Dockerfile has no FROM', {
        file: file.name,
        range: at(scanned.lines[scanned.lines.length - 1]?.startLine ?? 1),
      }),
    );
  }
  if (diagnostics.length > 0) throw new GoshError(sortDiagnostics(diagnostics));

  return {
    file,
    directives: directivesOf(scanned.directives, scanned.laterDirectives, scanned.escape),
    metaArgs,
    stages: stages.map((s, index): Stage => {
      const last = s.instructions[s.instructions.length - 1];
      return {
        ...(s.from.stageName !== undefined ? { name: s.from.stageName } : {}),
        index,
        from: s.from,
        instructions: s.instructions,
        range: { startLine: s.from.range.startLine, endLine: (last ?? s.from).range.endLine },
      };
    }),
    ...(warnings.length > 0 ? { warnings: sortDiagnostics(warnings) } : {}),
  };
}

function directivesOf(
  known: readonly LocatedDirective[],
  later: readonly LaterDirective[],
  escape: '\\' | '`',
): Directives {
  const pick = (name: string): Directive | undefined => {
    const d = [...known, ...later].find((x) => x.name === name);
    return d === undefined ? undefined : { value: d.value, range: { startLine: d.line, endLine: d.line } };
  };
  const syntax = pick('syntax');
  const check = pick('check');
  const escapeDirective = pick('escape');
  return {
    escape,
    ...(syntax !== undefined ? { syntax } : {}),
    ...(escapeDirective !== undefined ? { escapeRange: escapeDirective.range } : {}),
    ...(check !== undefined ? { check } : {}),
  };
}

function countLines(text: string): number {
  if (text === '') return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}
