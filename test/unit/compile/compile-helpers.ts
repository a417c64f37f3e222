// Compiles Dockerfile text for compile-layer unit tests, with one fake image for every FROM and
// --from, and hands back the decoded ops with their metadata.
import { parseBuildOptions } from '../../../src/config/build-options.js';
import { compileDockerfile, requiredImages, type CompileResult, type ResolvedImage } from '../../../src/compile/compile.js';
import { imageRequestKey } from '../../../src/compile/plan.js';
import { LINUX_AMD64 } from '../../../src/core/platform.js';
import { GoshError } from '../../../src/core/errors.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { definitionToJson } from '../../../src/llb/dump.js';

export const FAKE_DIGEST = `sha256:${'1'.repeat(64)}` as const;

const FAKE_CONFIG = {
  architecture: 'amd64',
  os: 'linux',
  rootfs: { type: 'layers', diff_ids: [`sha256:${'2'.repeat(64)}`] },
  config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
};

export function compileText(text: string, opts: Readonly<Record<string, string>> = {}): CompileResult {
  const options = parseBuildOptions(new Map(Object.entries(opts)));
  const dockerfile = parseDockerfile({ name: 'Dockerfile', text });
  const images = new Map<string, ResolvedImage>();
  for (const req of requiredImages(dockerfile, options, LINUX_AMD64)) {
    images.set(imageRequestKey(req.ref, req.platform), { ref: req.ref, digest: FAKE_DIGEST, config: FAKE_CONFIG });
  }
  return compileDockerfile({ dockerfile, options, images, context: { sessionId: 'unit', excludePatterns: [] }, buildPlatform: LINUX_AMD64 });
}

export interface DumpedOp {
  readonly digest: string;
  readonly op: {
    readonly inputs?: readonly { readonly digest: string; readonly index?: number }[];
    readonly exec?: ExecBody;
    readonly source?: { readonly identifier: string; readonly attrs?: Readonly<Record<string, string>> };
    readonly file?: { readonly actions: readonly Record<string, unknown>[] };
  };
  readonly metadata?: { readonly description?: Readonly<Record<string, string>>; readonly caps?: Readonly<Record<string, boolean>> };
}

export interface ExecBody {
  readonly meta: { readonly args: readonly string[]; readonly env?: readonly string[]; readonly cwd?: string };
  readonly mounts: readonly Record<string, unknown>[];
  readonly network?: string;
  readonly security?: string;
}

export function compiledOps(text: string, opts: Readonly<Record<string, string>> = {}): DumpedOp[] {
  return definitionToJson(compileText(text, opts).state.marshal()).ops as DumpedOp[];
}

/** The exec ops in marshal order (inputs first, so file order within a stage). */
export function execOps(text: string, opts: Readonly<Record<string, string>> = {}): DumpedOp[] {
  return compiledOps(text, opts).filter((o) => o.op.exec !== undefined);
}

export function lastExec(text: string, opts: Readonly<Record<string, string>> = {}): DumpedOp & { op: { exec: ExecBody } } {
  const ops = execOps(text, opts);
  const last = ops[ops.length - 1];
  if (last?.op.exec === undefined) throw new Error('no exec op');
  return last as DumpedOp & { op: { exec: ExecBody } };
}

/** The GoshError compiling `text` throws; fails the test when it compiles. */
export function compileError(text: string, opts: Readonly<Record<string, string>> = {}): GoshError {
  try {
    compileText(text, opts);
  } catch (e) {
    if (e instanceof GoshError) return e;
    throw e;
  }
  throw new Error(`expected a compile error for ${JSON.stringify(text)}`);
}
