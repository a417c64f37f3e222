import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATOR_MANIFEST_FILE, SHIPPED_MANIFEST_DIR } from '../../../src/cli/generator-manifest.js';
import { sha256Hex } from '../../../src/core/digest.js';
import { renderSbomOutputs } from '../../../src/sbom/render.js';
import { listSbomCases, loadSbomCase } from '../../golden/sbom/load-case.js';
import { repoRoot, sharedFixture } from '../../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../../helpers/temp-dir.js';
import { gosh } from './cli-harness.js';
import { startMockAttestor } from './mock-attestor.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const IMAGE = `registry.example/team/app@${DIGEST}`;
const OUR_SPDX = resolve(repoRoot, 'test/fixtures/sbom-lock/example.spdx.json');
const SYFT_SPDX = sharedFixture('fixtures/sbom/spdx/syft-1.4.1_ubi9-ubi-micro.image.spdx.json');
const TRIVY_CDX = sharedFixture('fixtures/sbom/cyclonedx/trivy-0.42.1_alpine-3.13.1.image.cdx.json');
const SDE = { SOURCE_DATE_EPOCH: '1700000000' };

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('cli-descriptor');
});
afterAll(async () => removeTempDir(dir));

function write(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const metadata = (digest: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    'buildx.build.ref': 'builder/builder0/abc',
    'containerimage.config.digest': `sha256:${'cd'.repeat(32)}`,
    'containerimage.descriptor': { mediaType: 'application/vnd.oci.image.index.v1+json', digest, size: 1609 },
    'containerimage.digest': digest,
    'image.name': 'registry.example/team/app:1',
    ...extra,
  }, null, 2);

describe('gosh descriptor: what it prints', () => {
  it('describes the exact bytes of the SBOM', async () => {
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', SYFT_SPDX], { env: SDE });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const d = JSON.parse(r.stdout);
    const bytes = readFileSync(SYFT_SPDX);
    expect(d.artifact.digest).toBe(`sha256:${sha256Hex(bytes)}`);
    expect(d.artifact.size).toBe(bytes.byteLength);
    expect(d.artifact.mediaType).toBe('application/spdx+json');
    expect(d.artifact.artifactType).toBe('application/spdx+json');
    expect(d.generatedAt).toBe('2023-11-14T22:13:20Z');
    expect(d.provenance).toMatchObject({ status: 'pending', payloadType: 'application/vnd.in-toto+json', predicateType: 'https://spdx.dev/Document' });
    expect('attestorUri' in d.provenance).toBe(false);
    expect('subject' in d).toBe(false);
  });

  it('records name, format, kind, repository and build ref as annotations', async () => {
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', TRIVY_CDX, '--sbom-name', 'app.cdx.json', '--sbom-kind', 'usage', '--repository', 'github.com/acme/app', '--build-ref', 'refs/tags/v1.2.3'], { env: SDE });
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout).artifact.annotations;
    expect(a).toMatchObject({
      'org.opencontainers.image.title': 'app.cdx.json',
      'org.opencontainers.image.created': '2023-09-07T12:58:31Z',
      'org.stellaops.sbom.name': 'app.cdx.json',
      'org.stellaops.sbom.format': 'cyclonedx-json',
      'org.stellaops.sbom.kind': 'usage',
      'org.stellaops.repository': 'github.com/acme/app',
      'org.stellaops.build.ref': 'refs/tags/v1.2.3',
      'org.stellaops.image.name': 'registry.example/team/app',
      'org.stellaops.image.digest': DIGEST,
      'dev.gosh.sbom.spec-version': 'CycloneDX-1.4',
    });
  });

  it('--artifact-type sets artifactType only', async () => {
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', TRIVY_CDX, '--artifact-type', 'application/vnd.stellaops.sbom.layer+json'], { env: SDE });
    const d = JSON.parse(r.stdout);
    expect(d.artifact.artifactType).toBe('application/vnd.stellaops.sbom.layer+json');
    expect(d.artifact.mediaType).toBe('application/vnd.cyclonedx+json');
  });

  it('--sbom-format that matches the file is accepted', async () => {
    expect((await gosh(['descriptor', '--image', IMAGE, '--sbom', TRIVY_CDX, '--sbom-format', 'cyclonedx-json'])).code).toBe(0);
    expect((await gosh(['descriptor', '--image', IMAGE, '--sbom', SYFT_SPDX, '--sbom-format', 'spdx-json'])).code).toBe(0);
  });

  it('--metadata-file fills the subject: the DSSE hash changes, the nonce does not', async () => {
    const meta = write('meta/ok.json', metadata(DIGEST));
    const without = JSON.parse((await gosh(['descriptor', '--image', IMAGE, '--sbom', OUR_SPDX], { env: SDE })).stdout);
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', OUR_SPDX, '--metadata-file', meta], { env: SDE });
    expect(r.code).toBe(0);
    const withSubject = JSON.parse(r.stdout);
    expect(withSubject.subject).toEqual({ mediaType: 'application/vnd.oci.image.index.v1+json', digest: DIGEST, size: 1609 });
    expect(withSubject.provenance.nonce).toBe(without.provenance.nonce);
    expect(withSubject.provenance.expectedDsseSha256).not.toBe(without.provenance.expectedDsseSha256);
    // the sbom-lock.md §11 example: the same lock, the same subject
    const example = JSON.parse(readFileSync(resolve(repoRoot, 'test/fixtures/sbom-lock/example.descriptor.json'), 'utf8'));
    expect(withSubject.provenance).toEqual(example.provenance);
  });

  it('a CycloneDX file without serial number or time: no such annotations, the --image repository as the name', async () => {
    const sbom = write('min.cdx.json', '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}\n');
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', sbom], { env: SDE });
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout).artifact.annotations;
    expect('org.opencontainers.image.created' in a).toBe(false);
    expect('dev.gosh.sbom.document-namespace' in a).toBe(false);
  });
});

