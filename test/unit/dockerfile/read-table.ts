// Reads the plain-text tables in test/tables: `input | expected [| more]` rows, `#` comments,
// `@name value` settings that apply to the rows below, json:"…" for fields with edge spaces.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface TableRow {
  readonly line: number;
  readonly fields: readonly string[];
  /** settings in force for this row, in order (`@env` may repeat) */
  readonly settings: readonly { readonly name: string; readonly value: string }[];
}

const TABLES = fileURLToPath(new URL('../../tables/', import.meta.url));

export function decodeField(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('json:')) return trimmed;
  const value: unknown = JSON.parse(trimmed.slice(5));
  if (typeof value !== 'string') throw new Error(`json: field must be a string: ${trimmed}`);
  return value;
}

export function readTable(name: string, columns: { min: number; max: number }): TableRow[] {
  const text = readFileSync(`${TABLES}${name}`, 'utf8');
  const rows: TableRow[] = [];
  const settings: { name: string; value: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '' || raw.startsWith('#')) return;
    if (raw.startsWith('@')) {
      const space = raw.indexOf(' ');
      settings.push({ name: raw.slice(1, space), value: decodeField(raw.slice(space + 1)) });
      return;
    }
    const fields = raw.split(' | ').map(decodeField);
    if (fields.length < columns.min || fields.length > columns.max) {
      throw new Error(`${name}:${i + 1}: expected ${columns.min}-${columns.max} fields, got ${fields.length}`);
    }
    rows.push({ line: i + 1, fields, settings: [...settings] });
  });
  if (rows.length === 0) throw new Error(`${name}: no rows`);
  return rows;
}
