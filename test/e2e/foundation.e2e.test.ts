// Issue 3's end-to-end proof: our frontend builds Dockerfiles through the real engine with the same
// results as BuildKit's own Dockerfile frontend, shows located errors, and emits stable LLB.
import { readFile, mkdir, writeFile, cp } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildx, describeResult, expectSuccess } from '../helpers/buildx.js';
import { caseBuildOptions, formatDifferential, listCases, runDifferential } from '../helpers/differential.js';
import { repoRoot } from '../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';

const FOUNDATION = join(repoRoot, 'test/e2e/cases/foundation');
const GOLDEN_CASES = join(repoRoot, 'test/golden/compile');

interface LlbPair {
  readonly ops: readonly { digest: string; ignoreCache?: true }[];
  readonly gosh: readonly { digest: string; ignoreCache?: true }[];
}

async function withContext<T>(name: string, dockerfile: string, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await makeTempDir(name);
  try {
    await writeFile(join(dir, 'Dockerfile'), dockerfile);
    return await run(dir);
  } finally {
    await removeTempDir(dir);
  }
}

describe('gosh frontend vs the builtin Dockerfile frontend', () => {
  it('builds a multi-stage Dockerfile using every supported instruction to the same config and files', async () => {
    const result = await runDifferential(FOUNDATION);
    expect(result.ok, formatDifferential(result)).toBe(true);
    expect(result.right.config?.config.User).toBe('1000:1000');
    expect(result.right.tree?.some((e) => e.path === 'app/out.txt')).toBe(true);
  });

  // Go's ops and ours from one session: same bytes means same cache keys and same results.
  const parityCases: [string, string[]][] = [
    ['multistage-hello', []],
    ['copy-flags', []],
    ['shell-and-exec', []],
    ['arg-expansion', []],
    ['target-selection', []],
    ['scratch-base', []],
    ['dockerignore', []],
    // frontend options buildx turns into add-hosts, shm-size, ulimit, force-network-mode, no-cache
    ['run-options', ['--add-host', 'h1:10.0.0.1', '--shm-size', '64m', '--ulimit', 'nofile=1024:2048', '--network', 'none', '--no-cache-filter', 'a']],
  ];
  for (const [name, extraArgs] of parityCases) {
    it(`emits the same op bytes as dockerfile.v0: ${name}`, async () => {
      const dir = await makeTempDir(`parity-${name}`);
      try {
        await cp(join(GOLDEN_CASES, name), dir, { recursive: true });
        await writeFile(join(dir, 'a.txt'), 'a\n');
        await mkdir(join(dir, 'b'), { recursive: true });
        await writeFile(join(dir, 'b/c'), 'c\n');
        await writeFile(join(dir, 'hello.txt'), 'hello\n');
        await writeFile(join(dir, 'greeting.txt'), 'gosh\n');
        const options = JSON.parse(await readFile(join(dir, 'options.json'), 'utf8').catch(() => '{}')) as Record<string, string>;
        const buildArgs: Record<string, string> = { GOSH_DEBUG: 'llb-pair' };
        if (extraArgs.length === 0) for (const [k, v] of Object.entries(options)) if (k.startsWith('build-arg:')) buildArgs[k.slice(10)] = v;
        const out = join(dir, '.out');
        const r = await buildx(dir, {
          frontend: 'gosh',
          buildArgs,
          ...(options['target'] !== undefined ? { target: options['target'] } : {}),
          extraArgs,
          output: { type: 'local', dest: out },
        });
        expectSuccess(r);
        const pair = JSON.parse(await readFile(join(out, 'builtin-llb.json'), 'utf8')) as LlbPair;
        expect(pair.ops.length).toBeGreaterThan(1);
        expect(pair.gosh.map((o) => o.digest).sort()).toEqual(pair.ops.map((o) => o.digest).sort());
      } finally {
        await removeTempDir(dir);
      }
    });
  }
});

