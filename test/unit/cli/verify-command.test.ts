// gosh verify: offline, every problem at once, each located in the file that has to change;
// exit 0 with a one-line summary on stdout, or exit 1 with nothing on stdout.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/digest.js';
import { makeTempDir, removeTempDir } from '../../helpers/temp-dir.js';
import { gosh } from './cli-harness.js';
import { digestOf, lineOf, lockText, writeContext } from './lock-context.js';

const BUSYBOX = 'docker.io/library/busybox:1.36';
const ALPINE = 'docker.io/library/alpine:3.20';
const DEBIAN = 'docker.io/library/debian:12';
const NGINX = 'docker.io/library/nginx:1';

const DOCKERFILE = [
  'FROM busybox:1.36 AS build', //                     1: build stage
  'RUN echo hi > /a',
  'FROM alpine:3.20', //                               3: target
  'COPY --from=build /a /b',
  'COPY --from=debian:12 /etc/os-release /x', //       5: an image by --from
  'RUN --mount=from=nginx:1,target=/n true', //        6: an image by mount from=
  '',
].join('\n');

const ALL = { [BUSYBOX]: digestOf('a'), [ALPINE]: digestOf('b'), [DEBIAN]: digestOf('c'), [NGINX]: digestOf('d') };

let root: string;
let n = 0;
beforeAll(async () => {
  root = await makeTempDir('cli-verify');
});
afterAll(async () => removeTempDir(root));

function context(files: Readonly<Record<string, string>>): string {
  return writeContext(join(root, `c${++n}`), files);
}

