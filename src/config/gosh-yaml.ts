// Gosh.yaml → GoshConfig: the hand-written intent beside the generated lock (sbom-lock.md §8),
// like Cargo.toml beside Cargo.lock. Strict: an unknown key, a wrong type or a path that leaves
// the context is a located error (`Gosh.yaml:4: unknown key "foo"`); every problem of the file
// is reported at once. Each value's lines are kept so later layers can point back at them.
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { compareUtf8 } from '../core/canonical.js';
import { GoshError, diagnostic, sortDiagnostics, type Diagnostic } from '../core/errors.js';
import { parseImageRef } from '../core/image-ref.js';
import type { SourceFile, SourceRange } from '../core/source.js';

export const GOSH_YAML_FILE = 'Gosh.yaml';

// top-level keys and the keys of each section
export const KEY_DOCKERFILE = 'dockerfile';
export const KEY_TAG = 'tag';
export const KEY_ARGS = 'args';
export const KEY_MODE = 'mode';
export const KEY_SBOM = 'sbom';
export const KEY_PREPARE = 'prepare';
export const KEY_SUBIMAGES = 'subimages';
export const KEY_DESCRIPTOR = 'descriptor';
export const KEY_POLICY = 'policy';
const TOP_KEYS = [KEY_ARGS, KEY_DESCRIPTOR, KEY_DOCKERFILE, KEY_MODE, KEY_POLICY, KEY_PREPARE, KEY_SBOM, KEY_SUBIMAGES, KEY_TAG];
const DOCKERFILE_KEYS = ['content', 'path'];
const SBOM_KEYS = ['formats', 'namespace'];
/** dependency ecosystems, in the order their plugins run (deps/registry.ts) */
export const PREPARE_KEYS = ['cargo', 'npm'] as const;
export type PrepareKind = (typeof PREPARE_KEYS)[number];
const MANIFEST_KEYS = ['lockfile', 'mirror', 'stages'];
const SUBIMAGE_KEYS = ['args', 'context', 'dockerfile', 'target'];
const DESCRIPTOR_KEYS = ['attestor'];
const POLICY_KEYS = ['network', 'registries'];

export type GoshMode = 'prod' | 'dev' | 'lock';
const MODES: readonly GoshMode[] = ['prod', 'dev', 'lock'];
export type SbomFormatName = 'spdx-2.3' | 'cyclonedx-1.6';
const SBOM_FORMATS: readonly SbomFormatName[] = ['spdx-2.3', 'cyclonedx-1.6'];
export const DEFAULT_SBOM_NAMESPACE = 'https://spdx.org/spdxdocs';
/** crates.io's download template markers (cargo registry-index.md) */
const MIRROR_MARKERS = ['{crate}', '{version}', '{prefix}', '{lowerprefix}', '{sha256-checksum}'];

