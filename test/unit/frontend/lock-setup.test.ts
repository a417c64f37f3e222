// loadLockSetup: which mode a build runs in, from GOSH_MODE, Gosh.yaml and the lock's presence;
// a plain build when there is none of them; located errors for what the frontend cannot honour.
import { describe, expect, it } from 'vitest';
import { GoshError } from '../../../src/core/errors.js';
import { parseBuildOptions } from '../../../src/config/build-options.js';
import type { BuildInputs, InputFile } from '../../../src/frontend/inputs.js';
import { loadLockSetup, wantsSbomAttestation } from '../../../src/frontend/lock-setup.js';
import { withGoshArgs } from '../../../src/frontend/lock-build.js';
import { exampleLockText } from '../sbom/lock-example.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const file = (name: string, text: string): InputFile => ({ file: { name, text }, bytes: enc(text) });

function inputs(files: { yaml?: string; lock?: string } = {}): BuildInputs {
  return {
    dockerfile: { name: 'Dockerfile', text: 'FROM busybox\n' },
    dockerfileBytes: enc('FROM busybox\n'),
    excludePatterns: [],
    dockerfileVertex: `sha256:${'0'.repeat(64)}`,
    ...(files.yaml !== undefined ? { goshYaml: file('Gosh.yaml', files.yaml) } : {}),
    ...(files.lock !== undefined ? { lockFile: file('sbom.spdx.json', files.lock) } : {}),
  };
}

const opts = (o: Record<string, string> = {}) => parseBuildOptions(new Map(Object.entries(o)));

function thrown(fn: () => unknown): GoshError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GoshError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('loadLockSetup', () => {
  it('is a plain build without Gosh.yaml, lock and GOSH_MODE', () => {
    expect(loadLockSetup(inputs(), opts())).toBeUndefined();
    expect(loadLockSetup(inputs(), opts({ 'build-arg:GOSH_MODE': '' }))).toBeUndefined();
  });

  it('defaults to prod with a lock, dev with only Gosh.yaml', () => {
    expect(loadLockSetup(inputs({ lock: exampleLockText }), opts())?.mode).toBe('prod');
    expect(loadLockSetup(inputs({ yaml: 'tag: x/app\n' }), opts())).toMatchObject({ mode: 'dev', modeSource: 'default', name: 'x/app' });
  });

  it('GOSH_MODE wins over Gosh.yaml mode', () => {
    const setup = loadLockSetup(inputs({ yaml: 'mode: dev\n', lock: exampleLockText }), opts({ 'build-arg:GOSH_MODE': 'lock' }));
    expect(setup).toMatchObject({ mode: 'lock', modeSource: 'build-arg' });
    expect(loadLockSetup(inputs({ yaml: 'mode: dev\n', lock: exampleLockText }), opts())).toMatchObject({ mode: 'dev', modeSource: 'Gosh.yaml' });
    expect(loadLockSetup(inputs(), opts({ 'build-arg:GOSH_MODE': 'lock' }))).toMatchObject({ mode: 'lock', name: 'image' });
  });

  it('names the SBOM by GOSH_SBOM_NAME, Gosh.yaml tag, the lock, in that order', () => {
    const lock = loadLockSetup(inputs({ lock: exampleLockText }), opts());
    expect(lock?.name).toBe((JSON.parse(exampleLockText) as { name: string }).name);
    expect(loadLockSetup(inputs({ yaml: 'tag: y/app\n', lock: exampleLockText }), opts())?.name).toBe('y/app');
    expect(loadLockSetup(inputs({ yaml: 'tag: y/app\n' }), opts({ 'build-arg:GOSH_SBOM_NAME': 'z' }))?.name).toBe('z');
  });

  it('refuses an unknown GOSH_MODE and prod without a lock (at Gosh.yaml mode)', () => {
    expect(thrown(() => loadLockSetup(inputs(), opts({ 'build-arg:GOSH_MODE': 'release' }))).message).toBe('build arg GOSH_MODE: expected prod, dev or lock, got "release"');
    const e = thrown(() => loadLockSetup(inputs({ yaml: 'tag: a/b\nmode: prod\n' }), opts()));
    expect(e.primary).toMatchObject({ file: 'Gosh.yaml', range: { startLine: 2 } });
    expect(e.message).toContain('prod mode needs sbom.spdx.json next to the Dockerfile');
  });

  it('a malformed Gosh.yaml or lock fails every mode, located', () => {
    expect(thrown(() => loadLockSetup(inputs({ yaml: 'mode: dev\nbogus: 1\n' }), opts())).primary).toMatchObject({ file: 'Gosh.yaml', range: { startLine: 2 } });
    const e = thrown(() => loadLockSetup(inputs({ lock: '{"spdxVersion": ' }), opts({ 'build-arg:GOSH_MODE': 'lock' })));
    expect(e.primary).toMatchObject({ code: 'SBOM_INVALID', file: 'sbom.spdx.json' });
  });

  it('refuses Gosh.yaml settings the frontend cannot honour, at their lines', () => {
    const inline = thrown(() => loadLockSetup(inputs({ yaml: 'dockerfile:\n  content: FROM x\n' }), opts()));
    expect(inline.primary).toMatchObject({ code: 'DOCKERFILE_UNSUPPORTED', file: 'Gosh.yaml', range: { startLine: 2 } });
    const other = thrown(() => loadLockSetup(inputs({ yaml: 'dockerfile:\n  path: Other.Dockerfile\n' }), opts()));
    expect(other.message).toContain('dockerfile.path: Gosh.yaml names Other.Dockerfile but this build reads Dockerfile');
    expect(loadLockSetup(inputs({ yaml: 'dockerfile:\n  path: Other.Dockerfile\n' }), opts({ filename: 'sub/Other.Dockerfile' }))?.mode).toBe('dev');
    // the default path does not refuse another file
    expect(loadLockSetup(inputs({ yaml: 'tag: a/b\n' }), opts({ filename: 'app.Dockerfile' }))?.mode).toBe('dev');
    const sub = thrown(() => loadLockSetup(inputs({ yaml: 'subimages:\n  tools:\n    context: tools\n' }), opts()));
    expect(sub.primary).toMatchObject({ code: 'DOCKERFILE_UNSUPPORTED', range: { startLine: 3 } });
  });
});

describe('Gosh.yaml args and --sbom', () => {
  it('Gosh.yaml args are defaults under --build-arg', () => {
    const merged = withGoshArgs(opts({ 'build-arg:A': 'cli' }), new Map([['A', 'yaml'], ['B', 'yaml']]));
    expect([...merged.buildArgs]).toEqual([['A', 'cli'], ['B', 'yaml']]);
  });

  it('--sbom arrives as attest:sbom', () => {
    expect(wantsSbomAttestation(opts({ 'attest:sbom': '' }))).toBe(true);
    expect(wantsSbomAttestation(opts())).toBe(false);
  });
});
