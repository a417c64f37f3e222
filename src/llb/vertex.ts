import { canonicalJson } from '../core/canonical.js';
import { sha256Digest } from '../core/digest.js';
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
  if (found < 0) found = inputs.findIndex((o) => o.index === output.index && vertexKey(o.vertex) === vertexKey(output.vertex));
  if (found >= 0) return found;
  inputs.push(output);
  return inputs.length - 1;
}

const vertexKeys = new WeakMap<Vertex, string>();

/**
 * A hash of what goes into a vertex's op bytes (body, inputs, platform, worker constraints):
 * equal keys mean equal digests whatever platform marshaling defaults to.
 */
function vertexKey(vertex: Vertex): string {
  let key = vertexKeys.get(vertex);
  if (key === undefined) {
    key = sha256Digest(
      canonicalJson({
        body: vertex.body,
        inputs: vertex.inputs.map((o) => [vertexKey(o.vertex), o.index]),
        platform: vertex.platformSpecific ? (vertex.constraints.platform ?? 'default') : 'none',
        workers: vertex.constraints.workerConstraints ?? [],
      }),
    );
    vertexKeys.set(vertex, key);
  }
  return key;
}
