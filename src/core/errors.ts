import type { SourceRange } from './source.js';

/**
 * Every user-facing failure has one of these codes; INTERNAL is a bug in gosh. docs/errors.md
 * describes each one (test/unit/core/error-catalog.test.ts keeps the two in step).
 */
export type GoshErrorCode =
  | 'DOCKERFILE_SYNTAX'
  | 'DOCKERFILE_UNKNOWN_INSTRUCTION'
  | 'DOCKERFILE_UNSUPPORTED'
  | 'DOCKERFILE_UNKNOWN_FLAG'
  | 'DOCKERFILE_INVALID_FLAG'
  | 'DOCKERFILE_UNKNOWN_STAGE'
  | 'DOCKERFILE_STAGE_CYCLE'
  | 'DOCKERFILE_EXPANSION'
  | 'DOCKERFILE_NOT_FOUND'
  | 'OPTION_INVALID'
  | 'GOSH_YAML_INVALID'
  | 'SBOM_INVALID'
  | 'LOCK_IMAGE_MISSING'
  | 'LOCK_DIGEST_MISMATCH'
  | 'CONTEXT_PATH_ESCAPE'
  | 'IMAGE_RESOLVE'
  | 'CLI_USAGE'
  | 'GATEWAY'
  | 'INTERNAL'
  | 'LOCK_ENTRY_MISSING'
  | 'LOCK_DUPLICATE_ENTRY'
  | 'LOCK_STALE_ENTRY'
  | 'CAS_WRITE'
  | 'ATTESTOR_REJECTED'
  | 'ATTESTOR_UNAVAILABLE'
  | 'MANIFEST_INVALID'
  | 'DEPENDENCY_UNSUPPORTED'
  | 'LOCK_CHECKSUM_MISMATCH'
  | 'LOCK_MANIFEST_CHANGED'
  | 'RUN_NETWORK_DENIED'
  | 'DEPENDENCY_DOWNLOAD_MISMATCH';

export interface DiagnosticNote {
  readonly message: string;
  readonly file?: string;
  readonly range?: SourceRange;
}

export interface Diagnostic {
  readonly code: GoshErrorCode;
  /** lowercase, no trailing period */
  readonly message: string;
  readonly file?: string;
  readonly range?: SourceRange;
  /** a JSON path for JSON inputs ("packages[3].checksums") */
  readonly jsonPath?: string;
  readonly notes?: readonly DiagnosticNote[];
}

export class GoshError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[] | Diagnostic, options?: { cause?: unknown }) {
    const list = Array.isArray(diagnostics) ? (diagnostics as readonly Diagnostic[]) : [diagnostics as Diagnostic];
    if (list.length === 0) throw new TypeError('GoshError needs at least one diagnostic');
    super(list.map(formatDiagnostic).join('\n'), options);
    this.name = 'GoshError';
    this.diagnostics = list;
  }

  get code(): GoshErrorCode {
    return (this.diagnostics[0] as Diagnostic).code;
  }

  get primary(): Diagnostic {
    return this.diagnostics[0] as Diagnostic;
  }
}

export function diagnostic(
  code: GoshErrorCode,
  message: string,
  where: { file?: string | undefined; range?: SourceRange | undefined; jsonPath?: string | undefined } = {},
  notes?: readonly DiagnosticNote[],
): Diagnostic {
  return {
    code,
    message,
    ...(where.file !== undefined ? { file: where.file } : {}),
    ...(where.range !== undefined ? { range: where.range } : {}),
    ...(where.jsonPath !== undefined ? { jsonPath: where.jsonPath } : {}),
    ...(notes !== undefined && notes.length > 0 ? { notes } : {}),
  };
}

/** Throws a GoshError carrying one diagnostic. */
export function fail(
  code: GoshErrorCode,
  message: string,
  where: { file?: string | undefined; range?: SourceRange | undefined; jsonPath?: string | undefined } = {},
  notes?: readonly DiagnosticNote[],
  cause?: unknown,
): never {
  throw new GoshError(diagnostic(code, message, where, notes), cause !== undefined ? { cause } : undefined);
}

/** `Dockerfile:7: COPY: unknown flag --chmodd (did you mean --chmod?)` */
export function formatDiagnostic(d: Diagnostic): string {
  let where = '';
  if (d.file !== undefined) {
    where = d.file;
    if (d.range !== undefined) where += `:${d.range.startLine}`;
    if (d.jsonPath !== undefined) where += `: ${d.jsonPath}`;
    where += ': ';
  } else if (d.jsonPath !== undefined) {
    where = `${d.jsonPath}: `;
  }
  const notes = (d.notes ?? []).map((n) => {
    const at = n.file !== undefined ? `${n.file}${n.range !== undefined ? `:${n.range.startLine}` : ''}: ` : '';
    return `\n  note: ${at}${n.message}`;
  });
  return `${where}${d.message}${notes.join('')}`;
}

/** Sorts by (file, line, column) so collected diagnostics read top to bottom. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => {
    const fa = a.file ?? '';
    const fb = b.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.range?.startLine ?? 0;
    const lb = b.range?.startLine ?? 0;
    if (la !== lb) return la - lb;
    return (a.range?.startColumn ?? 0) - (b.range?.startColumn ?? 0);
  });
}

export function assertNever(value: never, what = 'value'): never {
  throw new GoshError(diagnostic('INTERNAL', `unexpected ${what}: ${JSON.stringify(value)}`));
}

export function isGoshError(e: unknown): e is GoshError {
  return e instanceof GoshError;
}
