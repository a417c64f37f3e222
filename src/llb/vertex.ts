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

/** Index of `output` in `inputs`, appending it when new (BuildKit dedupes equal inputs). */
export function inputIndex(inputs: Output[], output: Output): number {
  const found = inputs.findIndex((o) => o.vertex === output.vertex && o.index === output.index);
  if (found >= 0) return found;
  inputs.push(output);
  return inputs.length - 1;
}