describe('gosh verify: a lock that matches', () => {
  it('exit 0 and a summary: every FROM, COPY --from and RUN --mount from= image is pinned', async () => {
    const dir = context({ Dockerfile: DOCKERFILE, 'sbom.spdx.json': lockText({ images: ALL, dockerfile: DOCKERFILE }) });
    const r = await gosh(['verify', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('sbom.spdx.json: ok: 4 image uses pinned by 4 images, 0 packages, 0 manifests; nothing stale\n');
  });

  it('an inline digest equal to the lock\'s is fine', async () => {
    const dockerfile = `FROM busybox:1.36@${digestOf('a')}\n`;
    const dir = context({ Dockerfile: dockerfile, 'sbom.spdx.json': lockText({ images: { [BUSYBOX]: digestOf('a') }, dockerfile }) });
    expect((await gosh(['verify', dir])).code).toBe(0);
  });

  it('the context defaults to the working directory', async () => {
    const dir = context({ Dockerfile: 'FROM busybox:1.36\n', 'sbom.spdx.json': lockText({ images: { [BUSYBOX]: digestOf('a') }, dockerfile: 'FROM busybox:1.36\n' }) });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect((await gosh(['verify'])).code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('gosh verify: what a prod build would refuse, located', () => {
  it('an image the lock does not list: Dockerfile line, exit 1, nothing on stdout', async () => {
    const { [NGINX]: _nginx, ...rest } = ALL;
    const dir = context({ Dockerfile: DOCKERFILE, 'sbom.spdx.json': lockText({ images: rest }) });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Dockerfile:6: image ${NGINX} is not in sbom.spdx.json; run gosh lock\n`);
  });

  it('an inline digest that differs from the lock: the Dockerfile line and where the lock pins it', async () => {
    const lock = lockText({ images: { [BUSYBOX]: digestOf('a') } });
    const dir = context({ Dockerfile: `FROM scratch\nFROM busybox:1.36@${digestOf('f')}\n`, 'sbom.spdx.json': lock });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Dockerfile:2: image ${BUSYBOX}: digest ${digestOf('f')} differs from ${digestOf('a')} in sbom.spdx.json; run gosh lock\n` +
        `  note: sbom.spdx.json:${lineOf(lock, '"SPDXRef-Image-') - 1}: locked as ${digestOf('a')} at packages[0]\n`,
    );
  });

  it('a stale entry: the lock file, line and JSON path', async () => {
    const lock = lockText({ images: { ...ALL, 'docker.io/library/old:1': digestOf('e') } });
    const dir = context({ Dockerfile: DOCKERFILE, 'sbom.spdx.json': lock });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(lock) as { packages: { name: string }[] };
    const index = doc.packages.findIndex((p) => p.name === 'docker.io/library/old:1');
    expect(r.stderr).toMatch(new RegExp(`^sbom\\.spdx\\.json:\\d+: packages\\[${index}\\]: image docker\\.io/library/old:1 is in sbom\\.spdx\\.json but the build does not use it; run gosh lock\\n$`));
  });

  it('every problem at once, sorted by file and line', async () => {
    const { [DEBIAN]: _debian, ...rest } = ALL;
    const lock = lockText({ images: { ...rest, 'docker.io/library/old:1': digestOf('e') } });
    const dir = context({ Dockerfile: DOCKERFILE.replace('FROM busybox:1.36 AS build', `FROM busybox:1.36@${digestOf('9')} AS build`), 'sbom.spdx.json': lock });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('  note:'));
    expect(lines.map((l) => l.replace(/: .*/s, ''))).toEqual(['Dockerfile:1', 'Dockerfile:5', expect.stringMatching(/^sbom\.spdx\.json:\d+$/)]);
    expect(lines[1]).toContain(`image ${DEBIAN} is not in sbom.spdx.json`);
  });

  it('build args and --target change what is checked, as in the build', async () => {
    const dockerfile = 'ARG BASE=busybox:1.36\nFROM $BASE AS one\nFROM alpine:3.20 AS two\n';
    const dir = context({ Dockerfile: dockerfile, 'sbom.spdx.json': lockText({ images: { [BUSYBOX]: digestOf('a') }, dockerfile, options: { target: 'one' } }) });
    expect((await gosh(['verify', '--target', 'one', dir])).stderr).toBe('');
    const other = await gosh(['verify', '--target', 'one', '--build-arg', 'BASE=debian:12', dir]);
    expect(other.stderr).toContain(`Dockerfile:2: image ${DEBIAN} is not in sbom.spdx.json`);
    expect(other.stderr).toContain(`image ${BUSYBOX} is in sbom.spdx.json but the build does not use it`);
    const last = await gosh(['verify', dir]);
    expect(last.stderr).toContain(`Dockerfile:3: image ${ALPINE} is not in sbom.spdx.json`);
  });

  it('every --platform is planned: an image per platform must be pinned', async () => {
    const dockerfile = '# the automatic platform ARGs need no declaration in FROM\nFROM localhost:5000/base-${TARGETARCH}:1\n';
    const amd = 'localhost:5000/base-amd64:1';
    const arm = 'localhost:5000/base-arm64:1';
    const both = lockText({ images: { [amd]: digestOf('a'), [arm]: digestOf('b') } });
    const r = await gosh(['verify', '--platform', 'linux/amd64,linux/arm64', context({ Dockerfile: dockerfile, 'sbom.spdx.json': both })]);
    expect(r.stderr).toMatch(/^sbom\.spdx\.json:\d+: relationships\[\d+\]\.comment: the lock differs from the SBOM this build writes/); // pinned, not stale: only the usage tree differs
    const one = await gosh(['verify', '--platform', 'linux/amd64,linux/arm64', context({ Dockerfile: dockerfile, 'sbom.spdx.json': lockText({ images: { [amd]: digestOf('a') } }) })]);
    expect(one.code).toBe(1);
    expect(one.stderr).toBe(`Dockerfile:2: image ${arm} is not in sbom.spdx.json; run gosh lock\n`);
  });

  it('Gosh.yaml args are build-arg defaults; --build-arg wins; -f names another Dockerfile', async () => {
    const dir = context({
      'Gosh.yaml': 'args:\n  BASE: alpine:3.20\n',
      'build.Dockerfile': 'ARG BASE=busybox:1.36\nFROM $BASE\n',
      'sbom.spdx.json': lockText({ images: { [ALPINE]: digestOf('b') }, dockerfile: 'ARG BASE=busybox:1.36\nFROM $BASE\n', options: { 'build-arg:BASE': 'alpine:3.20' } }),
    });
    expect((await gosh(['verify', '-f', 'build.Dockerfile', dir])).stderr).toBe('');
    const r = await gosh(['verify', '-f', 'build.Dockerfile', '--build-arg', 'BASE=busybox:1.36', dir]);
    expect(r.stderr).toContain(`build.Dockerfile:2: image ${BUSYBOX} is not in sbom.spdx.json`);
  });

  it('Gosh.yaml policy.registries: an image from another registry is refused at its line', async () => {
    const dir = context({
      'Gosh.yaml': 'policy:\n  registries: [localhost:5000]\n',
      Dockerfile: 'FROM busybox:1.36\n',
      'sbom.spdx.json': lockText({ images: { [BUSYBOX]: digestOf('a') } }),
    });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Dockerfile:1: image ${BUSYBOX}: registry docker.io is not allowed by policy.registries (localhost:5000)\n  note: Gosh.yaml:2: policy.registries is set here\n`,
    );
  });

  it('a Cargo.lock that changed since the lock was written is stale; an unchanged one is fine', async () => {
    const cargo = '# cargo lock\nversion = 3\n';
    const manifest = { path: 'Cargo.lock', sha1: '0'.repeat(40), sha256: sha256Hex(cargo) };
    const dir = context({
      'Gosh.yaml': 'prepare:\n  cargo:\n    - lockfile: Cargo.lock\n',
      Dockerfile: 'FROM busybox:1.36\n',
      'Cargo.lock': cargo,
      'sbom.spdx.json': lockText({ images: { [BUSYBOX]: digestOf('a') }, manifests: [manifest], dockerfile: 'FROM busybox:1.36\n' }),
    });
    const ok = await gosh(['verify', dir]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('1 manifest;');
    writeFileSync(join(dir, 'Cargo.lock'), `${cargo}# edited\n`);
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sbom\.spdx\.json:\d+: files\[0\]: Cargo\.lock changed since sbom\.spdx\.json was written \(sha256 [0-9a-f]{64}, locked [0-9a-f]{64}\); run gosh lock\n$/);
    rmSync(join(dir, 'Cargo.lock'));
    expect((await gosh(['verify', dir])).stderr).toBe('Gosh.yaml:3: Cargo.lock does not exist in the context\n');
  });

  it('a manifest the lock has but Gosh.yaml no longer names is stale', async () => {
    const cargo = 'version = 3\n';
    const dir = context({
      Dockerfile: 'FROM busybox:1.36\n',
      'Cargo.lock': cargo,
      'sbom.spdx.json': lockText({ images: { [BUSYBOX]: digestOf('a') }, manifests: [{ path: 'Cargo.lock', sha1: '0'.repeat(40), sha256: sha256Hex(cargo) }] }),
    });
    expect((await gosh(['verify', dir])).stderr).toMatch(/files\[0\]: manifest Cargo\.lock is in sbom\.spdx\.json but the build does not use it/);
  });
});

describe('gosh verify: the lock must be the SBOM the build writes, byte for byte (as in prod)', () => {
  const dockerfile = 'FROM busybox:1.36 AS build\nFROM alpine:3.20\nCOPY --from=build /a /b\n';
  const images = { [BUSYBOX]: digestOf('a'), [ALPINE]: digestOf('b') };

  it('a usage tree the build no longer has (here: the stage was renamed) is found at its JSON path and line, as a prod build says', async () => {
    const lock = lockText({ images, dockerfile });
    const renamed = dockerfile.replace(/build/g, 'compile');
    const dir = context({ Dockerfile: renamed, 'sbom.spdx.json': lock });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const line = lock.split('\n').findIndex((l) => l.includes('"comment"') && l.includes('build')) + 1;
    expect(r.stderr).toBe(
      `sbom.spdx.json:${line}: relationships[1].comment: the lock differs from the SBOM this build writes: sbom.spdx.json has "gosh: FROM (stage build)", the build writes "gosh: FROM (stage compile)"; run gosh lock\n`,
    );
  });

  it('another name (Gosh.yaml tag) and a lock that is not in canonical form', async () => {
    const lock = lockText({ images, dockerfile });
    const tagged = await gosh(['verify', context({ Dockerfile: dockerfile, 'Gosh.yaml': 'tag: team/other\n', 'sbom.spdx.json': lock })]);
    expect(tagged.stderr).toMatch(/^sbom\.spdx\.json:\d+: name: the lock differs from the SBOM this build writes: sbom\.spdx\.json has "app", the build writes "team\/other"; run gosh lock\n$/);
    const reindented = `${JSON.stringify(JSON.parse(lock), null, 4)}\n`;
    const r = await gosh(['verify', context({ Dockerfile: dockerfile, 'sbom.spdx.json': reindented })]);
    expect(r.stderr).toBe('sbom.spdx.json: sbom.spdx.json is not in canonical form (same content, other bytes); run gosh lock to rewrite it\n');
    expect((await gosh(['verify', context({ Dockerfile: dockerfile, 'sbom.spdx.json': lock })])).code).toBe(0);
  });
});

describe('gosh verify: the lock itself must be consistent', () => {
  const dockerfile = 'FROM busybox:1.36\n';
  const good = (): string => lockText({ images: { [BUSYBOX]: digestOf('a') } });
  // tests reach deep into untyped JSON; a checked type would only repeat the schema
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Doc = Record<string, any>;
  const edited = (edit: (doc: Doc) => void): string => {
    const doc = JSON.parse(good()) as Doc;
    edit(doc);
    return `${JSON.stringify(doc, null, 2)}\n`;
  };

  it('no lock: a clear error naming the remedy', async () => {
    const dir = context({ Dockerfile: dockerfile });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`gosh verify: no sbom.spdx.json in ${dir}; run gosh lock to write it\n`);
  });

  it('bad JSON: the line', async () => {
    const dir = context({ Dockerfile: dockerfile, 'sbom.spdx.json': '{\n  "spdxVersion": "SPDX-2.3",\n  oops\n}\n' });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sbom\.spdx\.json:3: /);
  });

  it('a wrong spdxVersion: line and JSON path', async () => {
    const text = edited((d) => (d['spdxVersion'] = 'SPDX-2.2'));
    const dir = context({ Dockerfile: dockerfile, 'sbom.spdx.json': text });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`sbom.spdx.json:${lineOf(text, '"spdxVersion"')}: spdxVersion: `);
  });

  it('a dangling relationship', async () => {
    const text = edited((d) => d['relationships'].push({ relatedSpdxElement: 'SPDXRef-Nowhere', relationshipType: 'DEPENDS_ON', spdxElementId: 'SPDXRef-Root' }));
    const dir = context({ Dockerfile: dockerfile, 'sbom.spdx.json': text });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sbom\.spdx\.json:\d+: relationships\[\d+\]\.relatedSpdxElement: .*SPDXRef-Nowhere/m);
  });

  it('a duplicate entry: both places', async () => {
    const text = edited((d) => {
      const copy = { ...d['packages'][0], SPDXID: `${d['packages'][0].SPDXID}-2` };
      d['packages'].push(copy);
    });
    const dir = context({ Dockerfile: dockerfile, 'sbom.spdx.json': text });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/duplicate image docker\.io\/library\/busybox:1\.36/);
    expect(r.stderr).toMatch(/note: sbom\.spdx\.json:\d+: first listed at packages\[0\]/);
  });
});

