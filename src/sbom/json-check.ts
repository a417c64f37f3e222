// Located checks over parsed JSON: a collector that turns a JSON path into `file:line: path`,
// and a small shape language (objects with closed key sets, arrays, enums) checked against it.
import { diagnostic, type Diagnostic, type DiagnosticNote, type GoshErrorCode } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import { displayPath, elementPath, isJsonObject, memberPath, type JsonPosition, type JsonValue } from '../core/json-text.js';

/** Collects diagnostics about one JSON file; every one names the file, a JSON path and a line. */
export class JsonIssues {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly file: string,
    private readonly positions: ReadonlyMap<string, JsonPosition>,
    private readonly code: GoshErrorCode = 'SBOM_INVALID',
  ) {}

  /** The line of `path`, or of its nearest ancestor that has one. */
  range(path: string): SourceRange | undefined {
    for (let p = path; ; p = parentPath(p)) {
      const pos = this.positions.get(p);
      if (pos !== undefined) return { startLine: pos.line, endLine: pos.line, startColumn: pos.column };
      if (p === '') return undefined;
    }
  }

  where(path: string): { file: string; jsonPath: string; range?: SourceRange } {
    const range = this.range(path);
    return { file: this.file, jsonPath: displayPath(path), ...(range !== undefined ? { range } : {}) };
  }

  report(path: string, message: string, notes?: readonly DiagnosticNote[], code: GoshErrorCode = this.code): void {
    this.diagnostics.push(diagnostic(code, message, this.where(path), notes));
  }

  /** A note pointing at another place in the same file. */
  note(path: string, message: string): DiagnosticNote {
    const range = this.range(path);
    return { message: `${message} (${displayPath(path)})`, file: this.file, ...(range !== undefined ? { range } : {}) };
  }

  get count(): number {
    return this.diagnostics.length;
  }
}

function parentPath(path: string): string {
  const m = /^(.*?)(?:\.[A-Za-z_$][A-Za-z0-9_$]*|\[[^[\]]*\]|\["(?:[^"\\]|\\.)*"\])$/.exec(path);
  return m?.[1] ?? '';
}

export type Shape =
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'integer' }
  | { readonly kind: 'any' }
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly what: string }
  | { readonly kind: 'array'; readonly items: Shape; readonly minItems: number }
  | {
      readonly kind: 'object';
      readonly fields: Readonly<Record<string, Shape>>;
      readonly required: readonly string[];
      /** keys outside `fields` are allowed (and not checked) */
      readonly open: boolean;
    };

export const STRING: Shape = { kind: 'string' };
export const BOOLEAN: Shape = { kind: 'boolean' };
export const INTEGER: Shape = { kind: 'integer' };
/** Anything: checked elsewhere. */
export const ANY: Shape = { kind: 'any' };

export function oneOf(what: string, values: readonly string[]): Shape {
  return { kind: 'enum', values, what };
}

export function arrayOf(items: Shape, minItems = 0): Shape {
  return { kind: 'array', items, minItems };
}

export function objectOf(fields: Readonly<Record<string, Shape>>, required: readonly string[] = []): Shape {
  return { kind: 'object', fields, required, open: false };
}

/** Any object: its keys are not ours to check. */
export const ANY_OBJECT: Shape = { kind: 'object', fields: {}, required: [], open: true };

function describe(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** True when `value` is a fine leaf of `shape`: the common case, checked without building a path. */
function fineLeaf(value: JsonValue, shape: Shape): boolean {
  switch (shape.kind) {
    case 'any':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'enum':
      return typeof value === 'string' && shape.values.includes(value);
    default:
      return false;
  }
}

/** Checks `value` against `shape`; reports every mismatch; true when none was found. */
export function checkShape(issues: JsonIssues, value: JsonValue, path: string, shape: Shape, owner = 'SPDX 2.3'): boolean {
  const before = issues.count;
  switch (shape.kind) {
    case 'any':
      break;
    case 'string':
      if (typeof value !== 'string') issues.report(path, `expected a string, found ${describe(value)}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') issues.report(path, `expected true or false, found ${describe(value)}`);
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) issues.report(path, `expected an integer, found ${describe(value)}`);
      break;
    case 'enum':
      if (typeof value !== 'string') issues.report(path, `expected a string, found ${describe(value)}`);
      else if (!shape.values.includes(value)) {
        const list = shape.values.length <= 12 ? ` (expected one of ${shape.values.join(', ')})` : '';
        issues.report(path, `unknown ${shape.what} ${JSON.stringify(value)}${list}`);
      }
      break;
    case 'array':
      if (!Array.isArray(value)) {
        issues.report(path, `expected an array, found ${describe(value)}`);
        break;
      }
      if (value.length < shape.minItems) issues.report(path, `expected at least ${shape.minItems} item${shape.minItems === 1 ? '' : 's'}`);
      value.forEach((item: JsonValue, i: number) => {
        if (!fineLeaf(item, shape.items)) checkShape(issues, item, elementPath(path, i), shape.items, owner);
      });
      break;
    case 'object': {
      if (!isJsonObject(value)) {
        issues.report(path, `expected an object, found ${describe(value)}`);
        break;
      }
      for (const key of Object.keys(value)) {
        const field = shape.fields[key];
        if (field === undefined || !Object.hasOwn(shape.fields, key)) {
          if (!shape.open) issues.report(memberPath(path, key), `unknown field ${JSON.stringify(key)} (not in ${owner})`);
        } else if (!fineLeaf(value[key] as JsonValue, field)) checkShape(issues, value[key] as JsonValue, memberPath(path, key), field, owner);
      }
      for (const key of shape.required) {
        if (!Object.hasOwn(value, key)) issues.report(path, `missing required field ${JSON.stringify(key)}`);
      }
      break;
    }
  }
  return issues.count === before;
}
