import { compareUtf8 } from '../core/canonical.js';
import { sha256Digest, type Digest } from '../core/digest.js';
import { LINUX_AMD64, type Platform } from '../core/platform.js';
import type { SourceFile } from '../core/source.js';
import { CUSTOM_NAME_KEY, type OpConstraints } from './constraints.js';
import type { Definition, LineRange, OpMetadata, SourceInfo, SourceLocation as PbLocation } from './definition.js';
import type { Output, Vertex } from './vertex.js';
import { createOpEncoder, type OpMessage } from './wire.js';

export interface MarshalOptions {
  /** used for ops whose constraints name no platform */
  readonly defaultPlatform?: Platform;
}

interface Marshaled {
  readonly digest: Digest;
  readonly bytes: Uint8Array;
}

// caps named after solver/pb/caps.go; the terminal op always declares these two
const CAP_CONSTRAINTS = 'constraints';
const CAP_PLATFORM = 'platform';
const CAP_META_IGNORE_CACHE = 'meta.ignorecache';
const CAP_META_DESCRIPTION = 'meta.description';

/**
 * Walks the graph inputs-first and produces BuildKit's Definition: each distinct op once,
 * the terminal op (naming `output`) last, metadata and source map keyed by op digest.
 * A scratch result (no output) gives an empty Definition, which BuildKit solves to nothing.
 */
export function marshalDefinition(output: Output | undefined, options: MarshalOptions = {}): Definition {
  if (output === undefined) return { def: [], metadata: {} };
  const walk = new Walk(options.defaultPlatform ?? LINUX_AMD64);
  const head = walk.visit(output.vertex);
  const terminal = walk.encode({ inputs: [{ digest: head.digest, index: output.index }] });
  const terminalDigest = sha256Digest(terminal);
  walk.add(terminalDigest, terminal);

  const caps: Record<string, boolean> = { [CAP_CONSTRAINTS]: true, [CAP_PLATFORM]: true };
  for (const md of walk.metadata.values()) {
    if (md.ignoreCache === true) caps[CAP_META_IGNORE_CACHE] = true;
    if (md.description !== undefined) caps[CAP_META_DESCRIPTION] = true;
  }
  walk.mergeMetadata(terminalDigest, { caps: sortRecord(caps) });

  const metadata: Record<Digest, OpMetadata> = {};
  for (const key of [...walk.metadata.keys()].sort(compareUtf8)) metadata[key] = walk.metadata.get(key) as OpMetadata;
  const source = walk.sourceMap();
  return { def: walk.ops, metadata, ...(source !== undefined ? { source } : {}) };
}

class Walk {
  readonly ops: Uint8Array[] = [];
  readonly metadata = new Map<Digest, OpMetadata>();
  private readonly seenDigests = new Set<Digest>();
  private readonly done = new Map<Vertex, Marshaled>();
  private readonly files: { file: SourceFile; language: string | undefined }[] = [];
  private readonly locations = new Map<Digest, PbLocation[]>();
  readonly encode: (op: OpMessage) => Uint8Array = createOpEncoder();

  constructor(private readonly defaultPlatform: Platform) {}

  visit(vertex: Vertex): Marshaled {
    const known = this.done.get(vertex);
    if (known !== undefined) return known;
    const inputs = vertex.inputs.map((o) => ({ digest: this.visit(o.vertex).digest, index: o.index }));
    const c = vertex.constraints;
    const op: Record<string, unknown> = { inputs, ...vertex.body };
    if (vertex.platformSpecific) op['platform'] = platformMessage(c.platform ?? this.defaultPlatform);
    // Go's llb always writes an (often empty) constraints message; keep its bytes
    op['constraints'] = c.workerConstraints !== undefined && c.workerConstraints.length > 0 ? { filter: [...c.workerConstraints] } : NO_WORKER_CONSTRAINTS;
    const bytes = this.encode(op);
    const digest = sha256Digest(bytes);
    this.add(digest, bytes);
    this.mergeMetadata(digest, opMetadata(c, vertex.caps));
    this.addLocations(digest, c);
    const result = { digest, bytes };
    this.done.set(vertex, result);
    return result;
  }

