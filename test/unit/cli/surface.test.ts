import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/digest.js';
import { sharedFixture } from '../../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../../helpers/temp-dir.js';
import { gosh } from './cli-harness.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const IMAGE = `registry.example/team/app@${DIGEST}`;
const SBOM = sharedFixture('fixtures/sbom/cyclonedx/trivy-0.42.1_alpine-3.13.1.image.cdx.json');
const SDE = { SOURCE_DATE_EPOCH: '1700000000' };

const FRAGMENTS = '{"layers":[{"digest":"sha256:1111","components":["musl"]}]}\n';
const GRAPH = '{"nodes":[{"id":"entry","path":"/bin/sh"}],"edges":[]}\n';
const NDJSON = '{"step":1,"path":"/bin/sh"}\n{"step":2,"path":"/usr/bin/app"}\n';

let dir: string;
let inputs: { fragments: string; graph: string; ndjson: string };
beforeAll(async () => {
  dir = await makeTempDir('cli-surface');
  const put = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  inputs = { fragments: put('fragments.json', FRAGMENTS), graph: put('graph.json', GRAPH), ndjson: put('trace.ndjson', NDJSON) };
});
afterAll(async () => removeTempDir(dir));

const hex = (text: string): string => sha256Hex(text);

/** Every file under `root`: relative path → content. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p)] = readFileSync(p, 'utf8');
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

function payloadFlags(): string[] {
  return ['--surface-layer-fragments', inputs.fragments, '--surface-entrytrace-graph', inputs.graph, '--surface-entrytrace-ndjson', inputs.ndjson];
}

describe('Surface artefacts from flags', () => {
  it('stores each payload content-addressed and writes the manifest naming them', async () => {
    const root = join(dir, 'flags');
    const out = join(dir, 'flags-out', 'surface.json');
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', SBOM, ...payloadFlags(), '--surface-cache-root', root, '--surface-tenant', 'acme', '--surface-manifest-output', out], { env: SDE });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const base = 'scanner-artifacts/scanner/surface/acme';
    const manifestText = readFileSync(out, 'utf8');
    expect(tree(root)).toEqual({
      [`${base}/entrytrace-graph/sha256/${hex(GRAPH)}.json`]: GRAPH,
      [`${base}/entrytrace-ndjson/sha256/${hex(NDJSON)}.ndjson`]: NDJSON,
      [`${base}/layer-fragments/sha256/${hex(FRAGMENTS)}.json`]: FRAGMENTS,
      [`${base}/manifests/sha256/${hex(manifestText)}.json`]: manifestText,
    });
    const manifest = JSON.parse(manifestText);
    expect(manifest).toEqual({
      schema: 'gosh.surface-manifest.v1',
      generator: { name: 'gosh-frontend', version: '0.1.0' },
      casLayoutVersion: 1,
      tenant: 'acme',
      image: IMAGE,
      payloads: [
        { kind: 'layer-fragments', mediaType: 'application/json', digest: `sha256:${hex(FRAGMENTS)}`, size: FRAGMENTS.length, uri: `cas://${base}/layer-fragments/sha256/${hex(FRAGMENTS)}.json` },
        { kind: 'entrytrace-graph', mediaType: 'application/json', digest: `sha256:${hex(GRAPH)}`, size: GRAPH.length, uri: `cas://${base}/entrytrace-graph/sha256/${hex(GRAPH)}.json` },
        { kind: 'entrytrace-ndjson', mediaType: 'application/x-ndjson', digest: `sha256:${hex(NDJSON)}`, size: NDJSON.length, uri: `cas://${base}/entrytrace-ndjson/sha256/${hex(NDJSON)}.ndjson` },
      ],
    });
    expect(JSON.parse(r.stdout).surface).toEqual({
      tenant: 'acme',
      manifest: { uri: `cas://${base}/manifests/sha256/${hex(manifestText)}.json`, digest: `sha256:${hex(manifestText)}`, size: Buffer.byteLength(manifestText) },
    });
  });

  it('a rerun: byte-identical manifest and descriptor, CAS files left untouched', async () => {
    const root = join(dir, 'rerun');
    const out = join(dir, 'rerun.json');
    const argv = ['descriptor', '--image', IMAGE, '--sbom', SBOM, ...payloadFlags(), '--surface-cache-root', root, '--surface-manifest-output', out];
    const first = await gosh(argv, { env: SDE });
    const before = tree(root);
    const mtimes = Object.keys(before).map((p) => statSync(join(root, p)).mtimeMs);
    const manifest = readFileSync(out, 'utf8');
    const second = await gosh(argv, { env: SDE, now: new Date('2040-01-01T00:00:00Z') });
    expect(second.stdout).toBe(first.stdout);
    expect(readFileSync(out, 'utf8')).toBe(manifest);
    expect(tree(root)).toEqual(before);
    expect(Object.keys(before).map((p) => statSync(join(root, p)).mtimeMs)).toEqual(mtimes);
  });

  it('the cache root defaults to --cas; bucket and tenant to scanner-artifacts and default', async () => {
    const cas = join(dir, 'cas-default');
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', SBOM, '--cas', cas, '--surface-layer-fragments', inputs.fragments]);
    expect(r.code).toBe(0);
    expect(Object.keys(tree(cas))).toContain(`scanner-artifacts/scanner/surface/default/layer-fragments/sha256/${hex(FRAGMENTS)}.json`);
    expect(JSON.parse(r.stdout).surface.manifest.uri).toMatch(/^cas:\/\/scanner-artifacts\/scanner\/surface\/default\/manifests\/sha256\/[0-9a-f]{64}\.json$/);
  });
});

describe('Surface artefacts from STELLAOPS_SURFACE_* variables', () => {
  it('the variables alone do what the flags do', async () => {
    const viaFlags = join(dir, 'v-flags');
    const viaEnv = join(dir, 'v-env');
    const a = await gosh(['descriptor', '--image', IMAGE, '--sbom', SBOM, ...payloadFlags(), '--surface-cache-root', viaFlags, '--surface-tenant', 't1', '--surface-manifest-output', join(viaFlags, 'm.json')], { env: SDE });
    const b = await gosh(['descriptor', '--image', IMAGE, '--sbom', SBOM], {
      env: {
        ...SDE,
        STELLAOPS_SURFACE_LAYER_FRAGMENTS: inputs.fragments,
        STELLAOPS_SURFACE_ENTRYTRACE_GRAPH: inputs.graph,
        STELLAOPS_SURFACE_ENTRYTRACE_NDJSON: inputs.ndjson,
        STELLAOPS_SURFACE_CACHE_ROOT: viaEnv,
        STELLAOPS_SURFACE_TENANT: 't1',
        STELLAOPS_SURFACE_MANIFEST_OUTPUT: join(viaEnv, 'm.json'),
      },
    });
    expect(b.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(tree(viaEnv)).toEqual(tree(viaFlags));
  });

  it('a flag wins over its variable; the bucket comes from its variable', async () => {
    const root = join(dir, 'precedence');
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', SBOM, '--surface-layer-fragments', inputs.fragments, '--surface-tenant', 'from-flag', '--surface-cache-root', root], {
      env: { STELLAOPS_SURFACE_TENANT: 'from-env', STELLAOPS_SURFACE_CACHE_ROOT: join(dir, 'not-used'), STELLAOPS_SURFACE_BUCKET: 'ci-bucket', STELLAOPS_SURFACE_LAYER_FRAGMENTS: inputs.graph },
    });
    expect(r.code).toBe(0);
    expect(Object.keys(tree(root)).sort()).toEqual([
      expect.stringMatching(/^ci-bucket\/scanner\/surface\/from-flag\/layer-fragments\/sha256\//),
      expect.stringMatching(/^ci-bucket\/scanner\/surface\/from-flag\/manifests\/sha256\//),
    ]);
    expect(Object.values(tree(root))).toContain(FRAGMENTS);
    expect(existsSync(join(dir, 'not-used'))).toBe(false);
  });

  it('settings without a payload in the environment are ignored; no surface in the descriptor', async () => {
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', SBOM], { env: { STELLAOPS_SURFACE_CACHE_ROOT: join(dir, 'idle'), STELLAOPS_SURFACE_TENANT: 'x', STELLAOPS_SURFACE_LAYER_FRAGMENTS: '' } });
    expect(r.code).toBe(0);
    expect('surface' in JSON.parse(r.stdout)).toBe(false);
    expect(existsSync(join(dir, 'idle'))).toBe(false);
  });
});

describe('Surface errors: clear, nothing written, nothing on stdout', () => {
  let errorRuns = 0;
  const bad = (name: string, text: string): string => {
    const p = join(dir, 'bad', name);
    mkdirSync(join(dir, 'bad'), { recursive: true });
    writeFileSync(p, text);
    return p;
  };

  it.each([
    ['a payload that is not JSON', () => ['--surface-entrytrace-graph', bad('graph.json', '{"nodes": [\n  oops\n]}')], 1, /graph\.json:2: invalid JSON/],
    ['an NDJSON line that is not JSON', () => ['--surface-entrytrace-ndjson', bad('t.ndjson', '{"a":1}\n{"b":\n')], 1, /t\.ndjson:2: invalid NDJSON: not a JSON value/],
    ['an empty NDJSON line', () => ['--surface-entrytrace-ndjson', bad('e.ndjson', '{"a":1}\n\n{"b":2}\n')], 1, /e\.ndjson:2: invalid NDJSON: empty line/],
    ['an empty payload', () => ['--surface-layer-fragments', bad('empty.json', '')], 1, /empty\.json: the file is empty/],
    ['a missing payload', () => ['--surface-layer-fragments', join(dir, 'bad', 'nope.json')], 1, /cannot read the layer-fragments payload .*nope\.json" \(--surface-layer-fragments\): ENOENT/],
    ['a tenant that climbs', () => ['--surface-layer-fragments', inputs.fragments, '--surface-tenant', '../etc'], 2, /tenant "\.\.\/etc" \(--surface-tenant\) must be letters/],
    ['a Surface flag without a payload', () => ['--surface-tenant', 'acme'], 2, /^gosh descriptor: --surface-cache-root without a Surface payload \(--surface-layer-fragments, /],
  ])('%s', async (_what, extra, code, message) => {
    const n = ++errorRuns;
    const root = join(dir, `err-root-${n}`);
    const out = join(dir, `err-out-${n}.json`);
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', SBOM, '--surface-cache-root', root, '--surface-manifest-output', out, ...extra()].filter((a) => a !== ''), { env: {} });
    expect(r.stderr).toMatch(message);
    expect(r).toMatchObject({ code, stdout: '' });
    expect(existsSync(root)).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  it('a bad bucket variable', async () => {
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', SBOM, '--cas', join(dir, 'bb'), '--surface-layer-fragments', inputs.fragments], { env: { STELLAOPS_SURFACE_BUCKET: 'Bad_Bucket' } });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('bucket "Bad_Bucket" (STELLAOPS_SURFACE_BUCKET)');
  });

  it('payloads without any cache root', async () => {
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', SBOM, '--surface-layer-fragments', inputs.fragments]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('Surface payloads need a cache root: --surface-cache-root DIR, STELLAOPS_SURFACE_CACHE_ROOT or --cas DIR');
  });

  it('a cache root that cannot be created', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', SBOM, '--surface-layer-fragments', inputs.fragments, '--surface-cache-root', join(file, 'root')]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^gosh descriptor: cannot create the Surface cache root .*a-file\/root: ENOTDIR/);
  });

  it('a cache root that is a file', async () => {
    const file = join(dir, 'root-file');
    writeFileSync(file, 'x');
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', SBOM, '--surface-layer-fragments', inputs.fragments, '--surface-cache-root', file]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('is not a directory');
  });

  it('an object with other bytes under its name: a corrupt CAS is reported, not overwritten', async () => {
    const root = join(dir, 'corrupt');
    const argv = ['descriptor', '--image', IMAGE, '--sbom', SBOM, '--surface-layer-fragments', inputs.fragments, '--surface-cache-root', root];
    expect((await gosh(argv)).code).toBe(0);
    const path = join(root, `scanner-artifacts/scanner/surface/default/layer-fragments/sha256/${hex(FRAGMENTS)}.json`);
    writeFileSync(path, '{}\n');
    const r = await gosh(argv);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain(`the CAS object ${path} holds other bytes`);
    expect(readFileSync(path, 'utf8')).toBe('{}\n');
  });
});
