import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/core/errors.js';
import { parseImageRef, type ImageRef } from '../../../src/core/image-ref.js';
import type { Lock, LockMode } from '../../../src/lock/model.js';
import { pinImage } from '../../../src/lock/pin.js';
import { digestOf, lockOf } from './fixtures.js';

function ref(text: string): ImageRef {
  const r = parseImageRef(text);
  if (!r.ok) throw new Error(r.reason);
  return r.ref;
}

const LOCKED = digestOf('a');
const OTHER = digestOf('b');
const lock: Lock = lockOf({
  images: [
    {
      ref: 'docker.io/library/debian:bookworm',
      digest: LOCKED,
      origin: { file: 'sbom.spdx.json', jsonPath: 'packages[2]', range: { startLine: 30, endLine: 30 } },
    },
  ],
});
const site = { file: 'Dockerfile', range: { startLine: 3, endLine: 3 } };
const modes: LockMode[] = ['prod', 'dev', 'lock'];

describe('pinImage', () => {
  it.each(modes)('%s: a locked reference is pinned to the lock digest', (mode) => {
    const r = pinImage(ref('debian:bookworm'), lock, mode, site);
    expect(r).toEqual({ kind: 'pinned', key: 'docker.io/library/debian:bookworm', ref: { ...ref('debian:bookworm'), digest: LOCKED }, digest: LOCKED, change: 'none' });
  });

  it.each(modes)('%s: an inline digest equal to the lock is pinned', (mode) => {
    const r = pinImage(ref(`docker.io/library/debian:bookworm@${LOCKED}`), lock, mode, site);
    expect(r.kind === 'pinned' && r.change).toBe('none');
  });

  it('prod: an unlisted image is LOCK_IMAGE_MISSING at the Dockerfile line', () => {
    const r = pinImage(ref('debian:trixie'), lock, 'prod', site);
    expect(r.kind).toBe('refused');
    if (r.kind !== 'refused') return;
    expect(r.diagnostic.code).toBe('LOCK_IMAGE_MISSING');
    expect(formatDiagnostic(r.diagnostic)).toBe('Dockerfile:3: image docker.io/library/debian:trixie is not in sbom.spdx.json; run gosh lock');
  });

  it('prod: an unlisted image is refused even with an inline digest', () => {
    expect(pinImage(ref(`debian:trixie@${OTHER}`), lock, 'prod').kind).toBe('refused');
  });

  it('prod: a different inline digest is LOCK_DIGEST_MISMATCH with a note at the lock entry', () => {
    const r = pinImage(ref(`debian:bookworm@${OTHER}`), lock, 'prod', site);
    expect(r.kind).toBe('refused');
    if (r.kind !== 'refused') return;
    expect(r.diagnostic.code).toBe('LOCK_DIGEST_MISMATCH');
    expect(formatDiagnostic(r.diagnostic)).toBe(
      `Dockerfile:3: image docker.io/library/debian:bookworm: digest ${OTHER} differs from ${LOCKED} in sbom.spdx.json; run gosh lock\n` +
        `  note: sbom.spdx.json:30: locked as ${LOCKED} at packages[2]`,
    );
  });

  it.each(['dev', 'lock'] as const)('%s: an unlisted image without digest must be resolved', (mode) => {
    expect(pinImage(ref('debian:trixie'), lock, mode)).toEqual({ kind: 'unpinned', key: 'docker.io/library/debian:trixie', ref: ref('debian:trixie') });
  });

  it.each(['dev', 'lock'] as const)('%s: an inline digest of an unlisted image is a new pin', (mode) => {
    const r = pinImage(ref(`debian:trixie@${OTHER}`), lock, mode);
    expect(r).toMatchObject({ kind: 'pinned', key: 'docker.io/library/debian:trixie', digest: OTHER, change: 'added' });
  });

  it.each(['dev', 'lock'] as const)('%s: a different inline digest replaces the locked one', (mode) => {
    const r = pinImage(ref(`debian:bookworm@${OTHER}`), lock, mode);
    expect(r).toMatchObject({ kind: 'pinned', digest: OTHER, change: 'updated', previous: LOCKED });
  });

  it('looks references up by their normalized key', () => {
    for (const spelling of ['debian:bookworm', 'library/debian:bookworm', 'docker.io/debian:bookworm', 'index.docker.io/library/debian:bookworm']) {
      expect(pinImage(ref(spelling), lock, 'prod').kind).toBe('pinned');
    }
  });

  it('a digest-only reference is its own key', () => {
    const digestOnly = lockOf({ images: [{ ref: `docker.io/library/debian@${OTHER}`, digest: OTHER }] });
    expect(pinImage(ref(`debian@${OTHER}`), digestOnly, 'prod')).toMatchObject({ kind: 'pinned', digest: OTHER, change: 'none' });
    expect(pinImage(ref(`debian@${LOCKED}`), digestOnly, 'prod').kind).toBe('refused');
  });
});
