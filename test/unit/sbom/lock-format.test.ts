import { describe, expect, it } from 'vitest';
import { isContextPath } from '../../../src/sbom/lock-format.js';

describe('isContextPath', () => {
  it.each(['Cargo.lock', 'tools/Dockerfile', 'a/b.c/d'])('accepts %s', (p) => expect(isContextPath(p)).toBe(true));
  it.each(['', '/abs', './x', 'a/../b', '..', 'a//b', 'a/'])('refuses %j', (p) => expect(isContextPath(p)).toBe(false));
});
