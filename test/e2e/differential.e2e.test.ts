// The differential suite: every case in cases/differential/ is built by BuildKit's own Dockerfile
// frontend and by ours; image config and file tree must match (failure cases must fail in both).
import { afterAll, describe, expect, it } from 'vitest';
import { formatDifferential, listCases, runDifferential } from '../helpers/differential.js';

const cases = await listCases();
let passed = 0;
let failed = 0;

describe('differential: builtin vs gosh', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));
  for (const c of cases) {
    it(c.name, async () => {
      const result = await runDifferential(c);
      if (result.ok) passed++;
      else failed++;
      expect(result.ok, formatDifferential(result)).toBe(true);
    });
  }
  afterAll(() => {
    console.log(`differential: ${passed} passed, ${failed} failed`);
  });
});
