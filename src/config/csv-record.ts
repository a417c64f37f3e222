// The first record of Go's encoding/csv with default settings, which BuildKit's dockerui uses
// for option values such as add-hosts (frontend/dockerui/attr.go). config/ may not import the
// Dockerfile layer's reader (dockerfile/run-mount.ts), hence this small twin.

export type CsvRecord = { readonly ok: true; readonly fields: string[] } | { readonly ok: false; readonly error: string };

/** `a,"b,c",d` → [a, b,c, d]; quotes double to escape; no bare quotes in unquoted fields. */
export function readFirstCsvRecord(text: string): CsvRecord {
  const line = (text.split('\n')[0] ?? '').replace(/\r$/, '');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] !== '"') {
      const comma = line.indexOf(',', i);
      const field = comma < 0 ? line.slice(i) : line.slice(i, comma);
      const quote = field.indexOf('"');
      if (quote >= 0) return { ok: false, error: `parse error on line 1, column ${i + quote + 1}: bare " in non-quoted-field` };
      fields.push(field);
      if (comma < 0) return { ok: true, fields };
      i = comma + 1;
      continue;
    }
    let field = '';
    i++;
    for (;;) {
      const q = line.indexOf('"', i);
      if (q < 0) return { ok: false, error: `parse error on line 1, column ${line.length + 1}: extraneous or missing " in quoted-field` };
      field += line.slice(i, q);
      i = q + 1;
      if (line[i] === '"') {
        field += '"';
        i++;
        continue;
      }
      if (i === line.length || line[i] === ',') {
        fields.push(field);
        if (i === line.length) return { ok: true, fields };
        i++;
        break;
      }
      return { ok: false, error: `parse error on line 1, column ${i}: extraneous or missing " in quoted-field` };
    }
  }
}
