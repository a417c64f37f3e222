// RUN --mount values: a CSV list of key=value fields, read as BuildKit v0.13.2 does
// (frontend/dockerfile/instructions/commands_runmount.go). At parse time only the CSV and the
// `from` field are checked; the compiler calls parseRunMount again with an expander.
import { suggestClosest } from './suggest.js';

export const MOUNT_TYPES = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'] as const;
export type MountType = (typeof MOUNT_TYPES)[number];
export const MOUNT_SHARING_MODES = ['shared', 'private', 'locked'] as const;
export type MountSharing = (typeof MOUNT_SHARING_MODES)[number];

const MOUNT_KEYS = [
  'type',
  'from',
  'source',
  'target',
  'readonly',
  'id',
  'sharing',
  'required',
  'mode',
  'uid',
  'gid',
  'src',
  'dst',
  'ro',
  'rw',
  'readwrite',
];

export interface RunMount {
  readonly type: MountType;
  /** stage name, stage index or image; undefined means the build context (scratch for cache) */
  readonly from?: string;
  readonly source?: string;
  readonly target?: string;
  readonly readOnly: boolean;
  /** tmpfs size in bytes */
  readonly sizeBytes?: number;
  /** `id=`: cache id or secret/ssh id */
  readonly id?: string;
  readonly sharing?: MountSharing;
  readonly required: boolean;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

export type RunMountResult =
  | { readonly ok: true; readonly mount: RunMount }
  | { readonly ok: false; readonly error: string };

/**
 * Parses one --mount value. Without `expand` this is BuildKit's parse-time pass: only the CSV
 * syntax and a variable in `from=` are errors, and the returned mount has only `from` filled in.
 * With `expand`, every value is expanded and fully validated. `expand` may throw.
 */
export function parseRunMount(raw: string, expand?: (value: string) => string): RunMountResult {
  const csv = readCsvRecord(raw);
  if (!csv.ok) return { ok: false, error: `failed to parse csv mounts: ${csv.error}` };
  let type: MountType = 'bind';
  let from: string | undefined;
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  let readOnlyAuto = true;
  let sizeBytes: number | undefined;
  let id: string | undefined;
  let sharing: MountSharing | undefined;
  let required = false;
  let mode: number | undefined;
  let uid: number | undefined;
  let gid: number | undefined;
  const fail = (error: string): RunMountResult => ({ ok: false, error });
  const takesFileInfo = (): boolean => type === 'secret' || type === 'ssh' || type === 'cache';

  for (const field of csv.fields) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (expand === undefined) continue;
      if (key === 'readonly' || key === 'ro') {
        readOnly = true;
        readOnlyAuto = false;
      } else if (key === 'readwrite' || key === 'rw') {
        readOnly = false;
        readOnlyAuto = false;
      } else if (key === 'required') {
        if (type !== 'secret' && type !== 'ssh') return fail(`unexpected key '${key}' for mount type '${type}'`);
        required = true;
      } else {
        return fail(`invalid field '${field}' must be a key=value pair`);
      }
      continue;
    }
    let value = field.slice(eq + 1);
    if (expand !== undefined) {
      value = expand(value);
    } else if (key === 'from') {
      if (/\$[^\n]/u.test(value))
        return fail(`'${key}' doesn't support variable expansion, define alias stage instead`);
    } else {
      continue;
    }
    switch (key) {
      case 'type': {
        const t = value.toLowerCase();
        if (!(MOUNT_TYPES as readonly string[]).includes(t))
          return fail(withSuggestion(`unsupported mount type ${JSON.stringify(value)}`, value, MOUNT_TYPES));
        type = t as MountType;
        break;
      }
      case 'from':
        from = value;
        break;
      case 'source':
      case 'src':
        source = value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = value;
        break;
      case 'readonly':
      case 'ro':
      case 'readwrite':
      case 'rw': {
        const b = parseGoBool(value);
        if (b === undefined) return fail(`invalid value for ${key}: ${value}`);
        readOnly = key === 'readonly' || key === 'ro' ? b : !b;
        readOnlyAuto = false;
        break;
      }
      case 'required': {
        if (type !== 'secret' && type !== 'ssh') return fail(`unexpected key '${key}' for mount type '${type}'`);
        const b = parseGoBool(value);
        if (b === undefined) return fail(`invalid value for ${key}: ${value}`);
        required = b;
        break;
      }
      case 'size': {
        if (type !== 'tmpfs') return fail(`unexpected key '${key}' for mount type '${type}'`);
        const size = parseRamBytes(value);
        if (size === undefined) return fail(`invalid value for ${key}: ${value}`);
        sizeBytes = size;
        break;
      }
      case 'id':
        id = value;
        break;
      case 'sharing': {
        const s = value.toLowerCase();
        if (!(MOUNT_SHARING_MODES as readonly string[]).includes(s)) {
          return fail(withSuggestion(`unsupported sharing value ${JSON.stringify(value)}`, value, MOUNT_SHARING_MODES));
        }
        sharing = s as MountSharing;
        break;
      }
      case 'mode': {
        const n = parseUint32(value, 8);
        if (n === undefined) return fail(`invalid value ${value} for mode`);
        mode = n;
        break;
      }
      case 'uid':
      case 'gid': {
        const n = parseUint32(value, 10);
        if (n === undefined) return fail(`invalid value ${value} for ${key}`);
        if (key === 'uid') uid = n;
        else gid = n;
        break;
      }
      default:
        return fail(withSuggestion(`unexpected key '${key}' in '${field}'`, key, MOUNT_KEYS));
    }
  }

  if (!takesFileInfo()) {
    if (mode !== undefined) return fail(`mode not allowed for ${JSON.stringify(type)} type mounts`);
    if (uid !== undefined) return fail(`uid not allowed for ${JSON.stringify(type)} type mounts`);
    if (gid !== undefined) return fail(`gid not allowed for ${JSON.stringify(type)} type mounts`);
  }
  if (readOnlyAuto) readOnly = !(type === 'cache' || type === 'tmpfs');
  if (type === 'secret') {
    if (from !== undefined && from !== '') return fail('secret mount should not have a from');
    if (sharing !== undefined) return fail('secret mount should not define sharing');
    if (!source && !target && !id) return fail('invalid secret mount. one of source, target required');
    if (source && id) return fail("both source and id can't be set");
  }
  if (sharing !== undefined && type !== 'cache') return fail(`invalid cache sharing set for ${type} mount`);

  const mount: RunMount = {
    type,
    readOnly,
    required,
    ...(from !== undefined && from !== '' ? { from } : {}),
    ...(source !== undefined && source !== '' ? { source } : {}),
    ...(target !== undefined && target !== '' ? { target } : {}),
    ...(sizeBytes !== undefined ? { sizeBytes } : {}),
    ...(id !== undefined && id !== '' ? { id } : {}),
    ...(sharing !== undefined ? { sharing } : {}),
    ...(mode !== undefined ? { mode } : {}),
    ...(uid !== undefined ? { uid } : {}),
    ...(gid !== undefined ? { gid } : {}),
  };
  return { ok: true, mount };
}

