// Determinism (design.md §c): permuting the insertion order of lock entries, facts and object
// keys changes no byte; a child process with another TZ and LANG renders the same bytes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildFacts, Lock } from '../../../src/lock/model.js';
import { lockFromJson, listSbomCases, loadSbomCase, renderSbomCase } from '../../golden/sbom/load-case.js';
import { repoRoot } from '../../helpers/shared-fixture.js';

const goldenRoot = resolve(repoRoot, 'test/golden/sbom');
const cases = listSbomCases(goldenRoot);

/** A deterministic pseudo-random permutation (LCG), different per seed. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Every array shuffled and every object's keys re-inserted in another order, recursively. */
function permute(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return shuffle(value.map((v, i) => permute(v, seed + i + 1)), seed);
  if (value !== null && typeof value === 'object') {
    const keys = shuffle(Object.keys(value), seed);
    return Object.fromEntries(keys.map((k) => [k, permute((value as Record<string, unknown>)[k], seed + k.length)]));
  }
  return value;
}

/** The lock's entries as lock.json-shaped arrays (what createLock takes). */
function entriesOf(lock: Lock): Record<string, unknown> {
  const strip = <T extends { origin?: unknown }>(e: T): Omit<T, 'origin'> => {
    const { origin: _origin, ...rest } = e;
    return rest;
  };
  return {
    ...(lock.document !== undefined ? { document: lock.document } : {}),
    images: [...lock.images.values()].map(strip),
    packages: [...lock.packages.values()].map(strip),
    subimages: [...lock.subimages.values()].map(strip),
    manifests: [...lock.manifests.values()].map(strip),
  };
}

it('has cases to check', () => expect(cases.length).toBeGreaterThanOrEqual(3));

describe.each(cases)('%s', (dir) => {
  const c = loadSbomCase(dir);
  const expected = renderSbomCase(c);

  it.each([1, 2, 3, 4, 5])('permutation %i of entries, facts and keys changes no byte', (seed) => {
    const lock = lockFromJson(permute(entriesOf(c.lock), seed) as Parameters<typeof lockFromJson>[0]);
    const facts = permute(c.facts, seed * 7) as BuildFacts;
    expect(JSON.stringify(facts)).not.toBe(JSON.stringify(c.facts)); // the permutation did something
    expect(renderSbomCase({ lock, facts, options: c.options })).toEqual(expected);
  });

  it('a child process with another TZ and LANG renders the same bytes', () => {
    const child = spawnSync(process.execPath, ['--import', join(goldenRoot, '../../../scripts/ts-loader/register.mjs'), join(goldenRoot, 'emit-case.ts'), dir], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
      timeout: 60_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const fromChild = JSON.parse(child.stdout) as Record<string, string>;
    expect(fromChild).toEqual(expected);
    for (const [file, text] of Object.entries(fromChild)) expect(text).toBe(readFileSync(join(dir, file), 'utf8'));
    // a child that transpiles TypeScript on a loaded 2-core machine needs more than vitest's 5 s
  }, 60_000);
});

it('the child process really runs in another time zone', () => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(new Date(0).getTimezoneOffset()))'], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', TZ: 'Pacific/Chatham' },
  });
  expect(child.stdout).toBe('-765');
  expect(child.stdout).not.toBe(String(new Date(0).getTimezoneOffset()));
});
