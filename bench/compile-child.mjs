// Runs the compile benchmark on the compiled dist/ in a fresh process, so RSS is the compiler's
// own and not the TypeScript loader's. Prints one JSON line.
import { performance } from 'node:perf_hooks';
import { LINUX_AMD64 } from '../dist/core/platform.js';
import { parseBuildOptions } from '../dist/config/build-options.js';
import { parseDockerfile } from '../dist/dockerfile/parse.js';
import { compileDockerfile, requiredImages } from '../dist/compile/compile.js';
import { imageRequestKey } from '../dist/compile/plan.js';

const [text, iterationsArg] = [await new Promise((r) => { let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => r(s)); }), process.argv[2]];
const iterations = Number(iterationsArg ?? '10');
const options = parseBuildOptions(new Map());
const times = [];
let ops = 0;
let rssAfterFirst = 0;
for (let k = 0; k < iterations; k++) {
  const t0 = performance.now();
  const dockerfile = parseDockerfile({ name: 'Dockerfile', text });
  const images = new Map();
  for (const r of requiredImages(dockerfile, options, LINUX_AMD64)) images.set(imageRequestKey(r.ref, r.platform), { ref: r.ref });
  const result = compileDockerfile({ dockerfile, options, images, context: { excludePatterns: [] }, buildPlatform: LINUX_AMD64 });
  ops = result.state.marshal().def.length;
  times.push(performance.now() - t0);
  if (k === 0) rssAfterFirst = process.memoryUsage().rss;
}
process.stdout.write(`${JSON.stringify({ times, ops, rssAfterFirst, rssEnd: process.memoryUsage().rss })}\n`);
