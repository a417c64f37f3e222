// Frontend options that a context directory case (cases/differential/opt-*) cannot reach:
// `dockerfilekey` and `context` — buildx sends them for a remote context whose Dockerfile is a
// local file (`docker buildx build -f /abs/Dockerfile http://…/ctx.tar`): the Dockerfile then
// comes from the local mount named by dockerfilekey and the context from the URL. The context
// tar is served on 127.0.0.1 while the file runs (BuildKit's http source runs in the daemon, on
// the host network). Both frontends must build the same files.
//
// Not covered here: `input:` named contexts and frontend inputs (only bake and gateway clients
// send them; buildx 0.13 `--build-context` has no way to) and `target:` contexts (bake only).
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildx, describeResult, type Frontend } from '../helpers/buildx.js';
import { diffTrees, formatTree, readTarTree, type TreeEntry } from '../helpers/fs-tree.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);

let work = '';
let server: Server | undefined;
let base = '';

beforeAll(async () => {
  work = await makeTempDir('frontend-options');
  // the remote context: a tar with its own Dockerfile (which must NOT be used) and files
  const ctx = join(work, 'ctx');
  await mkdir(join(ctx, 'sub'), { recursive: true });
  await writeFile(join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY . /wrong-dockerfile/\n');
  await writeFile(join(ctx, 'a.txt'), 'from the remote context\n');
  await writeFile(join(ctx, 'sub/b.txt'), 'b\n');
  await run('tar', ['-C', ctx, '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-cf', join(work, 'ctx.tar'), '.']);
  // the local Dockerfile, in a directory of its own
  await mkdir(join(work, 'local'));
  await writeFile(join(work, 'local', 'Build.dockerfile'), 'FROM busybox:local\nCOPY a.txt /from-url/\nCOPY sub /from-url/sub\nRUN cat /from-url/a.txt > /seen.txt\n');
  const tar = await readFile(join(work, 'ctx.tar'));
  server = createServer((req, res) => {
    if (req.url !== '/ctx.tar') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Length': String(tar.length), 'Content-Type': 'application/x-tar' });
    res.end(req.method === 'HEAD' ? undefined : tar);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (work !== '') await removeTempDir(work);
});

async function buildTree(frontend: Frontend): Promise<readonly TreeEntry[]> {
  const dest = join(work, `${frontend}.tar`);
  const r = await buildx(`${base}/ctx.tar`, { frontend, dockerfile: join(work, 'local', 'Build.dockerfile'), output: { type: 'tar', dest } });
  expect(r.exitCode, describeResult(r)).toBe(0);
  return readTarTree(dest, { ignore: ['bin', 'etc', 'proc', 'sys', 'dev', 'lib', 'usr', 'var', 'tmp', 'root', 'home', 'run', 'sbin'] });
}

describe('frontend options from a remote context', () => {
  it('dockerfilekey + context: the local Dockerfile builds the URL context, same as dockerfile.v0', async () => {
    const builtin = await buildTree('builtin');
    const gosh = await buildTree('gosh');
    const paths = builtin.map((e) => e.path);
    expect(paths).toContain('from-url/a.txt');
    expect(paths).toContain('from-url/sub/b.txt');
    expect(paths).toContain('seen.txt');
    expect(paths.some((p) => p.startsWith('wrong-dockerfile'))).toBe(false);
    expect(diffTrees(builtin, gosh), `builtin:\n${formatTree(builtin)}\ngosh:\n${formatTree(gosh)}`).toEqual([]);
  });
});