const ARG_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SUBIMAGE_NAME_RE = /^[a-z0-9][a-z0-9._-]*$/;
const STAGE_NAME_RE = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const HTTP_URL_RE = /^https?:\/\/[^\s#]+$/;

export type DockerfileSource = { readonly kind: 'path'; readonly path: string } | { readonly kind: 'inline'; readonly content: string };

/** One `prepare.<kind>` entry: a Cargo.lock or a package-lock.json. */
export interface ManifestPrepare {
  /** context-relative path of the Cargo.lock / package-lock.json */
  readonly lockfile: string;
  /** stages that get the mount; absent: every stage that runs the tool (cargo, npm) */
  readonly stages?: readonly string[];
  /**
   * cargo: a download URL template; npm: a registry base URL replacing https://registry.npmjs.org/.
   * The lock keeps the canonical URL and the checksum pins the bytes.
   */
  readonly mirror?: string;
}

export interface SubimageConfig {
  readonly name: string;
  /** context-relative directory, "." for the context itself */
  readonly context: string;
  /** relative to `context` */
  readonly dockerfile: string;
  readonly target?: string;
  readonly args: ReadonlyMap<string, string>;
}

export interface GoshConfig {
  readonly file: string;
  readonly dockerfile: DockerfileSource;
  readonly tag?: string;
  /** key-sorted */
  readonly args: ReadonlyMap<string, string>;
  /** absent: the frontend option or build arg decides */
  readonly mode?: GoshMode;
  readonly sbom: { readonly namespace: string; readonly formats: readonly SbomFormatName[] };
  readonly prepare: Readonly<Record<PrepareKind, readonly ManifestPrepare[]>>;
  /** key-sorted */
  readonly subimages: ReadonlyMap<string, SubimageConfig>;
  readonly descriptor: { readonly attestor?: string };
  /** registries: allow-list; network: stage name (or index) → why its RUN steps keep network in prod */
  readonly policy: { readonly registries?: readonly string[]; readonly network?: ReadonlyMap<string, string> };
  /** where each value given in the file is: "subimages.tools.context" → its lines */
  readonly ranges: ReadonlyMap<string, SourceRange>;
}

/** Normalizes a context-relative path ("./a//b/" → "a/b", "" or "./" → "."); undefined when it escapes. */
export function cleanContextPath(path: string): string | undefined {
  if (path.startsWith('/') || path.includes('\\')) return undefined;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

/** Walks the YAML tree with the path of each node, collecting located diagnostics. */
class Reader {
  readonly diagnostics: Diagnostic[] = [];
  readonly ranges = new Map<string, SourceRange>();

  constructor(
    private readonly file: SourceFile,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  range(node: Node | null | undefined): SourceRange | undefined {
    const r = node?.range;
    if (r === undefined || r === null) return undefined;
    const start = this.lines.linePos(r[0]);
    const end = this.lines.linePos(Math.max(r[0], r[1] - 1));
    return { startLine: start.line, endLine: end.line, startColumn: start.col };
  }

  report(node: Node | null | undefined, message: string, note?: string): void {
    const range = this.range(node);
    this.diagnostics.push(
      diagnostic('GOSH_YAML_INVALID', message, { file: this.file.name, range }, note !== undefined ? [{ message: note }] : undefined),
    );
  }

  resolve(node: Node | null | undefined): Node | null | undefined {
    return isAlias(node) ? (node.resolve(this.doc)) : node;
  }

  /** The pairs of a mapping (keys checked against `allowed` when given), or undefined after reporting. */
  map(node: Node | null | undefined, path: string, allowed?: readonly string[]): [string, Node | null, Pair<Node, Node | null>][] | undefined {
    const resolved = this.resolve(node);
    if (!isMap(resolved)) {
      this.report(node, `${path === '' ? 'top level' : path}: expected a mapping`);
      return undefined;
    }
    const out: [string, Node | null, Pair<Node, Node | null>][] = [];
    for (const pair of resolved.items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) {
        this.report(pair.key, `${path === '' ? 'top level' : path}: keys must be plain strings`);
        continue;
      }
      if (allowed !== undefined && !allowed.includes(key)) {
        this.report(pair.key, `unknown key ${JSON.stringify(key)}${path === '' ? '' : ` in ${path}`}`, `expected one of: ${allowed.join(', ')}`);
        continue;
      }
      out.push([key, this.resolve(pair.value) ?? null, pair]);
    }
    return out;
  }

  string(node: Node | null, path: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string') {
      const range = this.range(node);
      if (range !== undefined) this.ranges.set(path, range);
      return node.value;
    }
    const at = isScalar(node) && node.value !== null ? node.range : undefined;
    const hint = at !== undefined && at !== null ? `; quote it: "${this.file.text.slice(at[0], at[1])}"` : '';
    this.report(node, `${path}: expected a string${hint}`);
    return undefined;
  }

  strings(node: Node | null, path: string): string[] | undefined {
    if (!isSeq(node)) {
      this.report(node, `${path}: expected a list`);
      return undefined;
    }
    const out: string[] = [];
    (node.items as (Node | null)[]).forEach((item, i) => {
      const value = this.string(this.resolve(item) ?? null, `${path}[${i}]`);
      if (value !== undefined) out.push(value);
    });
    return out;
  }

  stringMap(node: Node | null, path: string, keyRe: RegExp, keyWhat: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [key, value, pair] of this.map(node, path) ?? []) {
      if (!keyRe.test(key)) this.report(pair.key, `${path}: invalid ${keyWhat} ${JSON.stringify(key)}`);
      const text = this.string(value, `${path}.${key}`);
      if (text !== undefined) out.set(key, text);
    }
    return new Map([...out.keys()].sort(compareUtf8).map((k) => [k, out.get(k) as string]));
  }

  contextPath(node: Node | null, path: string, what: string): string | undefined {
    const text = this.string(node, path);
    if (text === undefined) return undefined;
    const clean = cleanContextPath(text);
    if (clean === undefined) this.report(node, `${path}: ${what} ${JSON.stringify(text)} must stay inside the build context`);
    return clean;
  }

  url(node: Node | null, path: string): string | undefined {
    const text = this.string(node, path);
    if (text !== undefined && !HTTP_URL_RE.test(text)) this.report(node, `${path}: expected an http(s) URL without "#", found ${JSON.stringify(text)}`);
    return text;
  }

  unique(node: Node | null, values: readonly string[], path: string): void {
    const seen = new Set<string>();
    for (const v of values) {
      if (seen.has(v)) this.report(node, `${path}: ${JSON.stringify(v)} is listed twice`);
      seen.add(v);
    }
  }
}