describe('gosh descriptor: determinism', () => {
  const argv = ['descriptor', '--image', IMAGE, '--sbom', TRIVY_CDX, '--repository', 'r', '--build-ref', 'b'];

  it('with SOURCE_DATE_EPOCH: identical bytes whatever the clock says', async () => {
    const a = await gosh(argv, { env: SDE, now: new Date('2031-01-01T00:00:00Z') });
    const b = await gosh(argv, { env: SDE, now: new Date('2032-02-02T02:02:02Z') });
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it('without it: only generatedAt differs, and it is the clock', async () => {
    const a = await gosh(argv, { now: new Date('2031-01-01T00:00:00.999Z') });
    const b = await gosh(argv, { now: new Date('2032-02-02T02:02:02Z') });
    const da = JSON.parse(a.stdout);
    const db = JSON.parse(b.stdout);
    expect(da.generatedAt).toBe('2031-01-01T00:00:00Z');
    expect(db.generatedAt).toBe('2032-02-02T02:02:02Z');
    delete da.generatedAt;
    delete db.generatedAt;
    expect(db).toEqual(da);
    expect(a.stdout.replace(/"generatedAt": "[^"]*"/, '')).toBe(b.stdout.replace(/"generatedAt": "[^"]*"/, ''));
  });
});

describe('gosh descriptor: errors are clear, exit non-zero and print nothing on stdout', () => {
  const cases: [string, () => string[], Record<string, string>, number, string][] = [
    ['a reference without digest', () => ['--image', 'x', '--sbom', SYFT_SPDX], {}, 2, 'gosh descriptor: --image needs a digest (REF@sha256:<hex>), got "x"'],
    ['a malformed reference', () => ['--image', 'Bad/Name@sha256:00', '--sbom', SYFT_SPDX], {}, 2, 'gosh descriptor: --image "Bad/Name@sha256:00" is not an image reference'],
    ['no --image', () => ['--sbom', SYFT_SPDX], {}, 2, '--image REF@sha256:<hex> is required'],
    ['no --sbom', () => ['--image', IMAGE], {}, 2, '--sbom FILE is required'],
    ['an unknown flag', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--sbom-type', 'x'], {}, 2, 'gosh descriptor: unknown flag --sbom-type'],
    ['a positional argument', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, 'extra'], {}, 2, 'unexpected argument "extra"'],
    ['an unknown kind', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--sbom-kind', 'runtime'], {}, 2, '--sbom-kind must be inventory or usage, got "runtime"'],
    ['an unknown format', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--sbom-format', 'spdx-tv'], {}, 2, '--sbom-format must be cyclonedx-json or spdx-json, got "spdx-tv"'],
    ['a format the file does not have', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--sbom-format', 'cyclonedx-json'], {}, 1, `--sbom-format cyclonedx-json, but ${SYFT_SPDX} is SPDX JSON (spdxVersion)`],
    ['an artifact type that is not a media type', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--artifact-type', 'sbom'], {}, 2, '--artifact-type must be a media type'],
    ['a missing SBOM', () => ['--image', IMAGE, '--sbom', join(dir, 'missing.json')], {}, 1, 'missing.json": no such file'],
    ['an SBOM that is a directory', () => ['--image', IMAGE, '--sbom', dir], {}, 1, 'it is a directory'],
    ['a malformed SBOM', () => ['--image', IMAGE, '--sbom', write('broken.json', '{\n  "bomFormat": "CycloneDX",\n  "specVersion": 1.5,\n}\n')], {}, 1, 'broken.json:4: invalid JSON'],
    ['a file that is no SBOM', () => ['--image', IMAGE, '--sbom', sharedFixture('fixtures/sbom/npm/package.json')], {}, 1, 'not an SBOM'],
    ['a bad SOURCE_DATE_EPOCH', () => ['--image', IMAGE, '--sbom', SYFT_SPDX], { SOURCE_DATE_EPOCH: 'yesterday' }, 1, 'SOURCE_DATE_EPOCH must be a whole number'],
    ['a metadata file for another image', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--metadata-file', write('meta/other.json', metadata(`sha256:${'ef'.repeat(32)}`))], {}, 1, `--image digest ${DIGEST} differs from the built image's sha256:${'ef'.repeat(32)}`],
    ['a metadata file without the image', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--metadata-file', write('meta/none.json', '{"buildx.build.ref":"x"}')], {}, 1, 'no containerimage.descriptor'],
    ['bake metadata', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--metadata-file', write('meta/bake.json', JSON.stringify({ app: JSON.parse(metadata(DIGEST)) }))], {}, 1, 'looks like bake metadata (targets app)'],
    ['a malformed image descriptor', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--metadata-file', write('meta/bad.json', metadata(DIGEST).replace('1609', '-1'))], {}, 1, 'size must be a non-negative integer'],
    ['a token without an attestor', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--attestor-token', 'tok'], {}, 2, '--attestor-token without --attestor'],
    ['--attestor-insecure without an attestor', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--attestor-insecure'], {}, 2, '--attestor-insecure without --attestor'],
    ['an attestor URL with credentials', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--attestor', 'https://u:secret@attestor.example/'], {}, 2, 'must not carry credentials'],
    ['an attestor that is not http', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--attestor', 'ftp://attestor.example/'], {}, 2, 'must be an http or https URL'],
    ['a token with a newline', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--attestor', 'http://127.0.0.1:9/', '--attestor-token', 'a\nb'], {}, 2, 'must be visible ASCII'],
    ['a --sbom-name with a newline', () => ['--image', IMAGE, '--sbom', SYFT_SPDX, '--sbom-name', 'a\nb'], {}, 2, '--sbom-name must be one non-empty line'],
  ];

  it.each(cases)('%s', async (_what, argv, env, code, message) => {
    const r = await gosh(['descriptor', ...argv()], { env });
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
  });

  it('a manifest that does not accept the format', async () => {
    const m = JSON.parse(readFileSync(join(SHIPPED_MANIFEST_DIR, GENERATOR_MANIFEST_FILE), 'utf8'));
    m.sbomFormats = ['spdx-json'];
    const mdir = join(dir, 'spdx-only');
    write(`spdx-only/${GENERATOR_MANIFEST_FILE}`, JSON.stringify(m));
    const r = await gosh(['descriptor', '--manifest', mdir, '--image', IMAGE, '--sbom', TRIVY_CDX]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain('does not accept cyclonedx-json SBOMs (sbomFormats: spdx-json)');
    expect((await gosh(['descriptor', '--manifest', mdir, '--image', IMAGE, '--sbom', SYFT_SPDX])).code).toBe(0);
  });

  it('a token in an error is never shown', async () => {
    const r = await gosh(['descriptor', '--image', IMAGE, '--sbom', SYFT_SPDX, '--attestor', 'http://127.0.0.1:9/', '--attestor-token', 'sekrit token']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('sekrit');
  });
});

describe('the frontend and gosh descriptor agree (same SBOM, same sbom/ functions)', () => {
  // The frontend renders its SBOMs and descriptor with renderSbomOutputs (sbom/render.ts); this
  // renders each golden SBOM case the same way, then runs the CLI on the SPDX file it returned.
  // Everything the frontend wrote must come back identical: digest, size, nonce, the whole
  // provenance placeholder, subject, generator, annotations.
  const cases = listSbomCases(resolve(repoRoot, 'test/golden/sbom'));

  it.each(cases.map((c) => [c.split('/').pop() ?? c, c]))('%s', async (_name, caseDir) => {
    const attestor = await startMockAttestor(() => ({ status: 202 }));
    try {
      const c = loadSbomCase(caseDir);
      const options = { ...c.options, ...(c.options.attestorUri !== undefined ? { attestorUri: attestor.url } : {}) };
      const frontend = renderSbomOutputs(c.lock, c.facts, options);
      const work = join(dir, `agree-${c.name}`);
      mkdirSync(work, { recursive: true });
      const sbom = join(work, 'sbom.spdx.json');
      writeFileSync(sbom, frontend.spdx.text);
      const digest = options.subject?.digest ?? DIGEST;
      const argv = ['descriptor', '--image', `registry.example/built@${digest}`, '--sbom', sbom];
      if (options.subject !== undefined) {
        writeFileSync(join(work, 'metadata.json'), JSON.stringify({ 'containerimage.descriptor': options.subject, 'containerimage.digest': digest }));
        argv.push('--metadata-file', join(work, 'metadata.json'));
      }
      if (options.attestorUri !== undefined) argv.push('--attestor', options.attestorUri);
      const r = await gosh(argv, { env: SDE });
      expect(r.stderr).toBe(options.attestorUri !== undefined ? 'gosh descriptor: the attestor accepted the descriptor (HTTP 202, attempt 1)\n' : '');
      expect(r.code).toBe(0);
      const cli = JSON.parse(r.stdout);
      delete cli.generatedAt;
      for (const key of Object.keys(cli.artifact.annotations)) if (key.startsWith('org.stellaops.')) delete cli.artifact.annotations[key];
      expect(cli).toEqual(JSON.parse(frontend.descriptorText));
      expect(attestor.requests).toHaveLength(options.attestorUri !== undefined ? 1 : 0);
    } finally {
      await attestor.close();
    }
  });

  it('covers a subject and an attestor among the cases', () => {
    const options = cases.map((c) => loadSbomCase(c).options);
    expect(options.some((o) => o.subject !== undefined)).toBe(true);
    expect(options.some((o) => o.attestorUri !== undefined)).toBe(true);
    expect(existsSync(OUR_SPDX)).toBe(true);
  });
});
