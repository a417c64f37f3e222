// Parser directives (`# syntax=`, `# escape=`) with BuildKit v0.13.2's rules
// (frontend/dockerfile/parser/directives.go): only at the top of the file, before any other
// line; the first line that is not a known directive ends them; each may appear once.

/** Go's regexp `\s` is ASCII [\t\n\f\r ] only. */
const DIRECTIVE = /^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*([^\n]+?)[\t\n\f\r ]*$/u;

/** The directives v0.13.2 knows. */
export const DIRECTIVE_NAMES = ['syntax', 'escape'] as const;
export type DirectiveName = (typeof DIRECTIVE_NAMES)[number];

/**
 * Directives of later BuildKit versions that v0.13.2 reads as comments: `check` arrived in
 * v0.14. Like any unknown name they end the directives (a `# escape=` after them is a comment);
 * we report them so the user is told they had no effect.
 */
export const LATER_DIRECTIVE_NAMES = ['check'] as const;
export type LaterDirectiveName = (typeof LATER_DIRECTIVE_NAMES)[number];

export interface DirectiveLine {
  readonly name: DirectiveName;
  readonly value: string;
}

export type DirectiveResult =
  | { readonly kind: 'directive'; readonly directive: DirectiveLine }
  | { readonly kind: 'duplicate'; readonly name: DirectiveName }
  /** a directive of a later version: a comment here, and the end of the directives */
  | { readonly kind: 'later'; readonly name: LaterDirectiveName; readonly value: string }
  | { readonly kind: 'none' };

/** Feeds physical lines (newline trimmed, leading whitespace trimmed) until the first non-directive. */
export class DirectiveScanner {
  private done = false;
  private readonly seen = new Set<DirectiveName>();

  scan(line: string): DirectiveResult {
    if (this.done) return { kind: 'none' };
    const match = DIRECTIVE.exec(line);
    const name = match?.[1]?.toLowerCase();
    if (match === null || name === undefined || !isDirectiveName(name)) {
      this.done = true;
      if (match !== null && name !== undefined && isLaterDirectiveName(name)) {
        return { kind: 'later', name, value: match[2] as string };
      }
      return { kind: 'none' };
    }
    if (this.seen.has(name)) return { kind: 'duplicate', name };
    this.seen.add(name);
    return { kind: 'directive', directive: { name, value: match[2] as string } };
  }
}

function isDirectiveName(name: string): name is DirectiveName {
  return (DIRECTIVE_NAMES as readonly string[]).includes(name);
}

function isLaterDirectiveName(name: string): name is LaterDirectiveName {
  return (LATER_DIRECTIVE_NAMES as readonly string[]).includes(name);
}
