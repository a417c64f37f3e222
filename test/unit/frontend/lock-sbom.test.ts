// buildSbomOutputs: the SBOM of a build; prod accepts only the committed lock, byte for byte,
// and refuses entries the build does not use.
import { describe, expect, it } from 'vitest';
import { GoshError } from '../../../src/core/errors.js';
import { LINUX_AMD64 } from '../../../src/core/platform.js';
import { parseBuildOptions } from '../../../src/config/build-options.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { readSpdxLock } from '../../../src/sbom/spdx-read.js';
import { buildSbomOutputs } from '../../../src/frontend/lock-sbom.js';
import type { LockSetup } from '../../../src/frontend/lock-setup.js';
import { imageSites } from '../../../src/frontend/lock-uses.js';

const D1 = `sha256:${'1'.repeat(64)}` as const;
const D2 = `sha256:${'2'.repeat(64)}` as const;

function sites(text: string) {
  return imageSites({ dockerfile: parseDockerfile({ name: 'Dockerfile', text }), options: parseBuildOptions(new Map()), buildPlatform: LINUX_AMD64, targetPlatform: undefined });
}

const TWO = 'FROM busybox:1.36\nCOPY --from=alpine:3 /a /a\n';
const PINS = [
  { ref: 'docker.io/library/busybox:1.36', digest: D1 },
  { ref: 'docker.io/library/alpine:3', digest: D2 },
];

function locked(): string {
  const setup: LockSetup = { mode: 'lock', modeSource: 'build-arg', name: 'app', args: new Map() };
  return buildSbomOutputs({ setup, sites: sites(TWO), pins: PINS, dependencySets: [] }).spdx.text;
}

function prod(text: string, lockText: string) {
  const file = { name: 'sbom.spdx.json', text: lockText };
  const setup: LockSetup = {
    mode: 'prod',
    modeSource: 'default',
    name: 'app',
    args: new Map(),
    lock: { parsed: readSpdxLock(file), input: { file, bytes: new TextEncoder().encode(lockText) } },
  };
  const used = sites(text);
  const keys = new Set(used.map((s) => s.lockKey));
  return buildSbomOutputs({ setup, sites: used, pins: PINS.filter((p) => keys.has(p.ref)), dependencySets: [], sourceDateEpoch: 999 });
}

describe('buildSbomOutputs', () => {
  it('lock mode output is what prod accepts; prod keeps the lock time whatever SOURCE_DATE_EPOCH says', () => {
    const text = locked();
    expect(text).toContain('"created": "1970-01-01T00:00:00Z"');
    expect(prod(TWO, text).spdx.text).toBe(text);
  });

  it('prod refuses an entry the build no longer uses, at its JSON path', () => {
    const err = (() => {
      try {
        prod('FROM busybox:1.36\n', locked());
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(GoshError);
    expect((err as GoshError).primary).toMatchObject({ code: 'LOCK_STALE_ENTRY', jsonPath: 'packages[0]' });
    expect((err as GoshError).message).toContain('image docker.io/library/alpine:3 is in sbom.spdx.json but the build does not use it');
  });

  it('prod refuses a lock whose usage tree differs (same pins, another role)', () => {
    // alpine used by FROM of a build stage instead of COPY --from: same entries, other relationships
    expect(() => prod('FROM alpine:3 AS a\nFROM busybox:1.36\nCOPY --from=a /a /a\n', locked())).toThrow(/relationships\[\d\]\.comment: the lock differs from the SBOM this build writes/);
  });
});
