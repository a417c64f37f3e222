// What the descriptor needs to know about an SBOM that gosh did not necessarily write: its
// format and spec version, the name of what it describes, its document identity and its time.
// Any SPDX 2.x JSON or CycloneDX 1.x JSON document is accepted (syft, trivy, cargo-sbom, ours);
// only the members read here are checked, each error naming file, JSON path and line.
import type { SbomFormat } from '../sbom/descriptor.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json-text.js';
import { decodeUtf8, failWithProblems, parseJsonInput, type JsonProblem } from './json-input.js';

export interface SbomIdentity {
  readonly format: SbomFormat;
  /** "SPDX-2.3", "CycloneDX-1.6": as the document says */
  readonly specVersion: string;
  /** SPDX `name`, CycloneDX `metadata.component.name` */
  readonly name?: string;
  /** SPDX `documentNamespace`, CycloneDX `serialNumber` */
  readonly documentNamespace?: string;
  /** SPDX `creationInfo.created`, CycloneDX `metadata.timestamp`, as YYYY-MM-DDThh:mm:ssZ (UTC) */
  readonly created?: string;
}

const DATE_TIME_RE = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/;
const SPDX_VERSION_RE = /^SPDX-2\.\d+$/;
const CYCLONEDX_VERSION_RE = /^1\.\d+$/;
const SERIAL_RE = /^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * An RFC 3339 date-time as the UTC second it falls in, YYYY-MM-DDThh:mm:ssZ (fractions are cut,
 * offsets applied): the form OCI's `created` annotation and SPDX use. Undefined when malformed.
 */
export function normalizeDateTime(text: string): string | undefined {
  const m = DATE_TIME_RE.exec(text);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const zone = m[8] as string;
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999
  const local = new Date(0);
  local.setUTCFullYear(y, mo - 1, d);
  local.setUTCHours(h, mi, s, 0);
  if (local.getUTCDate() !== d || local.getUTCMonth() !== mo - 1) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const utc = new Date(local.getTime() - offsetMinutes * 60_000);
  const year = utc.getUTCFullYear();
  if (year < 0 || year > 9999) return undefined;
  return utc.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function nonEmptyLine(value: JsonValue | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '' && !/[\r\n]/.test(value);
}

function identifySpdx(root: JsonObject, problems: JsonProblem[]): Omit<SbomIdentity, 'format'> {
  const version = root['spdxVersion'];
  if (typeof version !== 'string' || !SPDX_VERSION_RE.test(version)) {
    problems.push({ path: 'spdxVersion', message: `unsupported spdxVersion ${describe(version)} (expected SPDX-2.x JSON)` });
  }
  const name = root['name'];
  if (!nonEmptyLine(name)) problems.push({ path: 'name', message: `the document name must be a non-empty single line, found ${describe(name)}` });
  const namespace = root['documentNamespace'];
  if (typeof namespace !== 'string' || namespace === '' || /\s/.test(namespace)) {
    problems.push({ path: 'documentNamespace', message: `documentNamespace must be a URI without spaces, found ${describe(namespace)}` });
  }
  const info = root['creationInfo'];
  let created: string | undefined;
  if (!isJsonObject(info)) problems.push({ path: 'creationInfo', message: `creationInfo must be an object, found ${describe(info)}` });
  else {
    const raw = info['created'];
    created = typeof raw === 'string' ? normalizeDateTime(raw) : undefined;
    if (created === undefined) problems.push({ path: 'creationInfo.created', message: `created must be a date-time such as 2024-01-31T12:00:00Z, found ${describe(raw)}` });
  }
  return {
    specVersion: typeof version === 'string' ? version : '',
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof namespace === 'string' ? { documentNamespace: namespace } : {}),
    ...(created !== undefined ? { created } : {}),
  };
}

