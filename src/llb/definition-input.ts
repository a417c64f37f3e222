// A Definition someone else marshaled (a frontend input, e.g. a bake target passed as a named
// context) turned back into our graph, so our ops can build on it. Each op is decoded and is
// re-encoded by marshal.ts; that must give the very same bytes, or BuildKit would see other ops
// (other digests) than the ones it handed us, so every op is checked here.
import { fail } from '../core/errors.js';
import { sha256Digest, type Digest } from '../core/digest.js';
import type { Platform } from '../core/platform.js';
import { CUSTOM_NAME_KEY, type OpConstraints } from './constraints.js';
import type { Definition } from './definition.js';
import type { Output, Vertex } from './vertex.js';
import { decodeOp, encodeOp, type OpMessage } from './wire.js';

interface WireInput {
  readonly digest?: string;
  readonly index?: number;
}

/**
 * The output a Definition's terminal op names; undefined for an empty Definition (scratch).
 * @throws GoshError GATEWAY when the Definition is malformed or has an op we cannot carry over byte for byte
 */
export function definitionOutput(def: Definition, what: string): Output | undefined {
  if (def.def.length === 0) return undefined;
  const byDigest = new Map<Digest, Uint8Array>();
  for (const bytes of def.def) byDigest.set(sha256Digest(bytes), bytes);
  const terminal = decodeOp(def.def[def.def.length - 1] as Uint8Array);
  const head = ((terminal['inputs'] ?? []) as WireInput[])[0];
  if (head?.digest === undefined) fail('GATEWAY', `${what}: the definition has no terminal op`);
  const built = new Map<string, Vertex>();
  const digests = new Map<Vertex, string>();

  const build = (digest: string, depth: number): Vertex => {
    const known = built.get(digest);
    if (known !== undefined) return known;
    const bytes = byDigest.get(digest as Digest);
    if (bytes === undefined || depth > def.def.length) fail('GATEWAY', `${what}: the definition lacks op ${digest}`);
    const op = decodeOp(bytes);
    const { inputs: rawInputs, platform: rawPlatform, constraints: rawConstraints, ...body } = op;
    const inputs = ((rawInputs ?? []) as WireInput[]).map((i) => ({ vertex: build(i.digest ?? '', depth + 1), index: i.index ?? 0 }));
    const vertex: Vertex = {
      inputs,
      body,
      platformSpecific: rawPlatform !== undefined,
      constraints: constraintsOf(def, digest as Digest, rawPlatform as OpMessage | undefined, rawConstraints as OpMessage | undefined),
      caps: Object.keys(def.metadata[digest as Digest]?.caps ?? {}),
    };
    checkSameBytes(vertex, (v) => digests.get(v) ?? '', digest, what);
    built.set(digest, vertex);
    digests.set(vertex, digest);
    return vertex;
  };
  return { vertex: build(head.digest, 0), index: head.index ?? 0 };
}

function constraintsOf(def: Definition, digest: Digest, platform: OpMessage | undefined, constraints: OpMessage | undefined): OpConstraints {
  const md = def.metadata[digest];
  const { [CUSTOM_NAME_KEY]: customName, ...description } = md?.description ?? {};
  const filter = (constraints?.['filter'] ?? []) as string[];
  return {
    ...(platform !== undefined ? { platform: platformOf(platform) } : {}),
    ...(filter.length > 0 ? { workerConstraints: filter } : {}),
    ...(customName !== undefined ? { customName } : {}),
    ...(Object.keys(description).length > 0 ? { description } : {}),
    ...(md?.ignoreCache === true ? { ignoreCache: true } : {}),
    ...(md?.progressGroup !== undefined ? { progressGroup: md.progressGroup } : {}),
  };
}

function platformOf(p: OpMessage): Platform {
  const variant = p['Variant'] as string | undefined;
  return { os: (p['OS'] as string | undefined) ?? '', architecture: (p['Architecture'] as string | undefined) ?? '', ...(variant !== undefined && variant !== '' ? { variant } : {}) };
}

/** Encodes the op the way marshal.ts will and insists on the original digest. */
function checkSameBytes(vertex: Vertex, digestOf: (v: Vertex) => string, digest: string, what: string): void {
  const inputs = vertex.inputs.map((o) => ({ digest: digestOf(o.vertex), index: o.index }));
  const c = vertex.constraints;
  const op: OpMessage = { inputs, ...vertex.body };
  if (vertex.platformSpecific && c.platform !== undefined) {
    op['platform'] = { Architecture: c.platform.architecture, OS: c.platform.os, ...(c.platform.variant !== undefined ? { Variant: c.platform.variant } : {}) };
  }
  op['constraints'] = { filter: [...(c.workerConstraints ?? [])] };
  if (sha256Digest(encodeOp(op)) !== digest) {
    fail('GATEWAY', `${what}: op ${digest} does not survive re-encoding; this input cannot be built upon`);
  }
}
