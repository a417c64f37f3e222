// An ONBUILD trigger from a base image's config → one typed instruction. BuildKit's
// dispatchOnBuildTriggers parses each trigger as a Dockerfile of its own (default directives, so
// the escape character is always `\`) that must hold exactly one instruction.
import { GoshError, sortDiagnostics, type Diagnostic } from '../core/errors.js';
import { syntaxError } from './errors.js';
import type { Instruction } from './instructions.js';
import { scanLogicalLines } from './logical-lines.js';
import { parseInstruction } from './parse-instruction.js';

/**
 * Parses one trigger, e.g. `RUN make` or `COPY <<EOF /f\nbody\nEOF`. Ranges in the result and in
 * errors are lines of the trigger text (1-based); the caller decides where to report them.
 * @throws GoshError with DOCKERFILE_SYNTAX, DOCKERFILE_UNKNOWN_INSTRUCTION, DOCKERFILE_UNKNOWN_FLAG
 *   or DOCKERFILE_INVALID_FLAG diagnostics
 */
export function parseTrigger(text: string, file: string): Instruction {
  const scanned = scanLogicalLines(text);
  const diagnostics: Diagnostic[] = scanned.problems.map((p) =>
    syntaxError(p.message, { file, range: { startLine: p.line, endLine: p.line } }),
  );
  const line = scanned.lines[0];
  if (line === undefined || scanned.lines.length !== 1) {
    diagnostics.push(syntaxError('onbuild trigger should be a single expression', { file, range: { startLine: 1, endLine: 1 } }));
  } else {
    const parsed = parseInstruction(line, file, '\\');
    diagnostics.push(...parsed.diagnostics);
    if (diagnostics.length === 0 && parsed.instruction !== undefined) return parsed.instruction;
    if (diagnostics.length === 0) diagnostics.push(syntaxError(`invalid onbuild trigger ${JSON.stringify(text)}`, { file, range: { startLine: 1, endLine: 1 } }));
  }
  throw new GoshError(sortDiagnostics(diagnostics));
}
