// Reading JSON the user hands the CLI. JSON.parse is fast but says neither where nor what in
// terms of the file; the located strict parser (sbom/json-text.ts) is exact but too slow for a
// multi-megabyte SBOM. So: JSON.parse first, and the located parser only to explain a failure.
import { GoshError, fail, type GoshErrorCode } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import { JsonIssues } from '../sbom/json-check.js';
import { parseJsonText, type JsonValue } from '../core/json-text.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as text. @throws GoshError `code` when they are not UTF-8 */
export function decodeUtf8(file: string, bytes: Uint8Array, code: GoshErrorCode): string {
  try {
    return UTF8.decode(bytes);
  } catch (cause) {
    return fail(code, 'not UTF-8 text', { file }, undefined, cause);
  }
}

/**
 * Parses `text` as one JSON value.
 * @throws GoshError `code` located at the first offending line and column
 */
export function parseJsonInput(file: string, text: string, code: GoshErrorCode): JsonValue {
  if (text.trim() === '') fail(code, 'the file is empty (expected JSON)', { file });
  try {
    return JSON.parse(text) as JsonValue;
  } catch (cause) {
    parseJsonText({ name: file, text }, code); // throws the located error
    return fail(code, `invalid JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { file }, undefined, cause);
  }
}

/** A problem found in a parsed document, by JSON path ("" is the root). */
export interface JsonProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Turns problems into located diagnostics (re-parsing for positions only on this error path).
 * @throws GoshError `code` with every problem, each naming the file, JSON path and line
 */
export function failWithProblems(file: string, text: string, problems: readonly JsonProblem[], code: GoshErrorCode): never {
  const issues = new JsonIssues(file, parseJsonText({ name: file, text }, code).positions, code);
  for (const p of problems) issues.report(p.path, p.message);
  throw new GoshError(issues.diagnostics);
}

/** The 1-based line range of a line number. */
export function lineAt(line: number): SourceRange {
  return { startLine: line, endLine: line };
}
