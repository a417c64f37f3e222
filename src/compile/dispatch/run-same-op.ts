// BuildKit dedupes an exec op's inputs by digest, not by object: `RUN --mount from=busybox`
// in a `FROM busybox` stage reads the image through the root's input. Our graph holds two
// vertices with the same bytes there (the mount's image stage is named differently), so a
// mount source that is the same op as the root or an earlier source is swapped for that one.
import { sha256Digest } from '../../core/digest.js';
import type { Platform } from '../../core/platform.js';
import { marshalDefinition } from '../../llb/marshal.js';
import type { Output } from '../../llb/vertex.js';

/**
 * Returns a function giving, for each output, the first output seen (the root first) with the
 * same op bytes and output index.
 */
export function sameOpOutputs(root: Output | undefined, platform: Platform): (output: Output) => Output {
  const byKey = new Map<string, Output>();
  let rootSeen = false;
  const key = (output: Output): string => {
    const def = marshalDefinition(output, { defaultPlatform: platform });
    // the terminal op names the head digest and the output index: equal bytes, equal key
    return sha256Digest(def.def[def.def.length - 1] as Uint8Array);
  };
  return (output) => {
    if (!rootSeen) {
      rootSeen = true;
      if (root !== undefined) byKey.set(key(root), root);
    }
    if (root !== undefined && output.vertex === root.vertex && output.index === root.index) return root;
    const k = key(output);
    const known = byKey.get(k);
    if (known !== undefined) return known;
    byKey.set(k, output);
    return output;
  };
}
