// pinImageSites: compile's images map and named contexts carry the pinned digests; dev warns for
// what it resolved; lock mode re-resolves tags; prod refuses before resolving anything.
import { describe, expect, it } from 'vitest';
import { GoshError } from '../../../src/core/errors.js';
import { LINUX_AMD64, type Platform } from '../../../src/core/platform.js';
import { parseBuildOptions } from '../../../src/config/build-options.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { createLock } from '../../../src/lock/create.js';
import type { ImageResolver } from '../../../src/resolve/resolver.js';
import { pinImageSites } from '../../../src/frontend/lock-pins.js';
import { imageSites } from '../../../src/frontend/lock-uses.js';

const D1 = `sha256:${'1'.repeat(64)}` as const;
const D2 = `sha256:${'2'.repeat(64)}` as const;

/** Answers every tag with D2 and a digest reference with its digest; records what it was asked. */
function resolver(): ImageResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolve(ref: string, _platform: Platform) {
      asked.push(ref);
      const at = ref.indexOf('@');
      return Promise.resolve({ ref, digest: at >= 0 ? (ref.slice(at + 1) as typeof D1) : D2, config: { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers' }, config: {} } });
    },
  };
}

const TEXT = ['FROM busybox:1.36', 'COPY --from=tools /t /t'].join('\n');
const OPTS = { 'context:tools': 'docker-image://localhost:5000/tools:1' };

function sitesOf(text = TEXT, opts: Record<string, string> = OPTS) {
  const options = parseBuildOptions(new Map(Object.entries(opts)));
  return { options, sites: imageSites({ dockerfile: parseDockerfile({ name: 'Dockerfile', text }), options, buildPlatform: LINUX_AMD64, targetPlatform: undefined }) };
}

const lock = createLock({
  images: [
    { ref: 'docker.io/library/busybox:1.36', digest: D1 },
    { ref: 'localhost:5000/tools:1', digest: D1 },
  ],
}).lock;

describe('pinImageSites', () => {
  it('prod: FROM and named contexts carry the locked digests; nothing to warn about', async () => {
    const { options, sites } = sitesOf();
    const r = resolver();
    const pinned = await pinImageSites(sites, lock, 'prod', r, options.namedContexts);
    expect(r.asked.sort()).toEqual([`docker.io/library/busybox:1.36@${D1}`, `localhost:5000/tools:1@${D1}`]);
    expect([...pinned.images.values()].map((i) => [i.ref, i.digest])).toEqual([['docker.io/library/busybox:1.36', D1]]);
    expect(pinned.namedContexts.get('tools')).toBe(`docker-image://localhost:5000/tools:1@${D1}`);
    expect(pinned.pins).toEqual(expect.arrayContaining([{ ref: 'docker.io/library/busybox:1.36', digest: D1 }, { ref: 'localhost:5000/tools:1', digest: D1 }]));
    expect(pinned.warnings).toEqual([]);
  });

  it('prod: every unpinned image is refused at once, before anything resolves', async () => {
    const { options, sites } = sitesOf(TEXT, { 'context:tools': 'docker-image://localhost:5000/tools:2' });
    const r = resolver();
    const only = createLock({ images: [{ ref: 'docker.io/library/busybox:1.36', digest: D1 }] }).lock;
    await expect(pinImageSites(sites, only, 'prod', r, options.namedContexts)).rejects.toThrow(GoshError);
    await expect(pinImageSites(sites, only, 'prod', r, options.namedContexts)).rejects.toThrow('Dockerfile:2: image localhost:5000/tools:2 is not in sbom.spdx.json; run gosh lock');
    expect(r.asked).toEqual([]);
  });

  it('dev: pinned images keep their pins, the rest is resolved and warned about at its line', async () => {
    const { options, sites } = sitesOf(TEXT, { 'context:tools': 'docker-image://localhost:5000/tools:2' });
    const only = createLock({ images: [{ ref: 'docker.io/library/busybox:1.36', digest: D1 }] }).lock;
    const pinned = await pinImageSites(sites, only, 'dev', resolver(), options.namedContexts);
    expect(pinned.namedContexts.get('tools')).toBe(`docker-image://localhost:5000/tools:2@${D2}`);
    expect(pinned.warnings.map((w) => [w.range?.startLine, w.short])).toEqual([[2, `image localhost:5000/tools:2 is not pinned in sbom.spdx.json; dev mode resolved it to ${D2}`]]);
  });

  it('lock: tags are resolved again, so a moved tag moves the pin; no warnings', async () => {
    const { options, sites } = sitesOf();
    const pinned = await pinImageSites(sites, lock, 'lock', resolver(), options.namedContexts);
    expect(pinned.pins.map((p) => p.digest)).toEqual([D2, D2]);
    expect(pinned.warnings).toEqual([]);
  });

  it('one reference with two digests is an error at the second use', async () => {
    const { options, sites } = sitesOf(['FROM busybox:1.36', `COPY --from=busybox:1.36@${D1} /a /a`].join('\n'), {});
    const e = await pinImageSites(sites, undefined, 'lock', resolver(), options.namedContexts).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GoshError);
    expect((e as GoshError).primary).toMatchObject({ code: 'LOCK_DUPLICATE_ENTRY', range: { startLine: 1 } });
  });
});