// The frontend-option differential cases (cases/differential/opt-*) once more, as LLB: the
// options must reach the same op bytes (every platform's, for several), and --no-cache the same
// ignore-cache metadata. Cases that fail are left to the differential run.
const optionCases = (await listCases()).filter((c) => c.name.startsWith('opt-') && c.spec.expectFailure === undefined);
describe('frontend options: same LLB as dockerfile.v0', () => {
  for (const c of optionCases) {
    it(c.name, async () => {
      const dir = await makeTempDir(`parity-${c.name}`);
      try {
        const options = await caseBuildOptions(c, dir);
        const out = join(dir, 'out');
        const r = await buildx(c.dir, {
          ...options,
          frontend: 'gosh',
          buildArgs: { ...options.buildArgs, GOSH_DEBUG: 'llb-pair' },
          output: { type: 'local', dest: out },
        });
        expectSuccess(r);
        const pair = JSON.parse(await readFile(join(out, 'builtin-llb.json'), 'utf8')) as LlbPair;
        const key = (o: { digest: string; ignoreCache?: true }): string => `${o.digest}${o.ignoreCache ? ' ignore-cache' : ''}`;
        expect(pair.ops.length).toBeGreaterThan(0);
        expect(pair.gosh.map(key).sort()).toEqual(pair.ops.map(key).sort());
        if (c.spec.noCache === true) expect(pair.gosh.some((o) => o.ignoreCache)).toBe(true);
      } finally {
        await removeTempDir(dir);
      }
    });
  }
});

describe('errors point at the Dockerfile line', () => {
  it('a failing RUN shows its line', async () => {
    await withContext('fail-run', 'FROM busybox:local\nRUN echo fine\nRUN echo broken && exit 3\n', async (dir) => {
      const r = await buildx(dir, { frontend: 'gosh' });
      expect(r.exitCode, describeResult(r)).not.toBe(0);
      expect(r.stderr).toContain('Dockerfile:3');
      expect(r.stderr).toContain('>>> RUN echo broken && exit 3');
      expect(r.stderr).toContain('exit code: 3');
    });
  });

  it('an invalid flag value is a located error, not ignored', async () => {
    await withContext('invalid-flag-value', 'FROM busybox:local\n\nRUN --mount=type=cache,target=/c,size=1g true\n', async (dir) => {
      const r = await buildx(dir, { frontend: 'gosh' });
      expect(r.exitCode, describeResult(r)).not.toBe(0);
      expect(r.stderr).toContain('Dockerfile:3');
      expect(r.stderr).toContain("RUN: --mount: unexpected key 'size' for mount type 'cache'");
    });
  });

  it('an unknown instruction is a located error', async () => {
    await withContext('unknown-instruction', 'FROM busybox:local\nRUN true\nFROBNICATE now\n', async (dir) => {
      const r = await buildx(dir, { frontend: 'gosh' });
      expect(r.exitCode, describeResult(r)).not.toBe(0);
      expect(r.stderr).toContain('Dockerfile:3');
    });
  });
});

describe('determinism', () => {
  it('a second identical build has every step cached', async () => {
    const dir = await makeTempDir('cached');
    try {
      await cp(FOUNDATION, dir, { recursive: true });
      await writeFile(join(dir, 'greeting.txt'), `cache-probe-${process.pid}\n`);
      const first = await buildx(dir, { frontend: 'gosh', output: { type: 'local', dest: join(dir, '.out1') } });
      expectSuccess(first);
      const second = await buildx(dir, { frontend: 'gosh', output: { type: 'local', dest: join(dir, '.out2') } });
      expectSuccess(second);
      // every step vertex ([stage i/n] …) but the image sources is CACHED the second time
      const steps = [...second.stderr.matchAll(/^#(\d+) \[(?:build|stage-\d+) +\d+\/\d+\] (?!FROM ).*$/gm)].map((m) => m[1]);
      expect(steps.length).toBeGreaterThan(3);
      for (const id of steps) expect(second.stderr, `step #${id} was not cached`).toMatch(new RegExp(`^#${id} CACHED$`, 'm'));
    } finally {
      await removeTempDir(dir);
    }
  });
});
