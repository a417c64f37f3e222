// Compiling is deterministic: the same case gives the same bytes twice in-process and in a child
// process with another time zone and locale.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPILE_CASES_ROOT, compileCase } from './compile-case.js';

const LOADER = fileURLToPath(new URL('../../scripts/ts-loader/register.mjs', import.meta.url));
const ENTRY = fileURLToPath(new URL('./compile-case.ts', import.meta.url));
const cases = readdirSync(COMPILE_CASES_ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe('compile determinism', () => {
  it('gives the same bytes twice in one process', () => {
    for (const name of cases) {
      const dir = join(COMPILE_CASES_ROOT, name);
      expect(compileCase(dir)).toEqual(compileCase(dir));
    }
  });

  it('gives the same bytes in a child process with TZ=Pacific/Chatham LANG=tr_TR.UTF-8', () => {
    const dirs = cases.map((name) => join(COMPILE_CASES_ROOT, name));
    const child = spawnSync(process.execPath, ['--import', LOADER, ENTRY, ...dirs], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
    });
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(dirs.map(compileCase));
  }, 120_000);
});