function withSuggestion(message: string, value: string, options: readonly string[]): string {
  const s = suggestClosest(value, options, true);
  return s === undefined ? message : `${message} (did you mean ${s}?)`;
}

/** Go's strconv.ParseBool. */
function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** strconv.ParseUint(value, base, 32): plain digits, no sign, no prefix. */
function parseUint32(value: string, base: 8 | 10): number | undefined {
  if (!(base === 8 ? /^[0-7]+$/ : /^[0-9]+$/).test(value)) return undefined;
  const n = parseInt(value, base);
  return n <= 0xffffffff ? n : undefined;
}

/** docker/go-units RAMInBytes: "64m", "1.5g", "512 KiB"; binary multiples. */
function parseRamBytes(text: string): number | undefined {
  let sep = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    if ('01234567890. '.includes(text[i] as string)) {
      sep = i;
      break;
    }
  }
  if (sep < 0) return undefined;
  const num = text[sep] === ' ' ? text.slice(0, sep) : text.slice(0, sep + 1);
  let suffix = text.slice(sep + 1);
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(num)) return undefined;
  let size = Number(num);
  if (size < 0) return undefined;
  if (suffix === '') return Math.trunc(size);
  if (suffix.length > 3) return undefined;
  suffix = suffix.toLowerCase();
  if (suffix[0] === 'b') return suffix.length > 1 ? undefined : Math.trunc(size);
  const multiplier = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 }[suffix[0] as string];
  if (multiplier === undefined) return undefined;
  size *= multiplier;
  if (suffix.length === 2 && suffix[1] !== 'b') return undefined;
  if (suffix.length === 3 && suffix.slice(1) !== 'ib') return undefined;
  return Math.trunc(size);
}

/**
 * One record of Go's encoding/csv with default settings: `,` separated, `"` quoting with `""`
 * for a quote, no bare quotes in unquoted fields, nothing allowed after a closing quote.
 */
export function readCsvRecord(text: string): { ok: true; fields: string[] } | { ok: false; error: string } {
  const line = text.replace(/\r\n$/, '\n').replace(/\n$/, '');
  if (line === '') return { ok: false, error: 'EOF' };
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] !== '"') {
      const comma = line.indexOf(',', i);
      const field = comma < 0 ? line.slice(i) : line.slice(i, comma);
      const quote = field.indexOf('"');
      if (quote >= 0)
        return { ok: false, error: `parse error on line 1, column ${i + quote + 1}: bare " in non-quoted-field` };
      fields.push(field);
      if (comma < 0) return { ok: true, fields };
      i = comma + 1;
      continue;
    }
    let field = '';
    i++;
    for (;;) {
      const q = line.indexOf('"', i);
      if (q < 0)
        return {
          ok: false,
          error: `parse error on line 1, column ${line.length + 1}: extraneous or missing " in quoted-field`,
        };
      field += line.slice(i, q);
      i = q + 1;
      if (line[i] === '"') {
        field += '"';
        i++;
        continue;
      }
      if (i === line.length) {
        fields.push(field);
        return { ok: true, fields };
      }
      if (line[i] === ',') {
        fields.push(field);
        i++;
        break;
      }
      return { ok: false, error: `parse error on line 1, column ${i}: extraneous or missing " in quoted-field` };
    }
  }
}