  add(digest: Digest, bytes: Uint8Array): void {
    if (this.seenDigests.has(digest)) return;
    this.seenDigests.add(digest);
    this.ops.push(bytes);
  }

  mergeMetadata(digest: Digest, md: OpMetadata): void {
    const prev = this.metadata.get(digest);
    if (prev === undefined) {
      this.metadata.set(digest, md);
      return;
    }
    const description = prev.description !== undefined || md.description !== undefined
      ? sortRecord({ ...prev.description, ...md.description })
      : undefined;
    const caps = prev.caps !== undefined || md.caps !== undefined ? sortRecord({ ...prev.caps, ...md.caps }) : undefined;
    this.metadata.set(digest, {
      ...prev,
      ...md,
      ...(prev.ignoreCache === true || md.ignoreCache === true ? { ignoreCache: true } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(caps !== undefined ? { caps } : {}),
    });
  }

  private addLocations(digest: Digest, c: OpConstraints): void {
    for (const loc of c.sourceLocations ?? []) {
      let index = this.files.findIndex((f) => f.file.name === loc.file.name && f.file.text === loc.file.text);
      if (index < 0) {
        index = this.files.length;
        this.files.push({ file: loc.file, language: loc.language });
      }
      const ranges: LineRange[] = loc.ranges.map((r) => ({
        start: { line: r.startLine, ...(r.startColumn !== undefined ? { character: r.startColumn - 1 } : {}) },
        end: { line: r.endLine, ...(r.endColumn !== undefined ? { character: r.endColumn - 1 } : {}) },
      }));
      const list = this.locations.get(digest) ?? [];
      list.push({ sourceIndex: index, ranges });
      this.locations.set(digest, list);
    }
  }

  sourceMap(): Definition['source'] {
    if (this.files.length === 0) return undefined;
    const infos: SourceInfo[] = this.files.map(({ file, language }) => ({
      filename: file.name,
      data: new TextEncoder().encode(file.text),
      ...(language !== undefined ? { language } : {}),
    }));
    const locations: Record<Digest, PbLocation[]> = {};
    for (const key of [...this.locations.keys()].sort(compareUtf8)) locations[key] = this.locations.get(key) as PbLocation[];
    return { infos, locations };
  }
}

function opMetadata(c: OpConstraints, caps: readonly string[]): OpMetadata {
  // records are built in key order rather than copied and sorted: this runs for every op
  const descKeys = c.description !== undefined ? Object.keys(c.description) : [];
  if (c.customName !== undefined && !descKeys.includes(CUSTOM_NAME_KEY)) descKeys.push(CUSTOM_NAME_KEY);
  let description: Record<string, string> | undefined;
  if (descKeys.length > 0) {
    description = {};
    for (const k of descKeys.sort(compareUtf8)) {
      description[k] = k === CUSTOM_NAME_KEY && c.customName !== undefined ? c.customName : (c.description?.[k] as string);
    }
  }
  let capRecord: Record<string, boolean> | undefined;
  if (caps.length > 0) {
    capRecord = {};
    for (const cap of [...caps].sort(compareUtf8)) capRecord[cap] = true;
  }
  const md: { -readonly [K in keyof OpMetadata]: OpMetadata[K] } = {};
  if (c.ignoreCache === true) md.ignoreCache = true;
  if (description !== undefined) md.description = description;
  if (capRecord !== undefined) md.caps = capRecord;
  if (c.progressGroup !== undefined) md.progressGroup = c.progressGroup;
  return md;
}

const NO_WORKER_CONSTRAINTS: Readonly<Record<string, unknown>> = Object.freeze({ filter: Object.freeze([]) });

// platforms are shared by every op of a stage: one message each
const platformMessages = new WeakMap<Platform, Readonly<Record<string, unknown>>>();

function platformMessage(p: Platform): Readonly<Record<string, unknown>> {
  let message = platformMessages.get(p);
  if (message === undefined) {
    message = { Architecture: p.architecture, OS: p.os, ...(p.variant !== undefined ? { Variant: p.variant } : {}) };
    platformMessages.set(p, message);
  }
  return message;
}

function sortRecord<V>(rec: Readonly<Record<string, V>>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(rec).sort(compareUtf8)) out[k] = rec[k] as V;
  return out;
}