function readDockerfile(r: Reader, node: Node | null): DockerfileSource | undefined {
  const entries = r.map(node, KEY_DOCKERFILE, DOCKERFILE_KEYS);
  if (entries === undefined) return undefined;
  if (entries.length !== 1) {
    r.report(node, `${KEY_DOCKERFILE}: give exactly one of path or content`);
    return undefined;
  }
  const [key, value] = entries[0] as [string, Node | null, unknown];
  if (key === 'content') {
    const content = r.string(value, `${KEY_DOCKERFILE}.content`);
    return content === undefined ? undefined : { kind: 'inline', content };
  }
  const path = r.contextPath(value, `${KEY_DOCKERFILE}.path`, 'path');
  if (path === '.') r.report(value, `${KEY_DOCKERFILE}.path: expected a file, not the context directory`);
  return path === undefined ? undefined : { kind: 'path', path };
}

function readSbom(r: Reader, node: Node | null): GoshConfig['sbom'] {
  let namespace = DEFAULT_SBOM_NAMESPACE;
  let formats: readonly SbomFormatName[] = SBOM_FORMATS;
  for (const [key, value] of r.map(node, KEY_SBOM, SBOM_KEYS) ?? []) {
    if (key === 'namespace') namespace = (r.url(value, `${KEY_SBOM}.namespace`) ?? namespace).replace(/\/+$/, '');
    else {
      const list = r.strings(value, `${KEY_SBOM}.formats`) ?? [];
      const known = list.filter((f): f is SbomFormatName => SBOM_FORMATS.includes(f as SbomFormatName));
      for (const f of list) if (!known.includes(f as SbomFormatName)) r.report(value, `${KEY_SBOM}.formats: unknown format ${JSON.stringify(f)} (expected ${SBOM_FORMATS.join(' or ')})`);
      if (list.length === 0) r.report(value, `${KEY_SBOM}.formats: list at least one format`);
      r.unique(value, list, `${KEY_SBOM}.formats`);
      formats = known;
    }
  }
  return { namespace, formats };
}

function readManifestPrepare(r: Reader, kind: PrepareKind, node: Node | null, path: string): ManifestPrepare | undefined {
  let lockfile: string | undefined;
  let stages: string[] | undefined;
  let mirror: string | undefined;
  const entries = r.map(node, path, MANIFEST_KEYS);
  for (const [key, value] of entries ?? []) {
    if (key === 'lockfile') lockfile = r.contextPath(value, `${path}.lockfile`, 'lockfile');
    else if (key === 'stages') {
      stages = r.strings(value, `${path}.stages`);
      for (const s of stages ?? []) if (!STAGE_NAME_RE.test(s)) r.report(value, `${path}.stages: invalid stage name ${JSON.stringify(s)}`);
      r.unique(value, stages ?? [], `${path}.stages`);
    } else {
      mirror = r.url(value, `${path}.mirror`);
      // an npm mirror is a registry base: no template markers
      const allowed = kind === 'cargo' ? MIRROR_MARKERS : [];
      for (const marker of mirror?.match(/\{[^}]*\}/g) ?? []) {
        if (!allowed.includes(marker)) r.report(value, `${path}.mirror: unknown marker ${marker}${allowed.length > 0 ? ` (expected ${allowed.join(', ')})` : ' (an npm mirror is a registry base URL)'}`);
      }
    }
  }
  if (lockfile === undefined) {
    if (entries !== undefined && !entries.some(([key]) => key === 'lockfile')) r.report(node, `${path}: lockfile is required`);
    return undefined;
  }
  return { lockfile, ...(stages !== undefined ? { stages } : {}), ...(mirror !== undefined ? { mirror } : {}) };
}

