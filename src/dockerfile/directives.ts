// Parser directives (`# syntax=`, `# escape=`, `# check=`) with BuildKit's rules
// (frontend/dockerfile/parser/directives.go): only at the top of the file, before any other
// line; the first line that is not a known directive ends them; each may appear once.

/** Go's regexp `\s` is ASCII [\t\n\f\r ] only. */
const DIRECTIVE = /^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*([^\n]+?)[\t\n\f\r ]*$/u;

/**
 * Known directive names. `check` arrived in BuildKit v0.14; v0.13.2 would end the directives at
 * a `# check=` line, we accept it as a directive.
 */
export const DIRECTIVE_NAMES = ['syntax', 'escape', 'check'] as const;
export type DirectiveName = (typeof DIRECTIVE_NAMES)[number];

export interface DirectiveLine {
  readonly name: DirectiveName;
  readonly value: string;
}

export type DirectiveResult =
  | { readonly kind: 'directive'; readonly directive: DirectiveLine }
  | { readonly kind: 'duplicate'; readonly name: DirectiveName }
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
