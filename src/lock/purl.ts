// Package URLs (purl-spec), built and parsed in one place. Implementations disagree on
// percent-encoding (syft writes `sha256%3A…`, packageurl-js encodes `:` only inside qualifier
// values), so purls are compared by parsed components, never as strings: canonicalPurl()
// gives the one spelling the lock writes and keys its maps by.
import { compareCodeUnits } from '../core/canonical.js';
import type { Digest } from '../core/digest.js';
import type { ImageRef } from '../core/image-ref.js';

export interface Purl {
  /** lowercase: oci, docker, cargo, npm… */
  readonly type: string;
  /** decoded segments, possibly empty */
  readonly namespace: readonly string[];
  readonly name: string;
  readonly version?: string;
  /** decoded values, keys lowercase */
  readonly qualifiers: ReadonlyMap<string, string>;
  readonly subpath?: string;
}

export type PurlResult = { readonly ok: true; readonly purl: Purl } | { readonly ok: false; readonly reason: string };

const TYPE_RE = /^[a-z][a-z0-9.+-]*$/;
const QUALIFIER_KEY_RE = /^[a-z][a-z0-9._-]*$/;

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/**
 * A lock's purls are parsed by the document check, the entry reader and the lock builder, and
 * its edges repeat them: results are kept (they are immutable), within a bound so a long run
 * does not grow without end.
 */
const PURL_MEMO_LIMIT = 65_536;
const parsedPurls = new Map<string, PurlResult>();
const canonicalPurls = new Map<string, string | undefined>();

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= PURL_MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/** Forgets what was parsed: a benchmark that reads the same lock again must not time the memo. */
export function clearPurlMemo(): void {
  parsedPurls.clear();
  canonicalPurls.clear();
}

/** Parses a purl; accepts any percent-encoding of the same components. Never throws. */
export function parsePurl(text: string): PurlResult {
  return parsedPurls.get(text) ?? remember(parsedPurls, text, parseUncached(text));
}

function parseUncached(text: string): PurlResult {
  if (!text.startsWith('pkg:')) return { ok: false, reason: 'a purl starts with "pkg:"' };
  let rest = text.slice('pkg:'.length).replace(/^\/+/, '');
  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    const decoded = decode(rest.slice(hash + 1).replace(/^\/+|\/+$/g, ''));
    if (decoded === undefined) return { ok: false, reason: 'bad percent-encoding in subpath' };
    if (decoded !== '') subpath = decoded;
    rest = rest.slice(0, hash);
  }
  const qualifiers = new Map<string, string>();
  const question = rest.indexOf('?');
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) return { ok: false, reason: `qualifier "${pair}" has no key=value form` };
      const key = pair.slice(0, eq).toLowerCase();
      const value = decode(pair.slice(eq + 1));
      if (!QUALIFIER_KEY_RE.test(key)) return { ok: false, reason: `bad qualifier key "${key}"` };
      if (value === undefined) return { ok: false, reason: `bad percent-encoding in qualifier "${key}"` };
      if (qualifiers.has(key)) return { ok: false, reason: `duplicate qualifier "${key}"` };
      if (value !== '') qualifiers.set(key, value);
    }
    rest = rest.slice(0, question);
  }
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const decoded = decode(rest.slice(at + 1));
    if (decoded === undefined || decoded === '') return { ok: false, reason: 'bad version' };
    version = decoded;
    rest = rest.slice(0, at);
  }
  const segments = rest.replace(/\/+$/, '').split('/');
  const type = (segments.shift() ?? '').toLowerCase();
  if (!TYPE_RE.test(type)) return { ok: false, reason: `bad purl type "${type}"` };
  const decodedSegments: string[] = [];
  for (const segment of segments) {
    if (segment === '') continue;
    const decoded = decode(segment);
    if (decoded === undefined) return { ok: false, reason: 'bad percent-encoding in name' };
    decodedSegments.push(decoded);
  }
  const name = decodedSegments.pop();
  if (name === undefined || name === '') return { ok: false, reason: 'a purl needs a name' };
  return {
    ok: true,
    purl: {
      type,
      namespace: decodedSegments,
      name,
      ...(version !== undefined ? { version } : {}),
      qualifiers,
      ...(subpath !== undefined ? { subpath } : {}),
    },
  };
}

/** `:` stays as is in names and versions (purl-spec); everything else like encodeURIComponent. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/%3A/gi, ':');
}

/** The spelling gosh writes: qualifiers sorted by key, values fully percent-encoded. */
export function formatPurl(p: Purl): string {
  let out = `pkg:${p.type}/`;
  for (const segment of p.namespace) out += `${encodeSegment(segment)}/`;
  out += encodeSegment(p.name);
  if (p.version !== undefined) out += `@${encodeSegment(p.version)}`;
  const keys = [...p.qualifiers.keys()].sort(compareCodeUnits);
  if (keys.length > 0) out += `?${keys.map((k) => `${k}=${encodeURIComponent(p.qualifiers.get(k) ?? '')}`).join('&')}`;
  if (p.subpath !== undefined) out += `#${p.subpath.split('/').map(encodeSegment).join('/')}`;
  return out;
}

/** The canonical spelling of any purl text, or undefined when it is not a purl. */
export function canonicalPurl(text: string): string | undefined {
  if (canonicalPurls.has(text)) return canonicalPurls.get(text);
  const parsed = parsePurl(text);
  return remember(canonicalPurls, text, parsed.ok ? formatPurl(parsed.purl) : undefined);
}

/**
 * `pkg:oci/<last path segment>@sha256:<hex>?repository_url=<registry/path>&tag=<tag>`
 * (purl-spec oci type; the tag qualifier only when the reference has one).
 */
export function ociImagePurl(ref: ImageRef, digest: Digest): string {
  const segments = ref.path.split('/');
  const qualifiers = new Map<string, string>([['repository_url', `${ref.domain}/${ref.path}`]]);
  if (ref.tag !== undefined) qualifiers.set('tag', ref.tag);
  return formatPurl({ type: 'oci', namespace: [], name: segments[segments.length - 1] ?? ref.path, version: digest, qualifiers });
}

/** `pkg:npm/[%40scope/]<name>@<version>` for an npm name such as `@types/node` (the @ is always encoded). */
export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const namespace = slash > 0 ? [name.slice(0, slash)] : [];
  return formatPurl({ type: 'npm', namespace, name: slash > 0 ? name.slice(slash + 1) : name, version, qualifiers: new Map() });
}

/** `pkg:cargo/<name>@<version>`; `+build` metadata becomes `%2B`. */
export function cargoPurl(name: string, version: string): string {
  return formatPurl({ type: 'cargo', namespace: [], name, version, qualifiers: new Map() });
}
