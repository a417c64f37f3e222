import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

/** True when goldens should be rewritten (UPDATE_GOLDEN=1); CI never sets it. */
export const UPDATE_GOLDEN = process.env['UPDATE_GOLDEN'] === '1' && process.env['CI'] !== 'true';

/** Compares `actual` with the golden file, or rewrites it under UPDATE_GOLDEN=1. */
export function expectGolden(path: string, actual: string): void {
  if (UPDATE_GOLDEN) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing; run UPDATE_GOLDEN=1 npm run test:unit and review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
