// Golden runner for Surface artefacts (README.md beside this file).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../../src/core/digest.js';
import { expectGolden } from '../../../helpers/golden.js';
import { repoRoot } from '../../../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../../../helpers/temp-dir.js';
import { gosh } from '../../../unit/cli/cli-harness.js';

interface SurfaceCase {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

const root = resolve(repoRoot, 'test/golden/cli/surface');
const SBOM = resolve(repoRoot, 'test/golden/cli/descriptor/cyclonedx-minimal/sbom.cdx.json');
const cases = readdirSync(root)
  .filter((e) => statSync(join(root, e)).isDirectory() && existsSync(join(root, e, 'case.json')))
  .sort();

/** `<path> <size> sha256:<hex>` of every file under `dir`, sorted by path. */
function listing(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const bytes = readFileSync(p);
        lines.push(`${relative(dir, p)} ${bytes.byteLength} sha256:${sha256Hex(bytes)}`);
      }
    }
  };
  walk(dir);
  return `${lines.sort().join('\n')}\n`;
}

let scratch: string;
beforeAll(async () => {
  scratch = await makeTempDir('golden-surface');
});
afterAll(async () => removeTempDir(scratch));

it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(2));

describe.each(cases)('%s', (name) => {
  it('stores the payloads and writes the manifest as expected, twice the same', async () => {
    const dir = join(root, name);
    const cacheRoot = join(scratch, name, 'cas');
    const out = join(scratch, name, 'out');
    const fill = (s: string): string => s.replaceAll('{case}', dir).replaceAll('{root}', cacheRoot).replaceAll('{out}', out);
    const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as SurfaceCase;
    const argv = ['descriptor', '--sbom', SBOM, ...c.args.map(fill)];
    const env = Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, fill(v)]));

    const first = await gosh(argv, { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const manifest = readFileSync(join(out, 'surface-manifest.json'), 'utf8');
    expectGolden(join(dir, 'expect.descriptor.json'), first.stdout);
    expectGolden(join(dir, 'expect.manifest.json'), manifest);
    expectGolden(join(dir, 'expect.cas.txt'), listing(cacheRoot));
    expect(listing(cacheRoot)).toContain(`${JSON.parse(first.stdout).surface.manifest.uri.slice('cas://'.length)} ${Buffer.byteLength(manifest)} sha256:${sha256Hex(manifest)}`);

    const second = await gosh(argv, { env, now: new Date('2045-01-01T00:00:00Z') });
    expect(second.stdout).toBe(first.stdout);
    expect(readFileSync(join(out, 'surface-manifest.json'), 'utf8')).toBe(manifest);
    expect(listing(cacheRoot)).toBe(readFileSync(join(dir, 'expect.cas.txt'), 'utf8'));
  });
});
