// The labs-channel COPY --parents and COPY/ADD --exclude, built by our frontend end to end.
// The engine's builtin frontend is not the labs one (it refuses both flags), so these cases
// cannot be differential; each asserts the exact tree BuildKit's own tests expect
// (dockerfile_parents_test.go, exclude_patterns_test.go) or that its copy semantics give.
//
// test/e2e/cases/labs/<case>/: context/ (the build context, Dockerfile included) and either
// expect.tree.txt (the exported tree, one `dir PATH` or `file PATH "CONTENT"` a line, sorted)
// or case.json {"error": {"location", "message"}} for a build that must fail at that line.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildx, describeResult, errorLocation } from '../helpers/buildx.js';
import { readDirTree } from '../helpers/fs-tree.js';
import { repoRoot } from '../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';

const CASES_DIR = resolve(repoRoot, 'test/e2e/cases/labs');
const CASES = readdirSync(CASES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

interface ErrorSpec {
  /** the `Dockerfile:N` buildx prints */
  readonly location: string;
  /** a substring of buildx's `ERROR: failed to solve:` line */
  readonly message: string;
}

async function readErrorSpec(dir: string): Promise<ErrorSpec | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, 'case.json'), 'utf8');
  } catch {
    return undefined;
  }
  const spec = JSON.parse(text) as { error?: ErrorSpec };
  if (spec.error === undefined) throw new Error(`${dir}/case.json: no "error"`);
  return spec.error;
}

/** The exported tree in the expect.tree.txt form: types, paths and contents, no modes or owners. */
async function describeTree(dir: string): Promise<string> {
  const lines: string[] = [];
  for (const e of await readDirTree(dir)) {
    if (e.type === 'dir') lines.push(`dir ${e.path}`);
    else if (e.type === 'file') lines.push(`file ${e.path} ${JSON.stringify(await readFile(join(dir, e.path), 'utf8'))}`);
    else lines.push(`${e.type} ${e.path}`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

let work: string;
beforeAll(async () => {
  work = await makeTempDir('labs');
});
afterAll(async () => {
  await removeTempDir(work);
});

describe('labs COPY --parents and --exclude through our frontend', () => {
  it('has at least ten cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(10);
  });

  // why these cases are not differential: the engine's own frontend has no labs flags
  it('the builtin frontend refuses the labs flags', async () => {
    const result = await buildx(join(CASES_DIR, 'parents-plain', 'context'));
    expect(result.exitCode, describeResult(result)).not.toBe(0);
    expect(result.stderr, describeResult(result)).toMatch(/unknown flag: parents/);
  });

  for (const name of CASES) {
    it(name, async () => {
      const dir = join(CASES_DIR, name);
      const context = join(dir, 'context');
      const error = await readErrorSpec(dir);
      if (error !== undefined) {
        const result = await buildx(context, { frontend: 'gosh' });
        expect(result.exitCode, describeResult(result)).not.toBe(0);
        expect(errorLocation(result.stderr), describeResult(result)).toBe(error.location);
        const failed = result.stderr.split('\n').find((l) => l.startsWith('ERROR: failed to solve:')) ?? '';
        expect(failed, describeResult(result)).toContain(error.message);
        return;
      }
      const dest = join(work, name);
      const result = await buildx(context, { frontend: 'gosh', output: { type: 'local', dest } });
      expect(result.exitCode, describeResult(result)).toBe(0);
      expect(await describeTree(dest)).toBe(await readFile(join(dir, 'expect.tree.txt'), 'utf8'));
    });
  }
});
