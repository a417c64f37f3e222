// Warnings of a build as data; the frontend sends them through the gateway's Warn call.
// BuildKit v0.13.2's Dockerfile frontend warns about one thing only: empty continuation lines
// (frontend/dockerfile/parser/parser.go Parse, passed on by dockerfile2llb/convert.go). It does
// not warn about MAINTAINER or about build args nothing consumed. We add one warning BuildKit
// does not have: flags it silently ignores (our parser collects those in Dockerfile.warnings).
import type { SourceRange } from '../core/source.js';
import { emptyContinuationLine } from '../dockerfile/errors.js';
import type { Dockerfile } from '../dockerfile/instructions.js';
import { scanLogicalLines } from '../dockerfile/logical-lines.js';

export interface BuildWarning {
  /** the one-line text buildx prints after `WARN:` */
  readonly short: string;
  /** more lines, shown by `docker --debug buildx build` */
  readonly detail: readonly string[];
  readonly url?: string;
  /** where in the Dockerfile; buildx shows the lines in debug mode */
  readonly range?: SourceRange;
}

// BuildKit's text for the warning, word for word: buildx shows it to users and CI logs grep it
const EMPTY_CONTINUATION_SHORT = 'Empty continuation line found in: ';
const EMPTY_CONTINUATION_DETAIL = 'Empty continuation lines will become errors in a future release';
const EMPTY_CONTINUATION_URL = 'https://github.com/moby/moby/pull/33719';

/** Every warning of the file, BuildKit's first (in file order), then ours. */
export function dockerfileWarnings(dockerfile: Dockerfile): BuildWarning[] {
  const warnings: BuildWarning[] = [];
  const emptyContinuation = emptyContinuationLine({}).message;
  // the parser noted every empty continuation line; without any, the file need not be rescanned
  const rescan = dockerfile.warnings === undefined || dockerfile.warnings.some((d) => d.message === emptyContinuation);
  for (const line of rescan ? scanLogicalLines(dockerfile.file.text).lines : []) {
    if (!line.hasEmptyContinuationLine) continue;
    // BuildKit points at the last line it joined, before any heredoc body
    const first = line.heredocs[0];
    const last = first !== undefined ? first.startLine - 1 : line.endLine;
    warnings.push({
      short: EMPTY_CONTINUATION_SHORT + line.text,
      detail: [EMPTY_CONTINUATION_DETAIL],
      url: EMPTY_CONTINUATION_URL,
      range: { startLine: last, endLine: last },
    });
  }
  for (const d of dockerfile.warnings ?? []) {
    if (d.message === emptyContinuation) continue;
    warnings.push({ short: d.message, detail: [], ...(d.range !== undefined ? { range: d.range } : {}) });
  }
  return warnings;
}