function readPrepare(r: Reader, node: Node | null): GoshConfig['prepare'] {
  const prepare: Record<PrepareKind, ManifestPrepare[]> = { cargo: [], npm: [] };
  for (const [key, value] of r.map(node, KEY_PREPARE, PREPARE_KEYS) ?? []) {
    const kind = key as PrepareKind;
    if (!isSeq(value)) {
      r.report(value, `${KEY_PREPARE}.${kind}: expected a list`);
      continue;
    }
    const list = prepare[kind];
    (value.items as (Node | null)[]).forEach((item, i) => {
      const entry = readManifestPrepare(r, kind, r.resolve(item) ?? null, `${KEY_PREPARE}.${kind}[${i}]`);
      if (entry !== undefined) list.push(entry);
    });
    r.unique(value, list.map((c) => c.lockfile), `${KEY_PREPARE}.${kind}`);
  }
  return prepare;
}

function readSubimage(r: Reader, name: string, node: Node | null): SubimageConfig | undefined {
  const path = `${KEY_SUBIMAGES}.${name}`;
  let context: string | undefined;
  let dockerfile = 'Dockerfile';
  let target: string | undefined;
  let args: ReadonlyMap<string, string> = new Map();
  const entries = r.map(node, path, SUBIMAGE_KEYS);
  for (const [key, value] of entries ?? []) {
    if (key === 'context') context = r.contextPath(value, `${path}.context`, 'context');
    else if (key === 'dockerfile') {
      dockerfile = r.contextPath(value, `${path}.dockerfile`, 'dockerfile') ?? dockerfile;
      if (dockerfile === '.') r.report(value, `${path}.dockerfile: expected a file, not the context directory`);
    } else if (key === 'target') {
      target = r.string(value, `${path}.target`);
      if (target !== undefined && target !== '' && !STAGE_NAME_RE.test(target)) r.report(value, `${path}.target: invalid stage name ${JSON.stringify(target)}`);
    } else args = r.stringMap(value, `${path}.args`, ARG_NAME_RE, 'build arg name');
  }
  if (context === undefined) {
    if (entries !== undefined && !entries.some(([key]) => key === 'context')) r.report(node, `${path}: context is required`);
    return undefined;
  }
  return { name, context, dockerfile, ...(target !== undefined && target !== '' ? { target } : {}), args };
}

function readSubimages(r: Reader, node: Node | null): Map<string, SubimageConfig> {
  const out = new Map<string, SubimageConfig>();
  for (const [name, value, pair] of r.map(node, KEY_SUBIMAGES) ?? []) {
    if (!SUBIMAGE_NAME_RE.test(name) || name === 'scratch') {
      r.report(pair.key, `${KEY_SUBIMAGES}: invalid sub-image name ${JSON.stringify(name)} (lowercase letters, digits, ".", "_", "-"; not "scratch")`);
      continue;
    }
    const sub = readSubimage(r, name, value);
    if (sub !== undefined) out.set(name, sub);
  }
  return new Map([...out.keys()].sort(compareUtf8).map((k) => [k, out.get(k) as SubimageConfig]));
}

function readPolicy(r: Reader, node: Node | null): GoshConfig['policy'] {
  let policy: GoshConfig['policy'] = {};
  for (const [key, value] of r.map(node, KEY_POLICY, POLICY_KEYS) ?? []) {
    if (key === 'network') {
      // RUN steps of these stages keep their network in prod; the reason is shown as a warning
      const network = r.stringMap(value, `${KEY_POLICY}.network`, /^(?:[A-Za-z][A-Za-z0-9_.-]*|[0-9]+)$/, 'stage name');
      for (const [stage, reason] of network) if (reason.trim() === '') r.report(value, `${KEY_POLICY}.network.${stage}: give the reason this stage needs the network`);
      policy = { ...policy, network };
      continue;
    }
    const registries = r.strings(value, `${KEY_POLICY}.registries`) ?? [];
    for (const registry of registries) {
      const parsed = parseImageRef(`${registry}/gosh-policy-check`);
      if (!parsed.ok || parsed.ref.domain !== registry) r.report(value, `${KEY_POLICY}.registries: invalid registry ${JSON.stringify(registry)} (expected a host[:port] such as docker.io)`);
    }
    r.unique(value, registries, `${KEY_POLICY}.registries`);
    policy = { ...policy, registries };
  }
  return policy;
}

/** Locates a yaml library error: its message without the library's own position suffix. */
function yamlError(file: SourceFile, lines: LineCounter, error: { message: string; pos: [number, number] }): Diagnostic {
  const pos = lines.linePos(error.pos[0]);
  const message = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message;
  return diagnostic('GOSH_YAML_INVALID', `invalid YAML: ${message}`, { file: file.name, range: { startLine: pos.line, endLine: pos.line, startColumn: pos.col } });
}

