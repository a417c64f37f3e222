// The metadata a subrequest returns: `result.json` (Go's json.MarshalIndent of BuildKit's types),
// `result.txt` (the tables BuildKit prints from that JSON) and `version`, byte for byte as
// BuildKit v0.13.2 writes them (frontend/subrequests/{describe.go,types.go},
// outline/outline.go, targets/targets.go). buildx prints one or the other for --print.
import { goJsonEscape } from '../core/canonical.js';
import type { SourceRange } from '../core/source.js';
import type { Outline, OutlineMount } from '../compile/outline.js';
import type { BuildTarget } from '../compile/targets.js';
import { tabwriterFormat } from './go-tabwriter.js';

export const REQUEST_DESCRIBE = 'frontend.subrequests.describe';
export const REQUEST_OUTLINE = 'frontend.outline';
export const REQUEST_TARGETS = 'frontend.targets';

// result metadata keys and the version of all three requests
export const META_RESULT_JSON = 'result.json';
export const META_RESULT_TXT = 'result.txt';
export const META_VERSION = 'version';
const VERSION = '1.0.0';

/** BuildKit's subrequests.Request; `null` where Go leaves a slice nil. */
interface RequestDescription {
  readonly name: string;
  readonly version: string;
  readonly type: 'rpc';
  readonly description: string;
  readonly opts: readonly Named[] | null;
  readonly inputs: readonly Named[] | null;
  readonly metadata: readonly Named[] | null;
  readonly refs: readonly Named[] | null;
}

interface Named {
  readonly name: string;
  readonly description: string;
}

const RESULT_METADATA: readonly Named[] = [
  { name: META_RESULT_JSON, description: '' },
  { name: META_RESULT_TXT, description: '' },
];

/** What we answer to frontend.subrequests.describe, in BuildKit's order. */
const SUPPORTED_REQUESTS: readonly RequestDescription[] = [
  {
    name: REQUEST_OUTLINE,
    version: VERSION,
    type: 'rpc',
    description: 'List all parameters current build target supports',
    opts: [{ name: 'target', description: 'Target build stage' }],
    inputs: null,
    metadata: RESULT_METADATA,
    refs: null,
  },
  {
    name: REQUEST_TARGETS,
    version: VERSION,
    type: 'rpc',
    description: 'List all targets current build supports',
    opts: [],
    inputs: null,
    metadata: RESULT_METADATA,
    refs: null,
  },
  {
    name: REQUEST_DESCRIBE,
    version: VERSION,
    type: 'rpc',
    description: 'List available subrequest types',
    opts: null,
    inputs: null,
    metadata: RESULT_METADATA,
    refs: null,
  },
];

export type SubrequestMetadata = Record<string, Uint8Array>;

export function describeMetadata(): SubrequestMetadata {
  const text = table(
    1,
    ['NAME', 'VERSION', 'DESCRIPTION'],
    SUPPORTED_REQUESTS.map((r) => [r.name.replace(/^frontend\./, ''), r.version, r.description]),
  );
  return metadata(SUPPORTED_REQUESTS, text);
}

/** @param source the Dockerfile's bytes, which BuildKit returns with the outline */
export function outlineMetadata(outline: Outline, source: Uint8Array): SubrequestMetadata {
  const json = {
    ...(outline.name !== '' ? { name: outline.name } : {}),
    ...(outline.description !== '' ? { description: outline.description } : {}),
    ...nonEmpty(
      'args',
      outline.args.map((a) => ({
        name: a.name,
        ...(a.description !== '' ? { description: a.description } : {}),
        ...(a.value !== '' ? { value: a.value } : {}),
        location: location(a.range),
      })),
    ),
    ...nonEmpty('secrets', outline.secrets.map(mountJson)),
    ...nonEmpty('ssh', outline.ssh.map(mountJson)),
    sources: [base64(source)],
  };

  let text = '';
  if (outline.name !== '' || outline.description !== '') {
    let head = `TARGET:\t${outline.name !== '' ? outline.name : '(default)'}\n`;
    if (outline.description !== '') head += `DESCRIPTION:\t${outline.description}\n`;
    text += tabwriterFormat(head, { minWidth: 0, padding: 1, padChar: ' ' }) + '\n';
  }
  if (outline.args.length > 0) {
    text += `${table(3, ['BUILD ARG', 'VALUE', 'DESCRIPTION'], outline.args.map((a) => [a.name, a.value, a.description]))}\n`;
  }
  if (outline.secrets.length > 0) {
    text += `${table(3, ['SECRET', 'REQUIRED'], outline.secrets.map((s) => [s.name, s.required ? 'true' : '']))}\n`;
  }
  if (outline.ssh.length > 0) {
    text += `${table(3, ['SSH', 'REQUIRED'], outline.ssh.map((s) => [s.name, s.required ? 'true' : '']))}\n`;
  }
  return metadata(json, text);
}

/** @param source the Dockerfile's bytes, which BuildKit returns with the targets */
export function targetsMetadata(targets: readonly BuildTarget[], source: Uint8Array): SubrequestMetadata {
  const json = {
    targets: targets.map((t) => ({
      ...(t.name !== '' ? { name: t.name } : {}),
      ...(t.isDefault ? { default: true } : {}),
      ...(t.description !== '' ? { description: t.description } : {}),
      ...(t.base !== '' ? { base: t.base } : {}),
      ...(t.platform !== '' ? { platform: t.platform } : {}),
      location: location(t.range),
    })),
    sources: [base64(source)],
  };
  const rows = targets.map((t) => {
    let name = t.name;
    if (name === '' && t.isDefault) name = '(default)';
    else if (t.isDefault) name = `${name} (default)`;
    return [name, t.description];
  });
  return metadata(json, table(1, ['TARGET', 'DESCRIPTION'], rows));
}

function mountJson(m: OutlineMount): object {
  return { name: m.name, ...(m.required ? { required: true } : {}), location: location(m.range) };
}

/** pb.Location of a parser range: one range per line, start and end on that line */
function location(range: SourceRange): object {
  const ranges = [];
  for (let line = range.startLine; line <= Math.max(range.startLine, range.endLine); line++) {
    ranges.push({ start: { line }, end: { line } });
  }
  return { ranges };
}

function nonEmpty(key: string, list: readonly object[]): Record<string, readonly object[]> {
  return list.length > 0 ? { [key]: list } : {};
}

/** Rows of tab-separated cells through Go's tabwriter (min width 0, space padding). */
function table(padding: number, header: readonly string[], rows: readonly (readonly string[])[]): string {
  const text = [header, ...rows].map((cells) => `${cells.join('\t')}\n`).join('');
  return tabwriterFormat(text, { minWidth: 0, padding, padChar: ' ' });
}

function metadata(json: unknown, text: string): SubrequestMetadata {
  const utf8 = new TextEncoder();
  return {
    [META_RESULT_JSON]: utf8.encode(goMarshalIndent(json)),
    [META_RESULT_TXT]: utf8.encode(text),
    [META_VERSION]: utf8.encode(VERSION),
  };
}

/**
 * json.MarshalIndent(v, "", "  "): JSON.stringify's layout, with Go's string escapes (<, >, &,
 * U+2028, U+2029 as \u…, and \b, \f as \u0008, \u000c). Objects must list keys in Go's field order.
 */
export function goMarshalIndent(value: unknown): string {
  const json = JSON.stringify(value, null, 2).replace(/\\(u[0-9a-f]{4}|.)/g, (all, esc: string) => {
    if (esc === 'b') return '\\u0008';
    if (esc === 'f') return '\\u000c';
    return all;
  });
  return goJsonEscape(json);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
