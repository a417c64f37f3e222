// User errors as buildx shows them: the frontend returns the location as BuildKit's source detail,
// so buildx prints the `Dockerfile:N` snippet with `>>>` on the offending lines, and the message
// comes from the catalog (docs/errors.md). Each case is also built by the builtin frontend, which
// must fail at the same lines (the messages differ on purpose: ours follow one style).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildx, describeResult, errorLocation } from '../helpers/buildx.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';

interface ErrorCase {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
  readonly target?: string;
  /** the `Dockerfile:N` or `Dockerfile:N-M` buildx prints; undefined: an error without a place */
  readonly location: string | undefined;
  /** lines buildx marks with `>>>` */
  readonly marked: readonly string[];
  /** gosh's message, as in docs/errors.md */
  readonly message: string;
  /** what the builtin frontend does: fail at the same place (default), or accept the file */
  readonly builtin?: 'fails' | 'accepts';
}

const CASES: readonly ErrorCase[] = [
  {
    name: 'unknown flag',
    files: { Dockerfile: 'FROM busybox:local\nRUN --mout=type=cache,target=/c true\n' },
    location: '2',
    marked: ['RUN --mout=type=cache,target=/c true'],
    message: 'Dockerfile:2: RUN: unknown flag --mout (did you mean --mount?)',
  },
  {
    name: 'bad mount option',
    files: { Dockerfile: 'FROM busybox:local\n\nRUN --mount=type=cache,target=/c,size=1g true\n' },
    location: '3',
    marked: ['RUN --mount=type=cache,target=/c,size=1g true'],
    message: "Dockerfile:3: RUN: --mount: unexpected key 'size' for mount type 'cache'",
  },
  {
    name: 'unknown stage in COPY --from (an image that does not resolve)',
    files: { Dockerfile: 'FROM busybox:local AS build\nRUN echo hi > /a\nFROM scratch\nCOPY --from=biuld /a /b\n' },
    location: '4',
    marked: ['COPY --from=biuld /a /b'],
    message: 'Dockerfile:4: biuld: failed to resolve source metadata for docker.io/library/biuld:latest',
  },
  {
    name: 'unknown target stage',
    files: { Dockerfile: 'FROM busybox:local AS build\nRUN true\n' },
    target: 'biuld',
    location: undefined,
    marked: [],
    message: 'target stage "biuld" could not be found (did you mean build?)',
  },
  {
    name: 'missing heredoc terminator',
    files: { Dockerfile: 'FROM busybox:local\nRUN <<EOF\necho hi\n' },
    location: '2',
    marked: ['RUN <<EOF', 'echo hi'],
    message: 'Dockerfile:2: unterminated heredoc',
  },
  {
    name: 'arguments not in JSON form',
    files: { Dockerfile: 'FROM busybox:local\nSHELL /bin/sh -c\n' },
    location: '2',
    marked: ['SHELL /bin/sh -c'],
    message: 'Dockerfile:2: SHELL: requires the arguments to be in JSON form',
  },
  {
    // BuildKit v0.13.2 drops a --chmod that is not octal without a word (dispatchCopy ignores
    // the ParseUint error); gosh refuses to build something other than what was written
    name: 'bad chmod',
    files: { Dockerfile: 'FROM busybox:local\nCOPY --chmod=u+x a.txt /x\n', 'a.txt': 'a\n' },
    location: '2',
    marked: ['COPY --chmod=u+x a.txt /x'],
    message: 'Dockerfile:2: COPY: invalid --chmod=u+x (want an octal mode such as 0755)',
    builtin: 'accepts',
  },
];

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let work: string;
beforeAll(async () => {
  work = await makeTempDir('errors');
});
afterAll(async () => {
  await removeTempDir(work);
});

async function writeContext(name: string, files: Readonly<Record<string, string>>): Promise<string> {
  const dir = join(work, name.replace(/[^a-z0-9]+/gi, '-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

describe('user errors as buildx shows them', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const dir = await writeContext(c.name, c.files);
      const target = c.target !== undefined ? { target: c.target } : {};
      const gosh = await buildx(dir, { frontend: 'gosh', ...target });
      expect(gosh.exitCode, describeResult(gosh)).not.toBe(0);
      expect(errorLocation(gosh.stderr), describeResult(gosh)).toBe(c.location);
      const lines = c.files['Dockerfile']?.split('\n') ?? [];
      for (const marked of c.marked) {
        const n = lines.indexOf(marked) + 1;
        expect(gosh.stderr, describeResult(gosh)).toMatch(new RegExp(`^ +${n} \\| >>> ${escapeRegExp(marked)}$`, 'm'));
      }
      expect(gosh.stderr, describeResult(gosh)).toMatch(new RegExp(`^ERROR: failed to solve: .*${escapeRegExp(c.message)}`, 'm'));

      const builtin = await buildx(dir, target);
      if (c.builtin === 'accepts') {
        expect(builtin.exitCode, describeResult(builtin)).toBe(0);
      } else {
        expect(builtin.exitCode, describeResult(builtin)).not.toBe(0);
        expect(errorLocation(builtin.stderr), describeResult(builtin)).toBe(c.location);
      }
    });
  }
});
