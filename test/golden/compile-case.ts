// Compiles one test/golden/compile/<case>/ directory to the text its expectation file holds.
// Shared by the golden runner and the determinism test (which also runs it in a child process:
// `node --import ./scripts/ts-loader/register.mjs test/golden/compile-case.ts <dir>...`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '../../src/core/canonical.js';
import { formatDiagnostic, isGoshError } from '../../src/core/errors.js';
import { LINUX_AMD64, formatPlatform } from '../../src/core/platform.js';
import { parseBuildOptions } from '../../src/config/build-options.js';
import { parseDockerignore } from '../../src/config/dockerignore.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { compileDockerfile, requiredImages, type ResolvedImage } from '../../src/compile/compile.js';
import { imageRequestKey } from '../../src/compile/plan.js';
import type { ImageConfig } from '../../src/compile/image-config.js';
import { definitionToJson } from '../../src/llb/dump.js';

export const COMPILE_CASES_ROOT = fileURLToPath(new URL('./compile/', import.meta.url));

interface ImagesFile {
  /** normalized ref → what the resolver returns */
  readonly [ref: string]: { readonly digest?: string; readonly config?: ImageConfig; readonly ref?: string };
}

/** Compiles one case directory to the text its expectation file holds. */
export function compileCase(dir: string): { file: 'expect.llb.json' | 'expect.error.txt'; text: string } {
  const read = (name: string): string | undefined => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : undefined);
  const optsJson = JSON.parse(read('options.json') ?? '{}') as Record<string, string>;
  const imagesJson = JSON.parse(read('images.json') ?? '{}') as ImagesFile;
  try {
    const options = parseBuildOptions(new Map(Object.entries(optsJson)));
    const dockerfile = parseDockerfile({ name: 'Dockerfile', text: read('Dockerfile') ?? '' });
    const images = new Map<string, ResolvedImage>();
    for (const req of requiredImages(dockerfile, options, LINUX_AMD64)) {
      const known = imagesJson[req.ref];
      images.set(imageRequestKey(req.ref, req.platform), {
        ref: known?.ref ?? req.ref,
        ...(known?.digest !== undefined ? { digest: known.digest as `sha256:${string}` } : {}),
        ...(known?.config !== undefined ? { config: known.config } : {}),
      });
    }
    const result = compileDockerfile({
      dockerfile,
      options,
      images,
      context: { sessionId: 'golden-session', excludePatterns: parseDockerignore(read('.dockerignore') ?? '') },
      buildPlatform: LINUX_AMD64,
    });
    const llb = definitionToJson(result.state.marshal());
    return { file: 'expect.llb.json', text: `${canonicalJson({ config: result.image, llb, platform: formatPlatform(result.targetPlatform) }, 2)}\n` };
  } catch (e) {
    if (!isGoshError(e)) throw e;
    const lines = e.diagnostics.map((d) => `${d.code} ${formatDiagnostic(d)}`);
    return { file: 'expect.error.txt', text: `${lines.join('\n')}\n` };
  }
}

// child-process entry: print each given case directory's output, as a JSON array
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) throw new Error('usage: compile-case.ts <case dir>...');
  process.stdout.write(JSON.stringify(dirs.map(compileCase)));
}
