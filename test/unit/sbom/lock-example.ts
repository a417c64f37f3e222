// The lock example of sbom-lock.md §7.4, copied into test/fixtures/sbom-lock/, and helpers that
// derive broken variants of it for reader tests.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GoshError, formatDiagnostic, type Diagnostic } from '../../../src/core/errors.js';
import { repoRoot } from '../../helpers/shared-fixture.js';

export const exampleLockPath = resolve(repoRoot, 'test/fixtures/sbom-lock/example.spdx.json');
export const exampleDescriptorPath = resolve(repoRoot, 'test/fixtures/sbom-lock/example.descriptor.json');
export const exampleLockText = readFileSync(exampleLockPath, 'utf8');

/** Test edits reach deep into untyped JSON; a checked type would only repeat the schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type JsonDoc = any;
type Json = Record<string, JsonDoc>;

/** The example, changed by `edit`, as 2-space JSON text. */
export function exampleWith(edit: (doc: Json) => void): string {
  const doc = JSON.parse(exampleLockText) as Json;
  edit(doc);
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Index of the package named `name` in the example. */
export function packageIndex(doc: Json, name: string): number {
  const i = (doc['packages'] as Json[]).findIndex((p) => p['name'] === name);
  if (i < 0) throw new Error(`no package ${name}`);
  return i;
}

/** The diagnostics `fn` throws (a GoshError), or fails. */
export function diagnosticsOf(fn: () => unknown): readonly Diagnostic[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof GoshError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected a GoshError');
}

export function messagesOf(fn: () => unknown): string[] {
  return diagnosticsOf(fn).map(formatDiagnostic);
}

/** 1-based line of the first line of `text` containing `needle` after line `after`. */
export function lineOf(text: string, needle: string, after = 0): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`${needle} not found`);
}
