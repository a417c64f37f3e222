// One runner for test/golden/compile/<case>/: Dockerfile [+ options.json, images.json,
// .dockerignore] → expect.llb.json (LLB dump + image config) or expect.error.txt.
import { describe, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
import { expectGolden } from '../helpers/golden.js';

const ROOT = fileURLToPath(new URL('./compile/', import.meta.url));

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

const cases = existsSync(ROOT) ? readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];

describe('compile goldens', () => {
  it('has cases', () => {
    if (cases.length === 0) throw new Error('no compile golden cases found');
  });
  for (const name of cases) {
    it(name, () => {
      const dir = join(ROOT, name);
      const { file, text } = compileCase(dir);
      const other = file === 'expect.llb.json' ? 'expect.error.txt' : 'expect.llb.json';
      if (existsSync(join(dir, other)) && process.env['UPDATE_GOLDEN'] !== '1') {
        throw new Error(`${name}: expected ${other} but the case produced ${file}:\n${text}`);
      }
      expectGolden(join(dir, file), text);
    });
  }
});
