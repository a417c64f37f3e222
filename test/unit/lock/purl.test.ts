import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../src/core/image-ref.js';
import { canonicalPurl, cargoPurl, formatPurl, ociImagePurl, parsePurl } from '../../../src/lock/purl.js';

const HEX = '4e29b2d2a9d07c16fc3b8ba8f8503c0c7852f363b2568be84de543081f1e290e';

describe('parsePurl', () => {
  it('reads every component and decodes percent-encoding', () => {
    const r = parsePurl('pkg:npm/%40scope/name@1.0.0?b=x%2Fy&a=1#sub/path');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.purl.type).toBe('npm');
    expect(r.purl.namespace).toEqual(['@scope']);
    expect(r.purl.name).toBe('name');
    expect(r.purl.version).toBe('1.0.0');
    expect([...r.purl.qualifiers]).toEqual([['b', 'x/y'], ['a', '1']]);
    expect(r.purl.subpath).toBe('sub/path');
  });

  it.each([
    ['no scheme', 'cargo/serde@1', 'starts with "pkg:"'],
    ['no name', 'pkg:cargo/', 'needs a name'],
    ['bad type', 'pkg:1x/name', 'bad purl type'],
    ['bad escape', 'pkg:cargo/na%zzme@1', 'percent-encoding'],
    ['duplicate qualifier', 'pkg:oci/a@1?tag=x&tag=y', 'duplicate qualifier'],
    ['qualifier without value form', 'pkg:oci/a@1?tag', 'key=value'],
    ['empty version', 'pkg:cargo/a@', 'bad version'],
  ])('rejects %s', (_what, text, reason) => {
    const r = parsePurl(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('canonical spelling', () => {
  it('syft, packageurl-js and gosh spellings of one image purl are one purl', () => {
    const forms = [
      `pkg:oci/busybox@sha256%3A${HEX}?tag=local&repository_url=localhost%3A5000%2Fbase%2Fbusybox`,
      `pkg:oci/busybox@sha256:${HEX}?repository_url=localhost:5000/base/busybox&tag=local`,
      `PKG:OCI/busybox@sha256:${HEX}?Repository_URL=localhost%3A5000%2Fbase%2Fbusybox&tag=local`.replace('PKG:OCI', 'pkg:OCI'),
    ];
    const canonical = forms.map(canonicalPurl);
    expect(new Set(canonical).size).toBe(1);
    expect(canonical[0]).toBe(`pkg:oci/busybox@sha256:${HEX}?repository_url=localhost%3A5000%2Fbase%2Fbusybox&tag=local`);
  });

  it('encodes + in a version as %2B and keeps :', () => {
    expect(cargoPurl('wasi', '0.11.0+wasi-snapshot-preview1')).toBe('pkg:cargo/wasi@0.11.0%2Bwasi-snapshot-preview1');
    expect(canonicalPurl('pkg:cargo/wasi@0.11.0+wasi-snapshot-preview1')).toBe('pkg:cargo/wasi@0.11.0%2Bwasi-snapshot-preview1');
  });

  it('format(parse(x)) is stable', () => {
    const text = 'pkg:npm/%40scope/name@1.0.0?a=1&b=x%2Fy#sub/path';
    const r = parsePurl(text);
    expect(r.ok && formatPurl(r.purl)).toBe(text);
  });

  it('is undefined for a non-purl', () => {
    expect(canonicalPurl('a-purl-1')).toBeUndefined();
  });
});

describe('ociImagePurl (sbom-lock.md §7.2)', () => {
  it('names the last path segment and records registry/path and tag', () => {
    const r = parseImageRef('localhost:5000/base/busybox:local');
    if (!r.ok) throw new Error(r.reason);
    expect(ociImagePurl(r.ref, `sha256:${HEX}`)).toBe(`pkg:oci/busybox@sha256:${HEX}?repository_url=localhost%3A5000%2Fbase%2Fbusybox&tag=local`);
  });

  it('has no tag qualifier for a digest-only reference', () => {
    const r = parseImageRef(`debian@sha256:${HEX}`);
    if (!r.ok) throw new Error(r.reason);
    expect(ociImagePurl(r.ref, `sha256:${HEX}`)).toBe(`pkg:oci/debian@sha256:${HEX}?repository_url=docker.io%2Flibrary%2Fdebian`);
  });
});
