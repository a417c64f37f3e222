// npm run bench — prints figures, asserts nothing (../shared/design.md: tests never assert time).
//
// (a) wall time of a cached `docker buildx build` of the same small context with the builtin
//     Dockerfile frontend and with gosh (BUILDKIT_SYNTAX=gosh-frontend:dev), interleaved in the
//     same run, and their ratio;
// (b) the frontend's own start-to-Return time. The frontend's stderr lands in the dockerd log
//     (../shared/buildkit-protocol.md section 1), so the bench reads the lines dockerd appended
//     during each gosh build and takes the first JSON line that src/bin/frontend.ts writes for it:
//     pino `log.info({ ms }, 'start-to-return')` (a numeric `startToReturnMs` is accepted too).
// (c) compile time (bench/compile.ts), (d) the CLI's handshake + descriptor (bench/cli.ts), from
//     dist/, and (e) gosh verify on a 10,000-package lock (bench/cli-verify.ts), before (a) and
//     (b), which need the engine; then (f) 300 crates assembled through BuildKit against the host
//     floor (bench/deps.ts).
//
// Environment: GOSH_BENCH_ITERATIONS (default 7), GOSH_DOCKERD_LOG
// (default /var/lib/gosh-provision/dockerd.log), GOSH_FRONTEND_IMAGE. Results also go to
// bench/out/results.json. Exits 0 without measuring when the gosh image is not built yet.
import { mkdir, open, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Frontend } from '../test/helpers/buildx.js';
import { GOSH_FRONTEND_IMAGE, buildx, describeResult, docker, imageExists } from '../test/helpers/buildx.js';
import { repoRoot } from '../test/helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../test/helpers/temp-dir.js';
import { benchCli } from './cli.js';
import { benchVerify } from './cli-verify.js';
import { benchCompile } from './compile.js';
import { benchDeps } from './deps.js';

const ITERATIONS = Math.max(1, Number(process.env['GOSH_BENCH_ITERATIONS'] ?? '7') || 7);
const DOCKERD_LOG = process.env['GOSH_DOCKERD_LOG'] ?? '/var/lib/gosh-provision/dockerd.log';

const CONTEXT: Readonly<Record<string, string>> = {
  Dockerfile: [
    'FROM busybox:local AS build',
    'RUN echo built > /built.txt',
    '',
    'FROM busybox:local',
    'COPY --from=build /built.txt /built.txt',
    'COPY hello.txt /hello.txt',
    'ENV GREETING=hello',
    'WORKDIR /srv',
    'CMD ["cat", "/hello.txt"]',
    '',
  ].join('\n'),
  'hello.txt': 'hello\n',
};

interface Stats {
  readonly n: number;
  readonly minMs: number;
  readonly medianMs: number;
  readonly meanMs: number;
  readonly maxMs: number;
}

function stats(values: readonly number[]): Stats | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    n: sorted.length,
    minMs: sorted[0]!,
    medianMs: median,
    meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    maxMs: sorted[sorted.length - 1]!,
  };
}

function row(label: string, s: Stats | undefined): string {
  if (!s) return `${label.padEnd(34)} n/a`;
  const f = (v: number): string => `${Math.round(v)}`.padStart(6);
  return `${label.padEnd(34)} median ${f(s.medianMs)} ms   min ${f(s.minMs)}   mean ${f(s.meanMs)}   max ${f(s.maxMs)}   (n=${s.n})`;
}

async function logSize(): Promise<number | undefined> {
  try {
    return (await stat(DOCKERD_LOG)).size;
  } catch {
    return undefined;
  }
}

/** The dockerd log bytes appended since `from`. */
async function logSince(from: number): Promise<string> {
  const fh = await open(DOCKERD_LOG, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.max(0, size - from));
    await fh.read(buf, 0, buf.length, from);
    return buf.toString('utf8');
  } finally {
    await fh.close();
  }
}

/** The first start-to-Return figure in the frontend's JSON log lines. */
function startToReturn(text: string): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith('{') || !(line.includes('start-to-return') || line.includes('startToReturnMs'))) continue;
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      const value = record['msg'] === 'start-to-return' ? record['ms'] : record['startToReturnMs'];
      if (typeof value === 'number') return value;
    } catch {
      // not ours (dockerd logs text lines; other frontends may log JSON)
    }
  }
  return undefined;
}

