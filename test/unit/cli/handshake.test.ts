import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handshakeProbe } from '../../../src/cli/handshake.js';
import { sha256Hex } from '../../../src/core/digest.js';
import { makeTempDir, removeTempDir } from '../../helpers/temp-dir.js';
import { gosh } from './cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('cli-handshake');
});
afterAll(async () => removeTempDir(dir));

const probe = handshakeProbe();
const hex = probe.digest.slice('sha256:'.length);

describe('gosh handshake', () => {
  it('stores the probe under its sha256 and prints where', async () => {
    const cas = join(dir, 'a', 'cas');
    const r = await gosh(['handshake', '--cas', cas]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(r.stdout);
    const path = join(cas, 'handshake', 'sha256', `${hex}.json`);
    expect(out).toEqual({
      generator: { name: 'gosh-frontend', version: '0.1.0' },
      cas: { root: cas, layoutVersion: 1 },
      probe: { digest: probe.digest, size: probe.bytes.byteLength, path },
    });
    expect(sha256Hex(readFileSync(path))).toBe(hex);
    expect(r.stdout.endsWith('}\n')).toBe(true);
  });

  it('lands the same bytes on the same path on every run and in every CAS', async () => {
    const cas = join(dir, 'b');
    const first = await gosh(['handshake', '--cas', cas]);
    const second = await gosh(['handshake', '--cas', cas]);
    expect(second.stdout).toBe(first.stdout);
    const other = JSON.parse((await gosh(['handshake', '--cas', join(dir, 'c')])).stdout);
    expect(other.probe.digest).toBe(JSON.parse(first.stdout).probe.digest);
    expect(other.probe.path.slice(join(dir, 'c').length)).toBe(JSON.parse(first.stdout).probe.path.slice(cas.length));
  });

  it('resolves a relative --cas to an absolute path', async () => {
    const r = await gosh(['handshake', '--cas', join(dir, 'd', '..', 'e')]);
    expect(JSON.parse(r.stdout).cas.root).toBe(join(dir, 'e'));
  });

  it('a CAS that cannot be created: exit 1, clear error, nothing on stdout', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'not a directory\n');
    const r = await gosh(['handshake', '--cas', join(file, 'cas')]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^gosh handshake: cannot create the CAS directory .*plain-file\/cas: ENOTDIR/);
  });

  it('a CAS path that is a file', async () => {
    const file = join(dir, 'cas-is-file');
    writeFileSync(file, 'x');
    const r = await gosh(['handshake', '--cas', file]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain('gosh handshake: cannot create the CAS directory');
  });

  it('a probe with other bytes under its name is a corrupt CAS, reported and left alone', async () => {
    const cas = join(dir, 'corrupt');
    await gosh(['handshake', '--cas', cas]);
    const path = join(cas, 'handshake', 'sha256', `${hex}.json`);
    writeFileSync(path, 'tampered\n');
    const r = await gosh(['handshake', '--cas', cas]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain(`gosh handshake: the CAS object ${path} holds other bytes (sha256:${sha256Hex('tampered\n')})`);
    expect(readFileSync(path, 'utf8')).toBe('tampered\n');
  });

  it.each([
    [['handshake'], '--cas DIR is required'],
    [['handshake', '--cas', ''], '--cas DIR is required'],
    [['handshake', '--cas', 'x', '--sbom', 'y'], 'gosh handshake: unknown flag --sbom'],
    [['handshake', '--cas', 'x', 'extra'], 'unexpected argument "extra"'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const r = await gosh(argv);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(message);
    expect(existsSync('x')).toBe(false);
  });
});
