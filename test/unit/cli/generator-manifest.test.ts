import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATOR_MANIFEST_FILE, SHIPPED_MANIFEST_DIR, loadGeneratorManifest, parseGeneratorManifest } from '../../../src/cli/generator-manifest.js';
import { GoshError, type Diagnostic } from '../../../src/core/errors.js';
import { repoRoot } from '../../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../../helpers/temp-dir.js';
import { gosh } from './cli-harness.js';

const shippedText = readFileSync(join(SHIPPED_MANIFEST_DIR, GENERATOR_MANIFEST_FILE), 'utf8');
const shipped = JSON.parse(shippedText) as Record<string, unknown>;

function diagnosticsOf(fn: () => unknown): readonly Diagnostic[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof GoshError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected a GoshError');
}

const withEdit = (edit: (m: Record<string, unknown>) => void): string => {
  const m = JSON.parse(shippedText) as Record<string, unknown>;
  edit(m);
  return `${JSON.stringify(m, null, 2)}\n`;
};

describe('the shipped manifest', () => {
  it('sits at <package>/manifest, found from the module (src/cli or dist/cli alike)', () => {
    expect(SHIPPED_MANIFEST_DIR).toBe(resolve(repoRoot, 'manifest'));
  });

  it('names the package and its version', () => {
    const pkg = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
    const m = loadGeneratorManifest(undefined, 'descriptor');
    expect(m.name).toBe(pkg.name);
    expect(m.version).toBe(pkg.version);
    expect([...m.commands].sort()).toEqual(['descriptor', 'handshake']);
    expect([...m.sbomFormats].sort()).toEqual(['cyclonedx-json', 'spdx-json']);
    expect(m.casLayoutVersion).toBe(1);
  });
});

describe('parseGeneratorManifest', () => {
  it.each([
    ['an unknown field', (m: Record<string, unknown>) => (m['extra'] = 1), 'extra', 'unknown field "extra"'],
    ['a missing field', (m: Record<string, unknown>) => delete m['version'], '$', 'missing required field "version"'],
    ['another schema', (m: Record<string, unknown>) => (m['schema'] = 'v0'), 'schema', 'unsupported schema'],
    ['a version that is not semver', (m: Record<string, unknown>) => (m['version'] = '1.0'), 'version', 'not a semantic version'],
    ['an unknown command', (m: Record<string, unknown>) => (m['commands'] = ['descriptor', 'publish']), 'commands[1]', 'unknown command "publish"'],
    ['a command listed twice', (m: Record<string, unknown>) => (m['commands'] = ['handshake', 'handshake']), 'commands[1]', 'listed twice'],
    ['no formats', (m: Record<string, unknown>) => (m['sbomFormats'] = []), 'sbomFormats', 'at least 1 item'],
    ['an unknown format', (m: Record<string, unknown>) => (m['sbomFormats'] = ['spdx-tv']), 'sbomFormats[0]', 'unknown SBOM format'],
    ['another CAS layout', (m: Record<string, unknown>) => ((m['cas'] as Record<string, unknown>)['layoutVersion'] = 2), 'cas.layoutVersion', 'layout version 2 is not supported'],
    ['a name with a slash', (m: Record<string, unknown>) => (m['name'] = 'a/b'), 'name', 'generator name'],
  ])('refuses %s, naming the JSON path and line', (_what, edit, path, message) => {
    const ds = diagnosticsOf(() => parseGeneratorManifest('m.json', withEdit(edit)));
    expect(ds[0]?.code).toBe('OPTION_INVALID');
    expect(ds[0]?.file).toBe('m.json');
    expect(ds[0]?.jsonPath).toBe(path);
    expect(ds[0]?.range?.startLine).toBeGreaterThan(0);
    expect(ds[0]?.message).toContain(message);
  });

  it('refuses text that is not JSON, at its line', () => {
    const ds = diagnosticsOf(() => parseGeneratorManifest('m.json', '{\n  "name": oops\n}\n'));
    expect(ds[0]).toMatchObject({ code: 'OPTION_INVALID', file: 'm.json', range: { startLine: 2 } });
  });
});

describe('--manifest DIR', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('cli-manifest');
  });
  afterAll(async () => removeTempDir(dir));

  const manifestDir = (name: string, text?: string): string => {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    if (text !== undefined) writeFileSync(join(d, GENERATOR_MANIFEST_FILE), text);
    return d;
  };

  it('a directory without a manifest: exit 1, nothing on stdout, nothing written', async () => {
    const cas = join(dir, 'cas-none');
    const r = await gosh(['handshake', '--manifest', manifestDir('empty'), '--cas', cas]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain(`gosh handshake: no generator manifest in ${join(dir, 'empty')} (expected ${GENERATOR_MANIFEST_FILE})`);
    expect(existsSync(cas)).toBe(false);
  });

  it('a directory that does not exist', async () => {
    const r = await gosh(['handshake', '--manifest', join(dir, 'nope'), '--cas', join(dir, 'cas-nope')]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain('--manifest');
    expect(r.stderr).toContain('is not a directory');
  });

  it('a malformed manifest: located error, nothing written', async () => {
    const cas = join(dir, 'cas-bad');
    const d = manifestDir('bad', withEdit((m) => (m['commands'] = 'handshake')));
    const r = await gosh(['handshake', '--manifest', d, '--cas', cas]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(new RegExp(`${GENERATOR_MANIFEST_FILE}:\\d+: commands: expected an array`));
    expect(existsSync(cas)).toBe(false);
  });

  it('a manifest without the command refuses it', async () => {
    const d = manifestDir('no-handshake', withEdit((m) => (m['commands'] = ['descriptor'])));
    const r = await gosh(['handshake', '--manifest', d, '--cas', join(dir, 'cas-x')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not offer the handshake command (commands: descriptor)');
  });

  it('name and version in the output come from the manifest loaded', async () => {
    const d = manifestDir('renamed', withEdit((m) => {
      m['name'] = 'stella-compatible';
      m['version'] = '9.8.7-rc.1';
    }));
    const r = await gosh(['handshake', '--manifest', d, '--cas', join(dir, 'cas-renamed')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).generator).toEqual({ name: 'stella-compatible', version: '9.8.7-rc.1' });
    expect(shipped['name']).toBe('gosh-frontend');
  });
});
