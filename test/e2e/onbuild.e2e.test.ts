// ONBUILD triggers of base images, against the builtin frontend. The base images are built here
// (builtin frontend, --load into the engine's store under a tag of this run) and removed after;
// the cases in cases/onbuild-image/ name them through build args. Triggers recorded by a stage
// of the same Dockerfile are covered by the onbuild-* cases of the generic differential suite.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildx, docker, expectSuccess } from '../helpers/buildx.js';
import { formatDifferential, listCases, runDifferential, type DifferentialCase } from '../helpers/differential.js';
import { repoRoot } from '../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';

const CASES_DIR = join(repoRoot, 'test/e2e/cases/onbuild-image');
const cases = await listCases(CASES_DIR);
const RUN_TAG = `e2e-${process.pid}`;
const IMAGES = {
  BASE_IMAGE: { dockerfile: 'base.Dockerfile', tag: `gosh-onbuild-base:${RUN_TAG}` },
  COPY_FROM_IMAGE: { dockerfile: 'copy-from.Dockerfile', tag: `gosh-onbuild-copy-from:${RUN_TAG}` },
} as const;
const imageArgs = Object.fromEntries(Object.entries(IMAGES).map(([arg, image]) => [arg, image.tag]));

beforeAll(async () => {
  for (const image of Object.values(IMAGES)) {
    expectSuccess(await buildx(CASES_DIR, { dockerfile: image.dockerfile, output: { type: 'load', tag: image.tag } }));
  }
});

afterAll(async () => {
  for (const image of Object.values(IMAGES)) await docker(['image', 'rm', '--force', image.tag]);
});

function withImages(c: DifferentialCase, dir: string = c.dir): DifferentialCase {
  return { ...c, dir, spec: { ...c.spec, buildArgs: { ...c.spec.buildArgs, ...imageArgs } } };
}

/** A copy of the case with `@BASE_IMAGE@`-style placeholders in its Dockerfile replaced by the tags. */
async function materialize(c: DifferentialCase, into: string): Promise<string> {
  await cp(c.dir, into, { recursive: true });
  const file = join(into, c.spec.dockerfile ?? 'Dockerfile');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace(/@([A-Z_]+)@/g, (m, name: string) => imageArgs[name] ?? m));
  return into;
}

describe('ONBUILD triggers of a base image: builtin vs gosh', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(3));
  for (const c of cases) {
    it(c.name, async () => {
      const tmp = await makeTempDir(`onbuild-case-${c.name}`);
      try {
        const result = await runDifferential(withImages(c, await materialize(c, join(tmp, c.name))));
        expect(result.ok, formatDifferential(result)).toBe(true);
      } finally {
        await removeTempDir(tmp);
      }
    });
  }

  it('the triggers really ran (not just equally absent)', async () => {
    const fires = cases.find((c) => c.name === 'onbuild-image-fires');
    expect(fires).toBeDefined();
    const out = await makeTempDir('onbuild-fires');
    try {
      const r = await buildx((fires as DifferentialCase).dir, {
        frontend: 'gosh',
        buildArgs: { ...imageArgs, WHO: 'cli' },
        output: { type: 'local', dest: out },
      });
      expectSuccess(r);
      expect(await readFile(join(out, 'app/onbuild.txt'), 'utf8')).toBe('built for cli in /app\n');
      expect(await readFile(join(out, 'app/doc.txt'), 'utf8')).toBe('doc base\n');
      expect(await readFile(join(out, 'app/fired.txt'), 'utf8')).toBe('1\n');
    } finally {
      await removeTempDir(out);
    }
  });
});
