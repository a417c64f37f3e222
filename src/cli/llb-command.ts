import { canonicalJson } from '../core/canonical.js';
import { fail } from '../core/errors.js';
import { formatPlatform, LINUX_AMD64 } from '../core/platform.js';
import { parseBuildOptions } from '../config/build-options.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { compileDockerfile, requiredImages, type ResolvedImage } from '../compile/compile.js';
import { imageRequestKey } from '../compile/plan.js';
import { definitionToJson } from '../llb/dump.js';
import { parseArgs, repeatFlag, stringFlag, type FlagSpec } from './args.js';
import { readLocalContext } from './context-dir.js';
import { lockedImage, readLlbLockContext } from './llb-lock.js';
import { MODE_BUILD_ARG } from '../lock/mode.js';
import { LLB_USAGE } from './usage.js';

const FLAGS: readonly FlagSpec[] = [
  { name: 'target', kind: 'string' },
  { name: 'build-arg', kind: 'repeat' },
  { name: 'platform', kind: 'string' },
  { name: 'file', kind: 'string', short: 'f' },
  { name: 'label', kind: 'repeat' },
];

/**
 * `gosh llb`: compiles without BuildKit and returns the LLB (ops with digests), the image
 * config and the base images: pinned by the lock (sbom.spdx.json) when there is one, the ones it
 * could not pin offline marked "unresolved". With Gosh.yaml or a lock, the mode and the
 * dependency mounts are those of the frontend.
 */
export function runLlbCommand(argv: readonly string[]): string {
  const args = parseArgs(argv, FLAGS, 'gosh llb');
  if (args.positional.length !== 1) fail('CLI_USAGE', `usage: ${LLB_USAGE}`);
  const opts = new Map<string, string>();
  const filename = stringFlag(args, 'file') ?? 'Dockerfile';
  opts.set('filename', filename);
  const target = stringFlag(args, 'target');
  if (target !== undefined) opts.set('target', target);
  const platform = stringFlag(args, 'platform');
  if (platform !== undefined) opts.set('platform', platform);
  for (const [prefix, list] of [['build-arg:', repeatFlag(args, 'build-arg')], ['label:', repeatFlag(args, 'label')]] as const) {
    for (const kv of list) {
      const eq = kv.indexOf('=');
      if (eq <= 0) fail('CLI_USAGE', `gosh llb: --${prefix.slice(0, -1)} wants KEY=VALUE, got "${kv}"`);
      opts.set(prefix + kv.slice(0, eq), kv.slice(eq + 1));
    }
  }
  const ctx = readLocalContext(args.positional[0] as string, filename);
  const locked = readLlbLockContext(ctx.dir, opts.get(`build-arg:${MODE_BUILD_ARG}`));
  // Gosh.yaml args are defaults, as in the frontend
  for (const [k, v] of locked?.args ?? []) if (!opts.has(`build-arg:${k}`)) opts.set(`build-arg:${k}`, v);
  const options = parseBuildOptions(opts);
  const dockerfile = parseDockerfile(ctx.dockerfile);

  // offline: no registry; an image the lock pins gets its digest, any other stays as written
  const buildPlatform = LINUX_AMD64;
  const images = new Map<string, ResolvedImage>();
  const report: { ref: string; platform: string; status: string; digest?: string }[] = [];
  for (const req of requiredImages(dockerfile, options, buildPlatform)) {
    const pin = lockedImage(locked?.lock, req.ref);
    images.set(imageRequestKey(req.ref, req.platform), pin ?? { ref: req.ref });
    const status = pin !== undefined ? 'pinned-lock' : req.ref.includes('@sha256:') ? 'pinned-inline' : 'unresolved';
    report.push({ ref: req.ref, platform: formatPlatform(req.platform), status, ...(pin !== undefined ? { digest: pin.digest } : {}) });
  }
  const result = compileDockerfile({
    dockerfile,
    options,
    images,
    context: { excludePatterns: ctx.excludePatterns },
    buildPlatform,
    ...(locked !== undefined ? { lockMode: locked.mode } : {}),
    ...(locked?.dependencies !== undefined ? { dependencies: locked.dependencies } : {}),
    ...(locked?.networkExceptions !== undefined ? { networkExceptions: locked.networkExceptions } : {}),
  });
  const definition = result.state.marshal();
  const lockFacts = locked !== undefined ? { mode: locked.mode, dependencies: locked.report } : {};
  return `${canonicalJson({ images: report, ...lockFacts, llb: definitionToJson(definition), config: result.image }, 2)}\n`;
}
