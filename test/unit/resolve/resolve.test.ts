import { describe, expect, it } from 'vitest';
import { GoshError } from '../../../src/core/errors.js';
import { parseImageRef, withDefaultTag, type ImageRef } from '../../../src/core/image-ref.js';
import { LINUX_AMD64, type Platform } from '../../../src/core/platform.js';
import { createLock } from '../../../src/lock/create.js';
import { resolveImageUses, type ImageUse } from '../../../src/resolve/resolve.js';
import type { ImageResolver } from '../../../src/resolve/resolver.js';

const D1 = `sha256:${'1'.repeat(64)}` as const;
const D2 = `sha256:${'2'.repeat(64)}` as const;

function ref(text: string): ImageRef {
  const r = parseImageRef(text);
  if (!r.ok) throw new Error(r.reason);
  return withDefaultTag(r.ref);
}

function use(text: string, line: number): ImageUse {
  return { ref: ref(text), platform: LINUX_AMD64, file: 'Dockerfile', range: { startLine: line, endLine: line } };
}

/** Records what it was asked and answers with a fixed digest per name. */
function recordingResolver(): ImageResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolve(wanted: string, _platform: Platform) {
      asked.push(wanted);
      const at = wanted.indexOf('@');
      return Promise.resolve({ ref: at >= 0 ? wanted.slice(0, at) : wanted, digest: at >= 0 ? (wanted.slice(at + 1) as typeof D1) : D2 });
    },
  };
}

const lock = createLock({ file: 'sbom.spdx.json', images: [{ ref: 'docker.io/library/busybox:1.36', digest: D1 }] }).lock;

describe('resolveImageUses', () => {
  it('prod: resolves a locked image by its pinned digest', async () => {
    const resolver = recordingResolver();
    const [r] = await resolveImageUses([use('busybox:1.36', 1)], lock, 'prod', resolver);
    expect(resolver.asked).toEqual([`docker.io/library/busybox:1.36@${D1}`]);
    expect(r?.pin?.digest).toBe(D1);
    expect(r?.resolvedUnpinned).toBe(false);
  });

  it('prod: refuses every unlisted or mismatched image at once, before resolving anything', async () => {
    const resolver = recordingResolver();
    const err = await resolveImageUses([use('alpine:3', 4), use(`busybox:1.36@${D2}`, 2)], lock, 'prod', resolver).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GoshError);
    const codes = (err as GoshError).diagnostics.map((d) => [d.code, d.range?.startLine]);
    expect(codes).toEqual([
      ['LOCK_DIGEST_MISMATCH', 2],
      ['LOCK_IMAGE_MISSING', 4],
    ]);
    expect(resolver.asked).toEqual([]);
  });

  it('dev: resolves unlisted images and says so', async () => {
    const resolver = recordingResolver();
    const [locked, fresh] = await resolveImageUses([use('busybox:1.36', 1), use('alpine:3', 2)], lock, 'dev', resolver);
    expect(locked?.resolvedUnpinned).toBe(false);
    expect(fresh?.resolvedUnpinned).toBe(true);
    expect(fresh?.image.digest).toBe(D2);
    expect(resolver.asked).toEqual([`docker.io/library/busybox:1.36@${D1}`, 'docker.io/library/alpine:3']);
  });

  it('without a lock: resolves every reference as written', async () => {
    const resolver = recordingResolver();
    const [r] = await resolveImageUses([use('busybox', 1)], undefined, 'dev', resolver);
    expect(resolver.asked).toEqual(['docker.io/library/busybox:latest']);
    expect(r?.pin).toBeUndefined();
  });

  it('lock: resolves every tag again (a moved tag moves the pin), keeps inline digests as pins', async () => {
    const resolver = recordingResolver();
    const [tagged, inline] = await resolveImageUses([use('busybox:1.36', 1), use(`alpine:3@${D1}`, 2)], lock, 'lock', resolver);
    expect(resolver.asked).toEqual(['docker.io/library/busybox:1.36', `docker.io/library/alpine:3@${D1}`]);
    expect(tagged?.pin).toBeUndefined();
    expect(tagged?.image.digest).toBe(D2);
    expect(inline?.pin).toMatchObject({ digest: D1, change: 'added' });
  });
});
