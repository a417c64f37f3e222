import { canonicalJson } from '../core/canonical.js';
import { sha256Digest } from '../core/digest.js';
import { fileOp } from '../llb/file.js';
import { marshalDefinition } from '../llb/marshal.js';
import type { GatewayClient } from '../gateway/client.js';
import type { Definition } from '../llb/definition.js';
import type { ReturnResult } from '../gateway/client-types.js';

/** `--build-arg GOSH_DEBUG=builtin-llb`: return the builtin frontend's LLB instead of building. */
export const DEBUG_BUILD_ARG = 'build-arg:GOSH_DEBUG';
export const DEBUG_BUILTIN_LLB = 'builtin-llb';
/** both frontends' LLB from one session: `{builtin: ops, gosh: ops}` */
export const DEBUG_LLB_PAIR = 'llb-pair';
const BUILTIN_FRONTEND = 'dockerfile.v0';
export const CAPTURE_FILENAME = 'builtin-llb.json';

/**
 * Asks BuildKit's own Dockerfile frontend to convert the same Dockerfile and returns its op bytes
 * (base64, in its order) as a file, so tests can hold Go's LLB as a fixture. `cmdline` stays in
 * the options: without it dockerfile.v0 would see the syntax directive and forward back to us.
 */
export async function captureBuiltinLlb(
  client: GatewayClient,
  frontendOpts: ReadonlyMap<string, string>,
  ours?: readonly Definition[],
): Promise<ReturnResult> {
  const opts: Record<string, string> = {};
  for (const [k, v] of frontendOpts) {
    if (k === 'source' || k === DEBUG_BUILD_ARG || k === 'build-arg:BUILDKIT_SYNTAX' || k.startsWith('attest:')) continue;
    opts[k] = v;
  }
  if (opts['cmdline'] === undefined) opts['cmdline'] = 'gosh-capture';
  const solved = await client.solve({ frontend: BUILTIN_FRONTEND, frontendOpt: opts });
  // a multi-platform result has one ref per platform: every platform's ops, in platform order
  const defs = solved.ref !== undefined ? [solved.ref.definition] : Object.keys(solved.refs ?? {}).sort().map((p) => solved.refs?.[p]?.definition);
  const ops = defs.flatMap(opList);
  const text = `${canonicalJson({ frontend: BUILTIN_FRONTEND, ops, ...(ours !== undefined ? { gosh: ours.flatMap(opList) } : {}) }, 2)}\n`;
  const file = fileOp(undefined, [{ kind: 'mkfile', path: `/${CAPTURE_FILENAME}`, mode: 0o644, data: new TextEncoder().encode(text) }], {
    customName: '[gosh] capture builtin LLB',
  });
  const result = await client.solve({ definition: marshalDefinition(file) });
  return { ref: result.ref?.id ?? '', metadata: {} };
}

/** Each op's digest and bytes; `ignoreCache` too when its metadata sets it (`--no-cache`). */
function opList(def: Definition | undefined): { digest: string; base64: string; ignoreCache?: true }[] {
  return (def?.def ?? []).map((bytes) => {
    const digest = sha256Digest(bytes);
    return { digest, base64: Buffer.from(bytes).toString('base64'), ...(def?.metadata[digest]?.ignoreCache === true ? { ignoreCache: true as const } : {}) };
  });
}