function identifyCycloneDx(root: JsonObject, problems: JsonProblem[]): Omit<SbomIdentity, 'format'> {
  if (root['bomFormat'] !== 'CycloneDX') problems.push({ path: 'bomFormat', message: `bomFormat must be "CycloneDX", found ${describe(root['bomFormat'])}` });
  const version = root['specVersion'];
  if (typeof version !== 'string' || !CYCLONEDX_VERSION_RE.test(version)) {
    problems.push({ path: 'specVersion', message: `unsupported specVersion ${describe(version)} (expected CycloneDX 1.x JSON)` });
  }
  const serial = root['serialNumber'];
  if (serial !== undefined && (typeof serial !== 'string' || !SERIAL_RE.test(serial))) {
    problems.push({ path: 'serialNumber', message: `serialNumber must be urn:uuid:<uuid>, found ${describe(serial)}` });
  }
  const metadata = root['metadata'];
  let name: string | undefined;
  let created: string | undefined;
  if (metadata !== undefined && !isJsonObject(metadata)) problems.push({ path: 'metadata', message: `metadata must be an object, found ${describe(metadata)}` });
  else if (metadata !== undefined) {
    const raw = metadata['timestamp'];
    if (raw !== undefined) {
      created = typeof raw === 'string' ? normalizeDateTime(raw) : undefined;
      if (created === undefined) problems.push({ path: 'metadata.timestamp', message: `timestamp must be a date-time such as 2024-01-31T12:00:00Z, found ${describe(raw)}` });
    }
    const component = metadata['component'];
    if (component !== undefined && !isJsonObject(component)) problems.push({ path: 'metadata.component', message: `component must be an object, found ${describe(component)}` });
    else if (component !== undefined) {
      const n = component['name'];
      if (!nonEmptyLine(n)) problems.push({ path: 'metadata.component.name', message: `the component name must be a non-empty single line, found ${describe(n)}` });
      else name = n;
    }
  }
  return {
    specVersion: typeof version === 'string' ? `CycloneDX-${version}` : '',
    ...(name !== undefined ? { name } : {}),
    ...(typeof serial === 'string' ? { documentNamespace: serial } : {}),
    ...(created !== undefined ? { created } : {}),
  };
}

/** The format a document claims by its marker member, or why it has none. */
function detectFormat(root: JsonValue): SbomFormat | JsonProblem {
  if (!isJsonObject(root)) return { path: '', message: `expected an SBOM document (a JSON object), found ${describe(root)}` };
  const spdx = Object.hasOwn(root, 'spdxVersion');
  const cdx = Object.hasOwn(root, 'bomFormat');
  if (spdx && cdx) return { path: '', message: 'the document has both spdxVersion (SPDX) and bomFormat (CycloneDX); which is it?' };
  if (spdx) return 'spdx-json';
  if (cdx) return 'cyclonedx-json';
  if (Object.hasOwn(root, '@context') || Object.hasOwn(root, '@graph')) {
    return { path: '', message: 'SPDX 3 JSON-LD is not supported (expected SPDX 2.x JSON or CycloneDX 1.x JSON)' };
  }
  return { path: '', message: 'not an SBOM: no spdxVersion (SPDX JSON) or bomFormat (CycloneDX JSON) member' };
}

/**
 * Identifies the SBOM in `bytes`; `file` names it in messages.
 * @throws GoshError SBOM_INVALID: not UTF-8, not JSON, neither SPDX 2.x nor CycloneDX 1.x JSON,
 *   or a malformed member this reads
 */
export function identifySbom(file: string, bytes: Uint8Array): SbomIdentity & { readonly text: string; readonly document: JsonValue } {
  const text = decodeUtf8(file, bytes, 'SBOM_INVALID');
  const root = parseJsonInput(file, text, 'SBOM_INVALID');
  const format = detectFormat(root);
  if (typeof format !== 'string') return failWithProblems(file, text, [format], 'SBOM_INVALID');
  const problems: JsonProblem[] = [];
  const doc = root as JsonObject;
  const found = format === 'spdx-json' ? identifySpdx(doc, problems) : identifyCycloneDx(doc, problems);
  if (problems.length > 0) failWithProblems(file, text, problems, 'SBOM_INVALID');
  return { format, ...found, text, document: root };
}