async function main(): Promise<number> {
  const info = await docker(['info', '--format', '{{.ServerVersion}}']);
  if (info.exitCode !== 0) {
    console.log(`bench: no docker engine (run scripts/provision.sh)\n${describeResult(info, 5)}`);
    return 1;
  }
  if (!(await imageExists(GOSH_FRONTEND_IMAGE))) {
    console.log(`bench: ${GOSH_FRONTEND_IMAGE} is not built yet (scripts/pack-frontend.sh); nothing to measure`);
    return 0;
  }
  const imageSize = await docker(['image', 'ls', '--format', '{{.Size}}', GOSH_FRONTEND_IMAGE]);
  const imageSizeText = imageSize.stdout.trim().split('\n')[0] ?? '?';

  const work = await makeTempDir('bench');
  try {
    const ctx = join(work, 'ctx');
    await mkdir(ctx, { recursive: true });
    for (const [name, content] of Object.entries(CONTEXT)) await writeFile(join(ctx, name), content);

    let n = 0;
    const build = async (frontend: Frontend): Promise<{ ms: number; ok: boolean; frontendMs?: number; error?: string }> => {
      const before = frontend === 'gosh' ? await logSize() : undefined;
      const r = await buildx(ctx, { frontend, output: { type: 'local', dest: join(work, `out-${n++}`) } });
      let frontendMs: number | undefined;
      if (before !== undefined) frontendMs = startToReturn(await logSince(before));
      return {
        ms: r.durationMs,
        ok: r.exitCode === 0,
        ...(frontendMs !== undefined ? { frontendMs } : {}),
        ...(r.exitCode !== 0 ? { error: describeResult(r, 15) } : {}),
      };
    };

    console.log(`bench: engine ${info.stdout.trim()}, ${GOSH_FRONTEND_IMAGE} ${imageSizeText} unpacked, ${ITERATIONS} iterations`);
    // warm-up: fills the cache; the first gosh build also pays for the first frontend container
    const warmBuiltin = await build('builtin');
    if (!warmBuiltin.ok) {
      console.log(`bench: the builtin build fails, nothing to compare\n${warmBuiltin.error ?? ''}`);
      return 1;
    }
    const firstGosh = await build('gosh');
    if (!firstGosh.ok) {
      console.log(`bench: the gosh build fails (frontend incomplete?), only builtin is measured\n${firstGosh.error ?? ''}`);
    }

    const builtinMs: number[] = [];
    const goshMs: number[] = [];
    const frontendMs: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const b = await build('builtin');
      if (b.ok) builtinMs.push(b.ms);
      if (firstGosh.ok) {
        const g = await build('gosh');
        if (g.ok) goshMs.push(g.ms);
        if (g.frontendMs !== undefined) frontendMs.push(g.frontendMs);
      }
    }

    const sb = stats(builtinMs);
    const sg = stats(goshMs);
    const sf = stats(frontendMs);
    console.log('');
    console.log('(a) cached build, local output, wall time of docker buildx build');
    console.log(row('  builtin dockerfile.v0', sb));
    console.log(row('  gosh', sg));
    if (firstGosh.ok) console.log(`  first gosh build after warm-up:   ${Math.round(firstGosh.ms)} ms`);
    if (sb && sg) {
      console.log(`  ratio gosh/builtin (median):      ${(sg.medianMs / sb.medianMs).toFixed(2)}x   (+${Math.round(sg.medianMs - sb.medianMs)} ms)`);
    }
    console.log('');
    console.log('(b) frontend start-to-Return, as the frontend logs it to the dockerd log ("start-to-return")');
    if (firstGosh.frontendMs !== undefined) {
      console.log(`  first gosh build after warm-up:   ${firstGosh.frontendMs} ms`);
    }
    if (sf) console.log(row('  gosh frontend', sf));
    else if (firstGosh.frontendMs !== undefined) console.log('  (no further gosh builds: the first one failed)');
    else if ((await logSize()) === undefined) console.log(`  n/a: cannot read ${DOCKERD_LOG}`);
    else console.log(`  n/a: no "start-to-return" JSON line in ${DOCKERD_LOG} during the gosh builds`);

    const outDir = resolve(repoRoot, 'bench/out');
    await mkdir(outDir, { recursive: true });
    const results = {
      iterations: ITERATIONS,
      image: GOSH_FRONTEND_IMAGE,
      imageSize: imageSizeText,
      builtin: sb ?? null,
      gosh: sg ?? null,
      firstGoshMs: firstGosh.ok ? firstGosh.ms : null,
      firstGoshStartToReturnMs: firstGosh.frontendMs ?? null,
      ratioMedian: sb && sg ? sg.medianMs / sb.medianMs : null,
      frontendStartToReturn: sf ?? null,
    };
    await writeFile(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwritten: ${join(outDir, 'results.json')}`);
    return 0;
  } finally {
    await removeTempDir(work);
  }
}

benchCompile();
console.log('');
benchCli();
console.log('');
await benchVerify();
console.log('');
process.exitCode = await main();
console.log('');
// (f) needs the engine and the frontend image, like (a) and (b)
await benchDeps();
