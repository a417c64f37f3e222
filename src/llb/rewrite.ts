import type { Output, Vertex } from './vertex.js';

/**
 * Returns `root` with every use of `placeholder` (an output created before its real value was
 * known, like the build context whose followpaths depend on all COPYs) replaced by
 * `replacement`. Vertices that do not depend on the placeholder are kept as they are.
 */
export function replaceOutput(root: Output | undefined, placeholder: Vertex, replacement: Output | undefined): Output | undefined {
  if (root === undefined) return undefined;
  const memo = new Map<Vertex, Vertex | 'self'>();
  const visit = (v: Vertex): Vertex | 'self' => {
    const known = memo.get(v);
    if (known !== undefined) return known;
    if (v === placeholder) return 'self';
    let changed = false;
    const inputs = v.inputs.map((o) => {
      const r = visit(o.vertex);
      if (r === 'self') {
        changed = true;
        if (replacement === undefined) throw new Error('cannot replace a used input with scratch');
        return replacement;
      }
      if (r !== o.vertex) changed = true;
      return { vertex: r, index: o.index };
    });
    const out = changed ? { ...v, inputs } : v;
    memo.set(v, out);
    return out;
  };
  const r = visit(root.vertex);
  if (r === 'self') return replacement;
  return { vertex: r, index: root.index };
}
