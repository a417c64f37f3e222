// The catalog of this layer's diagnostics: one constructor per kind of mistake, one message
// style — `<INSTRUCTION>: <what is wrong>`, lowercase, no trailing period, with the suggestion
// in parentheses (`COPY: unknown flag --chmodd (did you mean --chmod?)`).
import { type Diagnostic, type DiagnosticNote, diagnostic } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import { suggestClosest } from './suggest.js';

export interface Where {
  readonly file?: string | undefined;
  readonly range?: SourceRange | undefined;
}

function withSuggestion(message: string, suggestion: string | undefined): string {
  return suggestion === undefined ? message : `${message} (did you mean ${suggestion}?)`;
}

/** Anything malformed in the Dockerfile's text. */
export function syntaxError(message: string, where: Where): Diagnostic {
  return diagnostic('DOCKERFILE_SYNTAX', message, where);
}

/** An error in one instruction's arguments: `WORKDIR: requires exactly one argument`. */
export function instructionError(instruction: string, message: string, where: Where): Diagnostic {
  return syntaxError(`${instruction.toUpperCase()}: ${message}`, where);
}

export function unknownInstruction(keyword: string, known: readonly string[], where: Where): Diagnostic {
  const suggestion = suggestClosest(keyword, known, false);
  return diagnostic(
    'DOCKERFILE_UNKNOWN_INSTRUCTION',
    withSuggestion(`unknown instruction ${keyword}`, suggestion),
    where,
  );
}

export function instructionBeforeFrom(keyword: string, where: Where): Diagnostic {
  return syntaxError(`${keyword.toUpperCase()}: only ARG may come before the first FROM`, where);
}

export function noInstructions(where: Where): Diagnostic {
  return syntaxError('file with no instructions', where);
}

export function unknownFlag(instruction: string, flag: string, allowed: readonly string[], where: Where): Diagnostic {
  const suggestion = suggestClosest(flag, allowed, true);
  return diagnostic(
    'DOCKERFILE_UNKNOWN_FLAG',
    withSuggestion(
      `${instruction.toUpperCase()}: unknown flag --${flag}`,
      suggestion === undefined ? undefined : `--${suggestion}`,
    ),
    where,
  );
}

export function duplicateFlag(instruction: string, flag: string, where: Where): Diagnostic {
  return diagnostic('DOCKERFILE_INVALID_FLAG', `${instruction.toUpperCase()}: duplicate flag --${flag}`, where);
}

export function missingFlagValue(instruction: string, flag: string, where: Where): Diagnostic {
  return diagnostic(
    'DOCKERFILE_INVALID_FLAG',
    `${instruction.toUpperCase()}: missing a value on flag --${flag}`,
    where,
  );
}

export function invalidFlagValue(instruction: string, flag: string, problem: string, where: Where): Diagnostic {
  return diagnostic('DOCKERFILE_INVALID_FLAG', `${instruction.toUpperCase()}: --${flag}: ${problem}`, where);
}

export function expansionFailed(word: string, problem: string, where: Where): Diagnostic {
  return diagnostic('DOCKERFILE_EXPANSION', `failed to process ${JSON.stringify(word)}: ${problem}`, where);
}

export function stageIndexOutOfRange(index: string, count: number, where: Where): Diagnostic {
  return diagnostic('DOCKERFILE_UNKNOWN_STAGE', `invalid stage index ${index} (the file has ${count} stages)`, where);
}

export function targetNotFound(target: string, known: readonly string[]): Diagnostic {
  const suggestion = suggestClosest(target, known, false);
  return diagnostic(
    'DOCKERFILE_UNKNOWN_STAGE',
    withSuggestion(`target stage ${JSON.stringify(target)} could not be found`, suggestion),
  );
}

export function stageNotDefinedYet(name: string, stage: string, where: Where): Diagnostic {
  return diagnostic(
    'DOCKERFILE_UNKNOWN_STAGE',
    `stage ${JSON.stringify(name)} is used by stage ${stage} before it is defined`,
    where,
  );
}

export function stageCycle(stage: string, where: Where, path: readonly DiagnosticNote[]): Diagnostic {
  return diagnostic('DOCKERFILE_STAGE_CYCLE', `circular dependency detected on stage ${stage}`, where, path);
}

export function blankBaseName(raw: string, where: Where): Diagnostic {
  return syntaxError(`FROM: base name (${raw}) should not be blank`, where);
}

export function emptyContinuationLine(where: Where): Diagnostic {
  return syntaxError('empty continuation line', where);
}

/** A warning: `# check=` and friends of later BuildKit versions do nothing here. */
export function laterDirectiveIgnored(name: string, where: Where): Diagnostic {
  return diagnostic(
    'DOCKERFILE_UNSUPPORTED',
    `the ${name} parser directive needs BuildKit v0.14 or later; v0.13.2 semantics read it as a comment that ends the parser directives`,
    where,
  );
}
