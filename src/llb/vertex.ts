import { canonicalJson } from '../core/canonical.js';
import type { OpConstraints } from './constraints.js';

/**
 * One op of the graph before marshaling. `inputs` are deduplicated and ordered; `body` is the
 * op's oneof content (e.g. `{ exec: {...} }`) with input references already turned into
 * indexes of `inputs`, so marshaling only has to add digests.
 */
export interface Vertex {
  readonly inputs: readonly Output[];
  readonly body: Readonly<Record<string, unknown>>;
  /** only exec and image-like sources carry Op.platform */
  readonly platformSpecific: boolean;
  readonly constraints: OpConstraints;
  /** LLB caps this op needs; they go to OpMetadata.caps */
  readonly caps: readonly string[];
}

/** Output `index` of a vertex. */
export interface Output {
  readonly vertex: Vertex;
  readonly index: number;
}

/** Index of `output` in `inputs`, appending it when new (the same output is one input). */
export function inputIndex(inputs: Output[], output: Output): number {
  const found = inputs.findIndex((o) => o.vertex === output.vertex && o.index === output.index);
  if (found >= 0) return found;
  inputs.push(output);
  return inputs.length - 1;
}

/**
 * inputIndex for exec and file ops, which BuildKit dedupes by digest (client/llb exec.go,
 * fileop.go; merge and diff do not): two vertices built separately with the same content, such
 * as an image used by FROM and by COPY --from, are one input, as in Go's LLB.
 */
export function dedupedInputIndex(inputs: Output[], output: Output): number {
  let found = inputs.findIndex((o) => o.vertex === output.vertex && o.index === output.index);
  if (found < 0) found = inputs.findIndex((o) => o.index === output.index && sameVertex(o.vertex, output.vertex));
  if (found >= 0) return found;
  inputs.push(output);
  return inputs.length - 1;
}

// pairs already found equal, so shared subgraphs are compared once
const knownEqual = new WeakMap<Vertex, WeakSet<Vertex>>();

/**
 * Whether two vertices marshal to the same op bytes whatever platform marshaling defaults to:
 * equal bodies, platforms, worker constraints and (recursively) inputs. Compared structurally
 * rather than by hashing, because unequal vertices (the usual case) differ in their first
 * fields while a hash would serialize whole bodies, env lists included.
 */
function sameVertex(a: Vertex, b: Vertex): boolean {
  if (a === b || knownEqual.get(a)?.has(b) === true) return true;
  if (a.platformSpecific !== b.platformSpecific || a.inputs.length !== b.inputs.length) return false;
  if (a.platformSpecific && !sameValue(a.constraints.platform ?? 'default', b.constraints.platform ?? 'default')) return false;
  if (!sameValue(a.constraints.workerConstraints ?? [], b.constraints.workerConstraints ?? [])) return false;
  if (!sameValue(a.body, b.body)) return false;
  for (let i = 0; i < a.inputs.length; i++) {
    const x = a.inputs[i] as Output;
    const y = b.inputs[i] as Output;
    if (x.index !== y.index || !sameVertex(x.vertex, y.vertex)) return false;
  }
  let set = knownEqual.get(a);
  if (set === undefined) knownEqual.set(a, (set = new WeakSet()));
  set.add(b);
  return true;
}

/** Equality of op body values as canonicalJson would write them (undefined members dropped). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'bigint' || typeof b === 'bigint' ? String(a) === String(b) : false;
  }
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    return ArrayBuffer.isView(a) && ArrayBuffer.isView(b) && Buffer.compare(bytesOf(a), bytesOf(b)) === 0;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return canonicalJson(a) === canonicalJson(b);
  const ra = a as Readonly<Record<string, unknown>>;
  const rb = b as Readonly<Record<string, unknown>>;
  let count = 0;
  for (const k of Object.keys(ra)) {
    const v = ra[k];
    if (v === undefined || typeof v === 'function') continue;
    count++;
    if (!Object.prototype.hasOwnProperty.call(rb, k) || !sameValue(v, rb[k])) return false;
  }
  for (const k of Object.keys(rb)) {
    const v = rb[k];
    if (v !== undefined && typeof v !== 'function') count--;
  }
  return count === 0;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function bytesOf(v: ArrayBufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}
