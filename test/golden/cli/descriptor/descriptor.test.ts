// Golden runner for `gosh descriptor` (README.md beside this file).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../../../helpers/golden.js';
import { repoRoot, sharedFixture } from '../../../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../../../helpers/temp-dir.js';
import { gosh, goshProcess, layOutPackage } from '../../../unit/cli/cli-harness.js';

interface DescriptorCase {
  readonly sbom: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

const root = resolve(repoRoot, 'test/golden/cli/descriptor');
const cases = readdirSync(root)
  .filter((e) => statSync(join(root, e)).isDirectory() && existsSync(join(root, e, 'case.json')))
  .sort();

function argvOf(name: string): { argv: string[]; env: Readonly<Record<string, string>> } {
  const dir = join(root, name);
  const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as DescriptorCase;
  const [scheme, path] = c.sbom.split(/:(.*)/s) as [string, string];
  const sbom = scheme === 'shared' ? sharedFixture(path) : scheme === 'repo' ? resolve(repoRoot, path) : scheme === 'case' ? join(dir, path) : '';
  if (sbom === '' || !existsSync(sbom)) throw new Error(`${name}/case.json: bad sbom ${JSON.stringify(c.sbom)}`);
  if (c.env['SOURCE_DATE_EPOCH'] === undefined) throw new Error(`${name}/case.json: a golden case needs SOURCE_DATE_EPOCH`);
  return { argv: ['descriptor', '--sbom', sbom, ...c.args.map((a) => a.replaceAll('{case}', dir))], env: c.env };
}

it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(6));

describe.each(cases)('%s', (name) => {
  it('prints expect.descriptor.json, whatever the clock says', async () => {
    const { argv, env } = argvOf(name);
    const a = await gosh(argv, { env, now: new Date('2031-03-04T05:06:07Z') });
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expectGolden(join(root, name, 'expect.descriptor.json'), a.stdout);
    const b = await gosh(argv, { env, now: new Date('2040-01-01T00:00:00Z') });
    expect(b.stdout).toBe(a.stdout);
  });
});

describe('the built CLI in another TZ and LANG', () => {
  let pkg: string;
  let bin: string;
  beforeAll(async () => {
    pkg = await makeTempDir('golden-descriptor-pkg');
    bin = layOutPackage(pkg);
  }, 120_000);
  afterAll(async () => removeTempDir(pkg));

  it.each(cases)('%s', { timeout: 60_000 }, async (name) => {
    const { argv, env } = argvOf(name);
    const r = await goshProcess(bin, argv, { ...env, TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(root, name, 'expect.descriptor.json'), 'utf8'));
  });
});