describe('gosh verify: usage and inputs', () => {
  it('an unknown flag: exit 2, nothing on stdout', async () => {
    const r = await gosh(['verify', '--frobnicate', '.']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('gosh verify: unknown flag --frobnicate\n');
  });

  it('two contexts, a missing context, a bad --build-arg', async () => {
    expect((await gosh(['verify', 'a', 'b'])).stderr).toMatch(/^gosh verify: one context directory at most/);
    expect((await gosh(['verify', join(root, 'nope')])).stderr).toBe(`gosh verify: context directory ${join(root, 'nope')} does not exist\n`);
    expect((await gosh(['verify', '--build-arg', 'NOVALUE', '.'])).stderr).toBe('gosh verify: --build-arg wants KEY=VALUE, got "NOVALUE"\n');
  });

  it('a Dockerfile error is located as in a build', async () => {
    const dir = context({ Dockerfile: 'FROM busybox:1.36\nCOPY --chmodd=1 a b\n', 'sbom.spdx.json': lockText({ images: { [BUSYBOX]: digestOf('a') } }) });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Dockerfile:2: /);
  });

  it('Gosh.yaml sub-images are refused as not supported yet, never skipped', async () => {
    const dir = context({
      'Gosh.yaml': 'subimages:\n  tools:\n    context: tools\n',
      Dockerfile: 'FROM busybox:1.36\n',
      'sbom.spdx.json': lockText({ images: { [BUSYBOX]: digestOf('a') } }),
    });
    const r = await gosh(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Gosh.yaml:3: gosh verify: sub-images (Gosh.yaml subimages) are not supported yet\n');
  });

  it('reads nothing but writes nothing either', async () => {
    const lock = lockText({ images: { [BUSYBOX]: digestOf('a') } });
    const dir = context({ Dockerfile: 'FROM alpine:3.20\n', 'sbom.spdx.json': lock });
    await gosh(['verify', dir]);
    expect(readFileSync(join(dir, 'sbom.spdx.json'), 'utf8')).toBe(lock);
  });
});
