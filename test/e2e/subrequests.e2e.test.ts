// Subrequests through buildx (BUILDX_EXPERIMENTAL=1 docker buildx build --print=…): for the same
// Dockerfile and options, our frontend must print exactly what the builtin one prints, as text
// (BuildKit's tables) and as JSON (format=json: the result.json BuildKit returns).
//
// BuildKit sorts outline entries by line only and lists the ARGs of one instruction (or the
// secrets of one RUN) in Go map order, which is random; so no case has two ARGs on one line.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildx, describeResult, type BuildxOptions, type CommandResult, type Frontend } from '../helpers/buildx.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';

/** name → Dockerfile; no `# syntax=` (the builtin side would forward to it) */
const DOCKERFILES: Readonly<Record<string, string>> = {
  described: `ARG BASE=busybox:local
# VERSION the version to build
ARG VERSION=1.0

# build builds things
# more text
FROM \${BASE} AS build
# FOO foo arg
ARG FOO=bar
ARG UNUSED
RUN --mount=type=secret,id=mysecret,required=true --mount=type=ssh true

FROM build AS final
RUN --mount=type=secret,id=other true
`,
  // global ARGs pulled in by other globals, a COPY --from stage and a RUN --mount from= stage
  deps: `ARG REG=docker.io
# IMG the image to start from
ARG IMG=$REG/library/busybox
ARG TAG=local
ARG NOTUSED=x
FROM \${IMG}:\${TAG} AS base
# B the b arg
ARG B=bee

FROM busybox:local AS other
# O other arg
ARG O=oh
RUN --mount=type=secret,id=osecret true

FROM busybox:local AS mounted
ARG M
RUN --mount=type=ssh,id=agent,required true

# final the final stage
FROM base AS final
COPY --from=other /etc/passwd /p
RUN --mount=from=mounted,target=/m true
ARG F=$B-eff
`,
  'import-global': `# V the version
ARG V=1
# W unused global
ARG W=2
FROM busybox:local
# V stage comment is ignored
ARG V
# W own definition
ARG W=3
ARG TARGETARCH
ARG X=\${V}x
`,
  secrets: `FROM busybox:local
ARG SID=fromarg
RUN --mount=type=secret,target=/run/secrets/bytarget true
RUN --mount=type=secret,source=bysource,target=/x true
RUN --mount=type=secret,id=$SID true
RUN --mount=type=secret,id=bytarget,required=true true
RUN --mount=type=ssh true
RUN --mount=type=ssh,required=true true
`,
  // where dockerfile-ast and BuildKit see lines differently, a tab in a description, indentation
  'comment-quirks': `# escape=\\
# first unnamed stage is not described
FROM busybox:local
# named described\twith a tab
FROM --platform=$BUILDPLATFORM busybox:local AS named
RUN 3<<EOF cat
# late inside heredoc
EOF
RUN echo \\\\
# late described
FROM named AS late
  # other indented
FROM late AS other
ARG P=1
FROM busybox:local
`,
  platform: `ARG P=linux/amd64
FROM --platform=$P busybox:local AS a
ARG BUILDPLATFORM
FROM --platform=$BUILDPLATFORM busybox:local AS b
ARG TARGETOS
`,
};

const PRINTS = ['outline', 'outline,format=json', 'targets', 'targets,format=json'] as const;

let root = '';
beforeAll(async () => {
  root = await makeTempDir('subrequests');
  for (const [name, text] of Object.entries(DOCKERFILES)) {
    await mkdir(join(root, name));
    await writeFile(join(root, name, 'Dockerfile'), text);
  }
  // -f with another name: the outline names that file; the Dockerfile beside it is not read
  await mkdir(join(root, 'custom-file', 'build'), { recursive: true });
  await writeFile(join(root, 'custom-file', 'Dockerfile'), 'FROM busybox:local AS wrong\n');
  await writeFile(join(root, 'custom-file', 'build', 'app.Dockerfile'), DOCKERFILES['described'] ?? '');
});
afterAll(async () => {
  if (root !== '') await removeTempDir(root);
});

function print(name: string, frontend: Frontend, what: string, options: BuildxOptions = {}): Promise<CommandResult> {
  return buildx(join(root, name), { ...options, frontend, extraArgs: [`--print=${what}`], env: { BUILDX_EXPERIMENTAL: '1' } });
}