/**
 * Reads Gosh.yaml. An empty file gives every default.
 * @throws GoshError GOSH_YAML_INVALID with every problem of the file, each at `Gosh.yaml:<line>`
 */
export function parseGoshYaml(file: SourceFile): GoshConfig {
  const lines = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const yamlProblems = [...doc.errors, ...doc.warnings].map((e) => yamlError(file, lines, e));
  if (yamlProblems.length > 0) throw new GoshError(sortDiagnostics(yamlProblems));

  const r = new Reader(file, doc, lines);
  const root = r.resolve(doc.contents);
  let dockerfile: DockerfileSource = { kind: 'path', path: 'Dockerfile' };
  let tag: string | undefined;
  let args: ReadonlyMap<string, string> = new Map();
  let mode: GoshMode | undefined;
  let sbom: GoshConfig['sbom'] = { namespace: DEFAULT_SBOM_NAMESPACE, formats: SBOM_FORMATS };
  let prepare: GoshConfig['prepare'] = { cargo: [], npm: [] };
  let subimages: ReadonlyMap<string, SubimageConfig> = new Map();
  let descriptor: GoshConfig['descriptor'] = {};
  let policy: GoshConfig['policy'] = {};
  const isEmpty = root === null || root === undefined || (isScalar(root) && root.value === null);
  for (const [key, value] of isEmpty ? [] : (r.map(root, '', TOP_KEYS) ?? [])) {
    switch (key) {
      case KEY_DOCKERFILE:
        dockerfile = readDockerfile(r, value) ?? dockerfile;
        break;
      case KEY_TAG: {
        tag = r.string(value, KEY_TAG);
        const parsed = tag === undefined ? undefined : parseImageRef(tag);
        if (parsed !== undefined && !parsed.ok) r.report(value, `${KEY_TAG}: ${parsed.reason}`);
        break;
      }
      case KEY_ARGS:
        args = r.stringMap(value, KEY_ARGS, ARG_NAME_RE, 'build arg name');
        break;
      case KEY_MODE: {
        const text = r.string(value, KEY_MODE);
        if (text !== undefined && !MODES.includes(text as GoshMode)) r.report(value, `${KEY_MODE}: expected ${MODES.join(', ')}, found ${JSON.stringify(text)}`);
        else if (text !== undefined) mode = text as GoshMode;
        break;
      }
      case KEY_SBOM:
        sbom = readSbom(r, value);
        break;
      case KEY_PREPARE:
        prepare = readPrepare(r, value);
        break;
      case KEY_SUBIMAGES:
        subimages = readSubimages(r, value);
        break;
      case KEY_DESCRIPTOR:
        for (const [, v] of r.map(value, KEY_DESCRIPTOR, DESCRIPTOR_KEYS) ?? []) {
          const attestor = r.url(v, `${KEY_DESCRIPTOR}.attestor`);
          descriptor = attestor === undefined ? {} : { attestor };
        }
        break;
      default:
        policy = readPolicy(r, value);
    }
  }
  if (r.diagnostics.length > 0) throw new GoshError(sortDiagnostics(r.diagnostics));
  return {
    file: file.name,
    dockerfile,
    ...(tag !== undefined ? { tag } : {}),
    args,
    ...(mode !== undefined ? { mode } : {}),
    sbom,
    prepare,
    subimages,
    descriptor,
    policy,
    ranges: r.ranges,
  };
}

/** One manifest `prepare:` names, with the key of its `lockfile` line in `ranges`. */
export interface PreparedManifest {
  readonly kind: PrepareKind;
  readonly spec: ManifestPrepare;
  /** `prepare.<kind>[<i>].lockfile` */
  readonly key: string;
}

/** Every manifest `prepare:` names, plugin by plugin, in file order. */
export function preparedManifests(config: GoshConfig | undefined): PreparedManifest[] {
  return PREPARE_KEYS.flatMap((kind) => (config?.prepare[kind] ?? []).map((spec, i) => ({ kind, spec, key: `${KEY_PREPARE}.${kind}[${i}].lockfile` })));
}

/** The error for a named manifest the build context does not have, at its Gosh.yaml line. */
export function missingManifest(config: GoshConfig, manifest: PreparedManifest): Diagnostic {
  return diagnostic('GOSH_YAML_INVALID', `${manifest.key}: ${manifest.spec.lockfile} is not in the build context`, { file: config.file, range: config.ranges.get(manifest.key) });
}
