import { describe, expect, it } from 'vitest';
import { familiarImageRef, formatImageRef, imageName, parseImageRef, withDefaultTag, withDigest, type ImageRef } from '../../../src/core/image-ref.js';

const D = `sha256:${'a'.repeat(64)}` as const;

function parsed(text: string): ImageRef {
  const r = parseImageRef(text);
  if (!r.ok) throw new Error(`${text}: ${r.reason}`);
  return r.ref;
}

describe('parseImageRef normalizes like distribution/reference', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox'],
    ['docker.io/busybox', 'docker.io/library/busybox'],
    ['index.docker.io/library/busybox:1', 'docker.io/library/busybox:1'],
    ['user/app', 'docker.io/user/app'],
    ['localhost/app', 'localhost/app'],
    ['localhost:5000/base/busybox:local', 'localhost:5000/base/busybox:local'],
    ['ghcr.io/org/team/app:v1.2_3', 'ghcr.io/org/team/app:v1.2_3'],
    [`debian@${D}`, `docker.io/library/debian@${D}`],
    [`debian:12@${D}`, `docker.io/library/debian:12@${D}`],
    ['[::1]:5000/app', '[::1]:5000/app'],
    ['Registry/app', 'Registry/app'],
  ])('%s → %s', (input, expected) => {
    expect(formatImageRef(parsed(input))).toBe(expected);
  });

  it.each([
    ['', 'empty image reference'],
    ['Busybox', 'repository name must be lowercase'],
    ['busybox:', 'invalid tag ""'],
    ['busybox:-x', 'invalid tag "-x"'],
    ['busybox@sha256:abc', 'invalid digest "sha256:abc"'],
    [`busybox@sha512:${'a'.repeat(128)}`, 'invalid digest'],
    ['a//b', 'invalid reference format'],
    ['-a/b', 'invalid reference format'],
    ['bad_host.io:x/app', 'invalid'],
  ])('rejects %j', (input, reason) => {
    const r = parseImageRef(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('rejects names over 255 characters', () => {
    const r = parseImageRef(`example.com/${'a'.repeat(250)}`);
    expect(r).toEqual({ ok: false, reason: 'repository name must not be more than 255 characters' });
  });
});

describe('helpers', () => {
  it('withDefaultTag adds latest only to a bare name', () => {
    expect(formatImageRef(withDefaultTag(parsed('busybox')))).toBe('docker.io/library/busybox:latest');
    expect(formatImageRef(withDefaultTag(parsed(`busybox@${D}`)))).toBe(`docker.io/library/busybox@${D}`);
    expect(formatImageRef(withDefaultTag(parsed('busybox:1')))).toBe('docker.io/library/busybox:1');
  });

  it('imageName drops tag and digest', () => {
    expect(imageName(parsed(`busybox:1@${D}`))).toBe('docker.io/library/busybox');
  });

  it('familiarImageRef is the short form docker prints', () => {
    expect(familiarImageRef(parsed('busybox:1'))).toBe('busybox:1');
    expect(familiarImageRef(parsed('user/app'))).toBe('user/app');
    expect(familiarImageRef(parsed('localhost:5000/app:1'))).toBe('localhost:5000/app:1');
  });

  it('withDigest attaches a digest and keeps the tag', () => {
    expect(formatImageRef(withDigest(parsed('busybox:1'), D))).toBe(`docker.io/library/busybox:1@${D}`);
  });
});
