/** An input file as the user named it ("Dockerfile", "sbom.spdx.json") with its text. */
export interface SourceFile {
  readonly name: string;
  readonly text: string;
}

/** 1-based, inclusive line range; columns 1-based when present. */
export interface SourceRange {
  readonly startLine: number;
  readonly endLine: number;
  readonly startColumn?: number;
  readonly endColumn?: number;
}

export function lineRange(startLine: number, endLine: number = startLine): SourceRange {
  return { startLine, endLine };
}
