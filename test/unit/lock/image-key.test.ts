import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../src/core/image-ref.js';
import { imageLockKey, parseImageLockKey } from '../../../src/lock/image-key.js';

const D = `sha256:${'b'.repeat(64)}`;

function key(text: string): string {
  const r = parseImageRef(text);
  if (!r.ok) throw new Error(r.reason);
  return imageLockKey(r.ref);
}

describe('imageLockKey', () => {
  it.each([
    ['debian', 'docker.io/library/debian:latest'],
    ['debian:bookworm', 'docker.io/library/debian:bookworm'],
    [`debian:bookworm@${D}`, 'docker.io/library/debian:bookworm'],
    [`debian@${D}`, `docker.io/library/debian@${D}`],
    ['index.docker.io/library/debian:12', 'docker.io/library/debian:12'],
    ['localhost:5000/base/busybox:local', 'localhost:5000/base/busybox:local'],
  ])('%s → %s', (input, expected) => expect(key(input)).toBe(expected));
});

describe('parseImageLockKey', () => {
  it('accepts a key', () => {
    expect(parseImageLockKey('docker.io/library/debian:bookworm').ok).toBe(true);
    expect(parseImageLockKey(`docker.io/library/debian@${D}`).ok).toBe(true);
  });

  it.each([
    ['debian:bookworm', 'expected "docker.io/library/debian:bookworm"'],
    ['docker.io/library/debian', 'expected "docker.io/library/debian:latest"'],
    [`docker.io/library/debian:12@${D}`, 'expected "docker.io/library/debian:12"'],
    ['Debian', 'lowercase'],
  ])('refuses %s', (text, reason) => {
    const r = parseImageLockKey(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});
