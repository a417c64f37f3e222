// Small helpers for the dockerfile tests: parse text, get the one error, get instructions.
import { GoshError } from '../../../src/core/errors.js';
import type { Dockerfile, StageInstruction } from '../../../src/dockerfile/instructions.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';

export function parse(text: string): Dockerfile {
  return parseDockerfile({ name: 'Dockerfile', text });
}

/** The GoshError parseDockerfile throws for `text` (fails the test when it does not throw). */
export function parseError(text: string): GoshError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof GoshError) return e;
    throw e;
  }
  throw new Error(`expected a parse error for ${JSON.stringify(text)}`);
}

/** code@startLine-endLine for each diagnostic, for compact assertions. */
export function located(error: GoshError): string[] {
  return error.diagnostics.map((d) => `${d.code}@${d.range?.startLine ?? '?'}-${d.range?.endLine ?? '?'}`);
}

/** The instructions of the first stage. */
export function body(text: string): readonly StageInstruction[] {
  const stage = parse(text).stages[0];
  if (stage === undefined) throw new Error('no stage');
  return stage.instructions;
}

/** The only instruction after `FROM x`. */
export function only(line: string): StageInstruction {
  const instruction = body(`FROM x\n${line}\n`)[0];
  if (instruction === undefined) throw new Error('no instruction');
  return instruction;
}
