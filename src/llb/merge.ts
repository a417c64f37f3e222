import type { OpConstraints } from './constraints.js';
import { inputIndex, type Output, type Vertex } from './vertex.js';

/** Layers `layers` on top of each other, the last winning (BuildKit MergeOp). Scratch layers are skipped. */
export function mergeOp(layers: readonly (Output | undefined)[], constraints: OpConstraints = {}): Output | undefined {
  const present = layers.filter((l): l is Output => l !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  const inputs: Output[] = [];
  const mergeInputs = present.map((l) => ({ input: inputIndex(inputs, l) }));
  const vertex: Vertex = { inputs, body: { merge: { inputs: mergeInputs } }, platformSpecific: false, constraints, caps: ['mergeop'] };
  return { vertex, index: 0 };
}

/** The changes that turn `lower` into `upper` (BuildKit DiffOp); undefined means scratch. */
export function diffOp(lower: Output | undefined, upper: Output | undefined, constraints: OpConstraints = {}): Output {
  const inputs: Output[] = [];
  const lowerIndex = lower !== undefined ? inputIndex(inputs, lower) : -1;
  const upperIndex = upper !== undefined ? inputIndex(inputs, upper) : -1;
  const vertex: Vertex = {
    inputs,
    body: { diff: { lower: { input: lowerIndex }, upper: { input: upperIndex } } },
    platformSpecific: false,
    constraints,
    caps: ['diffop'],
  };
  return { vertex, index: 0 };
}
