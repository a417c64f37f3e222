// ADD from http(s) URLs and git repositories, against the builtin frontend. There is no internet
// here, so the file serves a directory and a bare git repository (dumb HTTP protocol) on
// 127.0.0.1 while it runs; BuildKit's http and git sources run in the daemon, on the host
// network, so they reach it. Cases live in cases/add-remote/ and get the server as build arg BASE.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildx, describeResult, expectSuccess } from '../helpers/buildx.js';
import { formatDifferential, listCases, runDifferential, type DifferentialCase } from '../helpers/differential.js';
import { repoRoot } from '../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';

const CASES_DIR = join(repoRoot, 'test/e2e/cases/add-remote');
const cases = await listCases(CASES_DIR);
const run = promisify(execFile);

// fixed identities and dates: the same commits (and ids) on every run
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'gosh',
  GIT_AUTHOR_EMAIL: 'gosh@example.com',
  GIT_COMMITTER_NAME: 'gosh',
  GIT_COMMITTER_EMAIL: 'gosh@example.com',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
};

async function git(cwd: string, ...args: string[]): Promise<void> {
  await run('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, env: GIT_ENV, timeout: 30_000 });
}

/** A bare repository at <root>/repo.git: main has two commits, tag v1 the first; sub/ holds a file. */
async function makeRepository(root: string): Promise<void> {
  const work = join(root, 'work');
  await mkdir(join(work, 'sub'), { recursive: true });
  await git(work, 'init', '-q');
  await writeFile(join(work, 'top.txt'), 'top\n');
  await writeFile(join(work, 'sub/inner.txt'), 'inner\n');
  await git(work, 'add', '.');
  await git(work, 'commit', '-q', '-m', 'one');
  await git(work, 'tag', 'v1');
  await writeFile(join(work, 'two.txt'), 'two\n');
  await git(work, 'add', '.');
  await git(work, 'commit', '-q', '-m', 'two');
  await git(root, 'clone', '-q', '--bare', 'work', 'served/repo.git');
  await git(join(root, 'served/repo.git'), 'update-server-info');
}

/** The files behind the served paths the cases use (README.md there lists them). */
async function writeServedFiles(served: string): Promise<void> {
  await mkdir(served, { recursive: true });
  await writeFile(join(served, 'hello.txt'), 'remote file\n');
  await writeFile(join(served, 'spaced name.txt'), 'spaced\n');
  // a one-file tar, to show a URL archive is not unpacked
  const header = Buffer.alloc(512);
  header.write('packed.txt', 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write('00000000007\0', 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\x0000', 257);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const body = Buffer.alloc(512);
  body.write('packed\n');
  await writeFile(join(served, 'archive.tar'), Buffer.concat([header, body, Buffer.alloc(1024)]));
}

/** A static server over `served` with three special paths; GET and HEAD only. */
function serve(served: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: Buffer | string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Length': String(Buffer.byteLength(body)), ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    if (url.pathname === '/') return send(200, 'index\n');
    if (url.pathname === '/dir/') return send(200, 'a directory\n');
    if (url.pathname === '/download') return send(200, 'downloaded\n', { 'Content-Disposition': 'attachment; filename="from-header.txt"' });
    const path = decodeURIComponent(url.pathname);
    if (path.includes('..')) return send(404, 'not found\n');
    readFile(join(served, path)).then(
      (data) => send(200, data),
      () => send(404, 'not found\n'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

let root = '';
let server: Server | undefined;
let base = '';

beforeAll(async () => {
  root = await makeTempDir('add-remote');
  await writeServedFiles(join(root, 'served'));
  await makeRepository(root);
  server = await serve(join(root, 'served'));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (server !== undefined) await new Promise<void>((resolve) => server?.close(() => resolve()));
  if (root !== '') await removeTempDir(root);
});

function withServer(c: DifferentialCase): DifferentialCase {
  return { ...c, spec: { ...c.spec, buildArgs: { ...c.spec.buildArgs, BASE: base } } };
}

describe('ADD from URLs and git: builtin vs gosh', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(3));
  for (const c of cases) {
    it(c.name, async () => {
      const result = await runDifferential(withServer(c));
      expect(result.ok, formatDifferential(result)).toBe(true);
    });
  }
});

describe('ADD from URLs and git: same op bytes as dockerfile.v0', () => {
  for (const c of cases.filter((x) => x.spec.expectFailure === undefined)) {
    it(c.name, async () => {
      const out = await makeTempDir(`llb-pair-${c.name}`);
      try {
        const r = await buildx(c.dir, {
          frontend: 'gosh',
          buildArgs: { BASE: base, GOSH_DEBUG: 'llb-pair' },
          output: { type: 'local', dest: out },
        });
        expectSuccess(r);
        const pair = JSON.parse(await readFile(join(out, 'builtin-llb.json'), 'utf8')) as { ops: { digest: string }[]; gosh: { digest: string }[] };
        expect(pair.ops.length).toBeGreaterThan(2);
        // --link ops carry BuildKit's random progress-group id in metadata only, not in op bytes
        expect(pair.gosh.map((o) => o.digest).sort()).toEqual(pair.ops.map((o) => o.digest).sort());
      } finally {
        await removeTempDir(out);
      }
    });
  }
});

describe('ADD --checksum with another algorithm than sha256', () => {
  // BuildKit v0.13.2 accepts any digest it can parse but hashes downloads with sha256, so the
  // build can only fail at download time; gosh refuses it up front, at the ADD line.
  it('fails with both frontends; gosh says why at the line', async () => {
    const dir = await makeTempDir('add-sha512');
    try {
      const sum = 'sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';
      await writeFile(join(dir, 'Dockerfile'), `FROM busybox:local\nARG BASE\nADD --checksum=${sum} \${BASE}/hello.txt /x\n`);
      const builtin = await buildx(dir, { buildArgs: { BASE: base } });
      expect(builtin.exitCode, describeResult(builtin)).not.toBe(0);
      expect(builtin.stderr).toContain('digest mismatch');
      const gosh = await buildx(dir, { frontend: 'gosh', buildArgs: { BASE: base } });
      expect(gosh.exitCode, describeResult(gosh)).not.toBe(0);
      expect(gosh.stderr).toContain('Dockerfile:3');
      expect(gosh.stderr).toContain('downloads are verified with sha256 only');
    } finally {
      await removeTempDir(dir);
    }
  });
});
