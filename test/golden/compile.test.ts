// One runner for test/golden/compile/<case>/: Dockerfile [+ options.json, images.json,
// .dockerignore] → expect.llb.json (LLB dump + image config) or expect.error.txt.
import { describe, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectGolden } from '../helpers/golden.js';
import { COMPILE_CASES_ROOT as ROOT, compileCase } from './compile-case.js';

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
