// Self-test of the e2e rig (test/helpers), with the engine's BUILTIN Dockerfile frontend only: it
// proves buildx(), the tree and image readers and the differential comparison before gosh exists.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOSH_FRONTEND_IMAGE, buildx, buildxArgs, describeResult, errorLocation, expectSuccess, removeImage } from '../helpers/buildx.js';
import {
  buildSide,
  compareSides,
  formatDifferential,
  loadCase,
  parseCaseSpec,
  runDifferential,
} from '../helpers/differential.js';
import { diffTrees, formatTree, readDirTree, readTarTree, withoutOwnership } from '../helpers/fs-tree.js';
import { imageFromStore, normalizeImageConfig, readOciImage, readOciLayout } from '../helpers/image.js';
import { sharedDir, sharedFixture } from '../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';

let work: string;

beforeAll(async () => {
  work = await makeTempDir('rig');
});

afterAll(async () => {
  await removeTempDir(work);
});

/** Writes a build context (path -> content) under the work dir and returns its path. */
async function context(name: string, files: Readonly<Record<string, string>>): Promise<string> {
  const dir = join(work, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

const MULTI_STAGE = `FROM busybox:local AS build
ARG GREETING=hello
RUN mkdir -p /out/bin /out/data \\
 && echo "$GREETING" > /out/data/greeting.txt \\
 && chmod 0640 /out/data/greeting.txt \\
 && chown 1000:1000 /out/data \\
 && ln -s ../data/greeting.txt /out/bin/link \\
 && printf '#!/bin/sh\\necho run\\n' > /out/bin/run.sh \\
 && chmod 4755 /out/bin/run.sh

FROM scratch AS final
COPY --from=build /out/ /
COPY --chown=123:456 --chmod=0600 secret.txt /etc/secret.txt
`;

describe('buildx and fs-tree', () => {
  it('builds argv for both frontends and every output kind', () => {
    expect(buildxArgs('/ctx', { frontend: 'gosh', target: 't', buildArgs: { A: '1' }, output: { type: 'oci', dest: '/o', tar: false } })).toEqual([
      'buildx', 'build', '--progress=plain', '--target', 't',
      '--build-arg', `BUILDKIT_SYNTAX=${GOSH_FRONTEND_IMAGE}`, '--build-arg', 'A=1',
      '--output', 'type=oci,dest=/o,tar=false', '/ctx',
    ]);
    expect(buildxArgs('/ctx', { output: { type: 'load', tag: 'x:1' }, provenance: false })).toEqual([
      'buildx', 'build', '--progress=plain', '--provenance=false', '--load', '--tag', 'x:1', '/ctx',
    ]);
  });

  it('exports a multi-stage build as a tar with exact modes and ownership', async () => {
    const ctx = await context('multi', { Dockerfile: MULTI_STAGE, 'secret.txt': 's3cret\n' });
    const tar = join(work, 'multi.tar');
    expectSuccess(await buildx(ctx, { buildArgs: { GREETING: 'hi rig' }, output: { type: 'tar', dest: tar } }));
    const tree = await readTarTree(tar);
    const script = "#!/bin/sh\necho run\n";
    expect(formatTree(tree, { fullHash: true }).split('\n')).toEqual([
      'dir 0755 0:0 bin',
      'symlink 0777 0:0 bin/link -> ../data/greeting.txt',
      `file 4755 0:0 bin/run.sh size=${script.length} sha256=${sha256(script)}`,
      'dir 0755 1000:1000 data',
      `file 0640 0:0 data/greeting.txt size=7 sha256=${sha256('hi rig\n')}`,
      // COPY --chown also owns the parent directories it creates (BuildKit behaviour)
      'dir 0755 123:456 etc',
      `file 0600 123:456 etc/secret.txt size=7 sha256=${sha256('s3cret\n')}`,
    ]);
    expect((await readTarTree(tar, { ignore: ['data', 'etc/'] })).map((e) => e.path)).toEqual([
      'bin', 'bin/link', 'bin/run.sh',
    ]);
  });

  it('exports the same build to a local directory (types, modes and hashes; no ownership)', async () => {
    const ctx = join(work, 'multi');
    const dest = join(work, 'multi.local');
    expectSuccess(await buildx(ctx, { buildArgs: { GREETING: 'hi rig' }, output: { type: 'local', dest } }));
    const fromDir = withoutOwnership(await readDirTree(dest));
    const fromTar = withoutOwnership(await readTarTree(join(work, 'multi.tar')));
    expect(diffTrees(fromTar, fromDir)).toEqual([]);
  });

  it('diffTrees reports missing, extra and changed entries', () => {
    const a = [
      { path: 'a', type: 'file', mode: '0644', uid: 0, gid: 0, size: 1, sha256: 'x' },
      { path: 'b', type: 'dir', mode: '0755', uid: 0, gid: 0 },
    ] as const;
    const b = [
      { path: 'a', type: 'file', mode: '0600', uid: 0, gid: 0, size: 1, sha256: 'y' },
      { path: 'c', type: 'dir', mode: '0755', uid: 0, gid: 0 },
    ] as const;
    expect(diffTrees(a, b).map((d) => [d.kind, d.path, d.kind === 'changed' ? d.fields : []])).toEqual([
      ['changed', 'a', ['mode', 'sha256']],
      ['only-left', 'b', []],
      ['only-right', 'c', []],
    ]);
  });
});

const CONFIG_DOCKERFILE = `FROM busybox:local
ENV APP_HOME=/srv/app
LABEL org.example.b="2" org.example.a="1"
EXPOSE 8080/tcp 53/udp
VOLUME ["/data", "/cache"]
WORKDIR /srv/app
RUN echo built > built.txt
USER 1000:1000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["true"]
SHELL ["/bin/sh", "-ec"]
ONBUILD RUN echo onbuild
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo hi"]
`;

describe('image config', () => {
  it('reads the OCI config of a built image, history included, and normalizes it', async () => {
    const ctx = await context('config', { Dockerfile: CONFIG_DOCKERFILE });
    const oci = join(work, 'config.oci');
    expectSuccess(await buildx(ctx, { output: { type: 'oci', dest: oci, tar: false } }));
    const layout = await readOciLayout(oci);
    expect(layout.images).toHaveLength(1);
    const image = await readOciImage(oci);
    expect(image.platform).toBe('linux/amd64');
    expect(image.configDigest).toBe(`sha256:${createHash('sha256').update(image.configBytes).digest('hex')}`);

    const n = normalizeImageConfig(image.config);
    expect(n.config).toEqual({
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'APP_HOME=/srv/app'],
      Cmd: ['echo hi'],
      Entrypoint: ['/bin/sh', '-c'],
      WorkingDir: '/srv/app',
      User: '1000:1000',
      Labels: { 'org.example.a': '1', 'org.example.b': '2' },
      ExposedPorts: ['53/udp', '8080/tcp'],
      Volumes: ['/cache', '/data'],
      StopSignal: 'SIGTERM',
      Healthcheck: { Interval: 30_000_000_000, Retries: 3, Test: ['CMD', 'true'], Timeout: 5_000_000_000 },
      Shell: ['/bin/sh', '-ec'],
      OnBuild: ['RUN echo onbuild'],
      // dockerfile.v0 sets it on Linux images whatever the CMD/ENTRYPOINT form
      ArgsEscaped: true,
    });
    // the builtin's history: the base's entry (docker import sets no created_by), then one per
    // instruction in Go's formatting — except ONBUILD, which gets none
    expect(n.history).toEqual([
      { created_by: '', empty_layer: false },
      { created_by: 'ENV APP_HOME=/srv/app', empty_layer: true },
      { created_by: 'LABEL org.example.b=2 org.example.a=1', empty_layer: true },
      { created_by: 'EXPOSE map[53/udp:{} 8080/tcp:{}]', empty_layer: true },
      { created_by: 'VOLUME [/data /cache]', empty_layer: true },
      { created_by: 'WORKDIR /srv/app', empty_layer: false },
      { created_by: 'RUN /bin/sh -c echo built > built.txt # buildkit', empty_layer: false },
      { created_by: 'USER 1000:1000', empty_layer: true },
      { created_by: 'STOPSIGNAL SIGTERM', empty_layer: true },
      { created_by: `HEALTHCHECK &{["CMD" "true"] "30s" "5s" "0s" "0s" '\\x03'}`, empty_layer: true },
      { created_by: 'SHELL [/bin/sh -ec]', empty_layer: true },
      { created_by: 'ENTRYPOINT ["/bin/sh" "-c"]', empty_layer: true },
      { created_by: 'CMD ["echo hi"]', empty_layer: true },
    ]);
    expect(n.layers).toBe(n.history.filter((h) => !h.empty_layer).length);
  });

  it('reads the same config from the engine store after --load', async () => {
    const tag = 'gosh-rig-test:config';
    try {
      expectSuccess(await buildx(join(work, 'config'), { output: { type: 'load', tag } }));
      const fromStore = normalizeImageConfig((await imageFromStore(tag)).config);
      const fromOci = normalizeImageConfig((await readOciImage(join(work, 'config.oci'))).config);
      expect(fromStore).toEqual(fromOci);
    } finally {
      await removeImage(tag);
    }
  });
});

describe('failures', () => {
  it('returns the exit code, stderr and the Dockerfile line of a failed build', async () => {
    const ctx = await context('fail', { Dockerfile: 'FROM busybox:local\nRUN true\nRUN exit 3\n' });
    const r = await buildx(ctx);
    expect(r.exitCode, describeResult(r)).not.toBe(0);
    expect(r.stderr).toContain('exit code: 3');
    expect(errorLocation(r.stderr)).toBe('3');
  });
});

const DIFF_CASE = {
  Dockerfile: `FROM busybox:local AS base
ARG MSG=default
RUN echo "$MSG" > /msg.txt

FROM base AS final
ARG MSG
ENV MSG=$MSG
LABEL case=rig
COPY data.txt /data.txt
CMD ["cat", "/msg.txt"]

FROM base AS other
RUN echo other > /other.txt
`,
  'data.txt': 'data\n',
  'case.json': JSON.stringify({ description: 'rig', target: 'final', buildArgs: { MSG: 'x' } }),
};

describe('differential', () => {
  it('finds builtin and builtin the same', async () => {
    const dir = await context('diff-same', DIFF_CASE);
    const result = await runDifferential(dir, { frontends: ['builtin', 'builtin'] });
    expect(result.ok, formatDifferential(result)).toBe(true);
    expect(result.differences).toEqual([]);
    expect(result.left.tree?.map((e) => e.path)).toContain('data.txt');
    expect(result.left.tree?.map((e) => e.path)).not.toContain('other.txt');
    expect(result.left.config?.config.Env).toContain('MSG=x');
  });

  it('reports config and file differences, and ignores history text by default', async () => {
    const testCase = await loadCase(join(work, 'diff-same'));
    const a = await buildSide(testCase, 'builtin', work, {}, 'a');
    const b = await buildSide(testCase, 'builtin', work, { buildArgs: { MSG: 'y' } }, 'b');
    const cmp = compareSides(a, b, testCase.spec);
    expect(cmp.differences.map((d) => `${d.area} ${d.path}`)).toEqual(['config config.Env[1]', 'tree msg.txt']);
    expect(cmp.differences[1]?.fields).toEqual(['sha256']);
    expect(cmp.ignored.map((d) => d.path)).toEqual(['history[2].created_by', 'history[4].created_by']);
    const strict = compareSides(a, b, { compare: { historyText: true } });
    expect(strict.differences).toHaveLength(4);
    const loose = compareSides(a, b, { compare: { ignoreConfig: ['config.Env'], ignorePaths: [] } });
    expect(loose.differences.map((d) => d.path)).toEqual(['msg.txt']);
  });

  it('compares created times only when asked, and each platform of a multi-platform case', async () => {
    const dir = await context('diff-times', {
      Dockerfile: 'FROM scratch\nARG TARGETARCH\nENV ARCH=$TARGETARCH\nCOPY data.txt /\n',
      'data.txt': 'd\n',
      'case.json': JSON.stringify({ platform: 'linux/amd64,linux/arm64', compare: { times: true } }),
    });
    const testCase = await loadCase(dir);
    const a = await buildSide(testCase, 'builtin', work, { buildArgs: { SOURCE_DATE_EPOCH: '1' } }, 'times-a');
    const b = await buildSide(testCase, 'builtin', work, { buildArgs: { SOURCE_DATE_EPOCH: '2' } }, 'times-b');
    expect(Object.keys(a.platformConfigs ?? {}).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(a.platformConfigs?.['linux/arm64']?.config.Env).toContain('ARCH=arm64');
    const paths = compareSides(a, b, testCase.spec).differences.map((d) => d.path);
    expect(paths).toContain('linux/amd64:times.created');
    expect(paths).toContain('linux/arm64:times.created');
    expect(compareSides(a, b, { platform: testCase.spec.platform ?? '' }).differences).toEqual([]);
  });

  it('compares failing cases by their Dockerfile line', async () => {
    const dir = await context('diff-fail', {
      Dockerfile: 'FROM busybox:local\nRUN false\n',
      'case.json': JSON.stringify({ expectFailure: { stderrIncludes: ['exit code: 1'] } }),
    });
    const result = await runDifferential(dir, { frontends: ['builtin', 'builtin'] });
    expect(result.ok, formatDifferential(result)).toBe(true);
    expect(result.left.errorLocation).toBe('2');
  });

  it('validates cases', async () => {
    expect(() => parseCaseSpec({ taget: 'x' }, 'case.json')).toThrow('case.json: unknown key "taget"');
    expect(() => parseCaseSpec({ compare: { historyText: 'yes' } }, 'case.json')).toThrow('historyText');
    const dir = await context('diff-syntax', { Dockerfile: '# syntax=gosh-frontend:dev\nFROM scratch\n' });
    await expect(loadCase(dir)).rejects.toThrow('# syntax');
  });
});

describe('sharedFixture', () => {
  it('resolves ../shared beside the repository', () => {
    const path = sharedFixture('fixtures/sbom');
    expect(path).toBe(join(sharedDir, 'fixtures/sbom'));
  });

  it('fails loudly for a missing fixture', () => {
    expect(() => sharedFixture('fixtures/no-such-thing.json')).toThrow(/shared fixture missing: .*no-such-thing\.json/);
    expect(() => sharedFixture('../etc/passwd')).toThrow('escapes');
  });
});
