// Compiles Dockerfile text the way the frontend does for a subrequest, with every base image
// resolved to a config-less image (no layers known, so FROM still makes an image op).
import { LINUX_AMD64 } from '../../../src/core/platform.js';
import { parseBuildOptions } from '../../../src/config/build-options.js';
import { instructionComments } from '../../../src/dockerfile/comments.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { compileDockerfile, requiredImages, type ResolvedImage } from '../../../src/compile/compile.js';
import { outlineBuild, type Outline } from '../../../src/compile/outline.js';
import { imageRequestKey } from '../../../src/compile/plan.js';
import { listTargets, type BuildTarget } from '../../../src/compile/targets.js';

/** Frontend options as buildx sends them: `target`, `build-arg:NAME`. */
export type Opts = Readonly<Record<string, string>>;

export function outlineOf(text: string, opts: Opts = {}): Outline {
  const options = parseBuildOptions(new Map(Object.entries(opts)));
  const dockerfile = parseDockerfile({ name: 'Dockerfile', text });
  const images = new Map<string, ResolvedImage>();
  for (const r of requiredImages(dockerfile, options, LINUX_AMD64)) images.set(imageRequestKey(r.ref, r.platform), { ref: r.ref });
  const compiled = compileDockerfile({ dockerfile, options, images, context: { excludePatterns: [] }, buildPlatform: LINUX_AMD64 });
  return outlineBuild({ dockerfile, options, buildPlatform: LINUX_AMD64, compiled, comments: instructionComments(dockerfile) });
}

export function targetsOf(text: string): BuildTarget[] {
  const dockerfile = parseDockerfile({ name: 'Dockerfile', text });
  return listTargets(dockerfile, instructionComments(dockerfile));
}

/** `NAME=value@line` per arg, for compact assertions (description left out). */
export function argsOf(outline: Outline): string[] {
  return outline.args.map((a) => `${a.name}=${a.value}@${a.range.startLine}`);
}
