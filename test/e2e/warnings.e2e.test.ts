// Warnings as a user of `docker buildx build` sees them: BuildKit v0.13.2's Dockerfile frontend
// warns about empty continuation lines only (not about MAINTAINER, not about unused build args);
// we must give the same warnings, the same "N warnings found" summary and, with --debug, the same
// detail, link and Dockerfile snippet. The Dockerfiles are the warn-* differential cases (the
// differential suite checks that both frontends build the same image from them).
//
// The `#N WARN:` line under a vertex is not compared for gosh: buildx prints it only when the
// warning arrives before it prints that vertex as done, and the Dockerfile load vertex BuildKit
// (and we) attach warnings to was completed by the builtin frontend before it forwarded to our
// image — as for any frontend image (# syntax=…). The summary lists every warning either way.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildx, buildxArgs, describeResult, docker, type BuildxOptions, type CommandResult, type Frontend } from '../helpers/buildx.js';
import { DIFFERENTIAL_CASES_DIR, loadCase, type DifferentialCase } from '../helpers/differential.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';

const FRONTENDS: readonly Frontend[] = ['builtin', 'gosh'];
const ANSI = /\x1b\[[0-9;]*m/g;

interface Shown {
  /** the text after `#N WARN: ` */
  readonly vertexWarnings: readonly string[];
  /** the name of each vertex a warning was shown on */
  readonly vertices: readonly string[];
  /** "1 warning found (use --debug to expand):", or '' */
  readonly summary: string;
  /** the ` - <short>` lines of the summary */
  readonly warnings: readonly string[];
  /** with --debug: everything from the summary on */
  readonly details: string;
}

/** The warnings in buildx's plain progress output. */
function shownWarnings(stderr: string): Shown {
  const text = stderr.replace(ANSI, '');
  const names = new Map<string, string>();
  const vertexWarnings: string[] = [];
  const vertices: string[] = [];
  for (const line of text.split('\n')) {
    const named = /^#(\d+) (\[.*)$/.exec(line);
    if (named !== null && !names.has(named[1] as string)) names.set(named[1] as string, named[2] as string);
    const warn = /^#(\d+) WARN: (.*)$/.exec(line);
    if (warn !== null) {
      vertexWarnings.push(warn[2] as string);
      vertices.push(names.get(warn[1] as string) ?? `#${warn[1] as string}`);
    }
  }
  const at = text.search(/\d+ warnings? found/);
  const details = at < 0 ? '' : text.slice(at);
  const warnings = details.split('\n').flatMap((l) => (l.startsWith(' - ') ? [l.slice(3)] : []));
  return { vertexWarnings, vertices, summary: details.split('\n')[0] ?? '', warnings, details };
}

async function build(c: DifferentialCase, frontend: Frontend, debug = false): Promise<CommandResult> {
  const options: BuildxOptions = { frontend, ...(c.spec.buildArgs !== undefined ? { buildArgs: c.spec.buildArgs } : {}) };
  const result = debug ? await docker(['--debug', ...buildxArgs(c.dir, options)]) : await buildx(c.dir, options);
  expect(result.exitCode, describeResult(result)).toBe(0);
  return result;
}

const cases = new Map<string, DifferentialCase>();
beforeAll(async () => {
  for (const name of ['warn-empty-continuation', 'warn-ignored-flags', 'warn-maintainer-unused-arg']) {
    cases.set(name, await loadCase(join(DIFFERENTIAL_CASES_DIR, name)));
  }
});
const get = (name: string): DifferentialCase => {
  const c = cases.get(name);
  if (c === undefined) throw new Error(`no case ${name}`);
  return c;
};

describe('warnings: builtin vs gosh', () => {
  it('empty continuation lines: the same warnings and summary; BuildKit shows them on the Dockerfile load vertex', async () => {
    const c = get('warn-empty-continuation');
    const [builtin, gosh] = await Promise.all(FRONTENDS.map(async (f) => shownWarnings((await build(c, f)).stderr)));
    expect(builtin?.warnings).toEqual([
      'Empty continuation line found in: RUN echo a   b > /run.txt',
      'Empty continuation line found in: RUN cat   <<EOF > /heredoc.txt',
      'Empty continuation line found in: ENV A=1   B=2',
    ]);
    expect(gosh?.warnings).toEqual(builtin?.warnings);
    expect(builtin?.vertexWarnings).toEqual(builtin?.warnings);
    expect(builtin?.vertices).toEqual(Array(3).fill('[internal] load build definition from Dockerfile'));
    // when buildx does show ours under a vertex, it is that one
    for (const v of gosh?.vertices ?? []) expect(v).toBe('[internal] load build definition from Dockerfile');
    expect(builtin?.summary).toBe('3 warnings found (use --debug to expand):');
    expect(gosh?.summary).toBe(builtin?.summary);
  });

  // one retry: once in many CI runs, under load, buildx --debug printed no warning block at all
  // for our build (the Warn calls had returned); a frontend that never sends them still fails
  it('--debug shows the same detail, link and Dockerfile lines', { retry: 1 }, async () => {
    const c = get('warn-empty-continuation');
    const builtin = shownWarnings((await build(c, 'builtin', true)).stderr);
    const gosh = shownWarnings((await build(c, 'gosh', true)).stderr);
    expect(builtin.details).toContain('More info: https://github.com/moby/moby/pull/33719');
    expect(builtin.details).toContain('Dockerfile:4');
    expect(gosh.details).toBe(builtin.details);
  });

  it('MAINTAINER and an unused build arg: no warning from either', async () => {
    const c = get('warn-maintainer-unused-arg');
    for (const f of FRONTENDS) {
      const shown = shownWarnings((await build(c, f)).stderr);
      expect(shown.warnings, f).toEqual([]);
      expect(shown.summary, f).toBe('');
    }
  });

  it('flags BuildKit ignores: it says nothing, we warn', async () => {
    const c = get('warn-ignored-flags');
    expect(shownWarnings((await build(c, 'builtin')).stderr).warnings).toEqual([]);
    const gosh = shownWarnings((await build(c, 'gosh')).stderr);
    expect(gosh.warnings).toEqual(['ARG: flag --foo=bar is ignored', 'STOPSIGNAL: flag --whatever is ignored']);
    expect(gosh.summary).toBe('2 warnings found (use --debug to expand):');
  });

  it('-f with another name and two platforms: the same warnings, once', async () => {
    // no RUN: the engine cannot run arm64 binaries here
    const dir = await makeTempDir('warn-options');
    try {
      await mkdir(join(dir, 'build'));
      await writeFile(join(dir, 'build', 'app.Dockerfile'), 'FROM scratch\nENV A=1 \\\n\n  B=2\nCOPY a.txt \\\n\n  /a.txt\n');
      await writeFile(join(dir, 'a.txt'), 'a\n');
      const options: BuildxOptions = { dockerfile: 'build/app.Dockerfile', platform: 'linux/amd64,linux/arm64' };
      const [builtin, gosh] = await Promise.all(
        FRONTENDS.map(async (frontend) => {
          const r = await buildx(dir, { ...options, frontend });
          expect(r.exitCode, describeResult(r)).toBe(0);
          return shownWarnings(r.stderr);
        }),
      );
      expect(builtin?.warnings).toEqual(['Empty continuation line found in: ENV A=1   B=2', 'Empty continuation line found in: COPY a.txt   /a.txt']);
      expect(gosh?.warnings).toEqual(builtin?.warnings);
      expect(gosh?.summary).toBe(builtin?.summary);
      for (const v of [...(builtin?.vertices ?? []), ...(gosh?.vertices ?? [])]) expect(v).toBe('[internal] load build definition from app.Dockerfile');
    } finally {
      await removeTempDir(dir);
    }
  });

  it('the outline subrequest warns too', async () => {
    const c = get('warn-empty-continuation');
    const shown = await Promise.all(
      FRONTENDS.map(async (frontend) => {
        const r = await buildx(c.dir, { frontend, extraArgs: ['--print=outline'], env: { BUILDX_EXPERIMENTAL: '1' } });
        expect(r.exitCode, describeResult(r)).toBe(0);
        return shownWarnings(r.stderr).warnings;
      }),
    );
    expect(shown[0]).toHaveLength(3);
    expect(shown[1]).toEqual(shown[0]);
  });
});