/** Both frontends print the same; returns the builtin's stdout. */
async function samePrint(name: string, what: string, options: BuildxOptions = {}): Promise<string> {
  const [builtin, gosh] = await Promise.all([print(name, 'builtin', what, options), print(name, 'gosh', what, options)]);
  expect(builtin.exitCode, describeResult(builtin)).toBe(0);
  expect(gosh.exitCode, describeResult(gosh)).toBe(0);
  expect(gosh.stdout).toBe(builtin.stdout);
  return builtin.stdout;
}

describe('subrequests: builtin vs gosh', () => {
  for (const name of Object.keys(DOCKERFILES)) {
    for (const what of PRINTS) {
      it(`${name}: --print=${what}`, async () => {
        const out = await samePrint(name, what);
        if (what.endsWith('format=json')) {
          // the answer carries the Dockerfile itself
          expect((JSON.parse(out) as { sources: string[] }).sources).toEqual([Buffer.from(DOCKERFILES[name] ?? '').toString('base64')]);
        } else if (what === 'targets') {
          expect(out).toMatch(/^TARGET +DESCRIPTION\n/);
        }
      });
    }
  }

  it('the outline has what the described file declares', async () => {
    const out = await samePrint('described', 'outline');
    expect(out).toContain('TARGET: final\n');
    expect(out).toMatch(/\nFOO +bar +foo arg\n/);
    expect(out).toMatch(/\nmysecret +true\n/);
    expect(out).toMatch(/\nSSH +REQUIRED\ndefault +\n/);
  });

  it('--target and --build-arg change the outline the same way', async () => {
    await samePrint('deps', 'outline,format=json', { target: 'other' });
    await samePrint('deps', 'outline', { target: 'base', buildArgs: { TAG: 'local', B: 'given' } });
    await samePrint('deps', 'outline', { buildArgs: { IMG: 'busybox' } });
    await samePrint('import-global', 'outline,format=json', { buildArgs: { V: '9', TARGETARCH: 'arm64' } });
  });

  it('--platform does not change the outline (BuildKit outlines with no target platform)', async () => {
    await samePrint('platform', 'outline,format=json', { target: 'a', platform: 'linux/arm64' });
  });

  it('-f with a non-default name outlines that file', async () => {
    const options = { dockerfile: 'build/app.Dockerfile' };
    const json = JSON.parse(await samePrint('custom-file', 'outline,format=json', options)) as { sources: string[] };
    expect(json.sources).toEqual([Buffer.from(DOCKERFILES['described'] ?? '').toString('base64')]);
    expect(await samePrint('custom-file', 'targets', options)).toContain('final');
  });

  it('named contexts (--build-context) change the outline the same way', async () => {
    // a named context in place of a stage (other) and of a base image (busybox:local)
    const buildContexts = { other: 'docker-image://busybox:local', 'busybox:local': 'docker-image://busybox:local' };
    await samePrint('deps', 'outline,format=json', { buildContexts });
    await samePrint('deps', 'targets,format=json', { buildContexts });
  });

  it('--print=subrequests.describe', async () => {
    expect(await samePrint('described', 'subrequests.describe')).toMatch(/^NAME +VERSION +DESCRIPTION\noutline +1\.0\.0/);
    const json = JSON.parse(await samePrint('described', 'subrequests.describe,format=json')) as { name: string }[];
    expect(json.map((r) => r.name)).toEqual(['frontend.outline', 'frontend.targets', 'frontend.subrequests.describe']);
  });

  it('an unknown request fails in both with "unsupported request"', async () => {
    for (const frontend of ['builtin', 'gosh'] as const) {
      const r = await print('described', frontend, 'nope');
      expect(r.exitCode, describeResult(r)).not.toBe(0);
      expect(r.stderr).toContain('unsupported request frontend.nope');
    }
  });

  it('an outline of a target that does not exist fails in both', async () => {
    for (const frontend of ['builtin', 'gosh'] as const) {
      const r = await print('deps', frontend, 'outline', { target: 'missing' });
      expect(r.exitCode, describeResult(r)).not.toBe(0);
      expect(r.stderr).toContain('"missing"');
    }
  });
});
