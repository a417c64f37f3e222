import { describe, expect, it } from 'vitest';
import { imageSpdxId, manifestSpdxId, packageSpdxId, sanitizeIdPart, subimageSpdxId } from '../../../src/sbom/spdx-ids.js';
import { crate, image, manifest } from '../lock/fixtures.js';

describe('derived SPDXIDs reproduce the sbom-lock.md example', () => {
  it.each([
    [imageSpdxId(image('localhost:5000/base/busybox:local')), 'SPDXRef-Image-busybox-local-9d5b611e'],
    [imageSpdxId(image('docker.io/library/debian:bookworm-slim')), 'SPDXRef-Image-debian-bookworm-slim-1022bc06'],
    [imageSpdxId(image('docker.io/library/rust:1.85-bookworm')), 'SPDXRef-Image-rust-1.85-bookworm-521d6066'],
    [packageSpdxId(crate('anstream', '0.6.18')), 'SPDXRef-Crate-anstream-0.6.18-d17d6395'],
    [packageSpdxId(crate('anstyle', '1.0.10')), 'SPDXRef-Crate-anstyle-1.0.10-dd826eaa'],
    [subimageSpdxId('tools'), 'SPDXRef-SubImage-tools-4dc4c9b9'],
    [manifestSpdxId(manifest('Cargo.lock')), 'SPDXRef-File-Cargo.lock-13ee4b22'],
  ])('%s', (actual, expected) => expect(actual).toBe(expected));

  it('a digest-only image has no tag part', () => {
    expect(imageSpdxId(image(`docker.io/library/debian@sha256:${'a'.repeat(64)}`))).toMatch(/^SPDXRef-Image-debian-[0-9a-f]{8}$/);
  });

  it('sanitizes to letters, digits, "." and "-"', () => {
    expect(sanitizeIdPart('a_b+c/d:e.f-g')).toBe('a-b-c-d-e.f-g');
    expect(packageSpdxId(crate('wasi', '0.11.0+wasi-snapshot-preview1'))).toMatch(/^SPDXRef-Crate-wasi-0\.11\.0-wasi-snapshot-preview1-[0-9a-f]{8}$/);
  });
});
