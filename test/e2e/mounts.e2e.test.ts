// RUN --mount, --network and --security end to end: our ops are byte-identical to dockerfile.v0's
// for the mount goldens, secrets and ssh agents reach RUN the same way through both frontends,
// and the network/security modes we ask for are the ones the engine enforces.
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildx, describeResult, expectSuccess, type Frontend } from '../helpers/buildx.js';
import { diffTrees, readTarTree, type TreeEntry } from '../helpers/fs-tree.js';
import { repoRoot } from '../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.js';

const GOLDEN_CASES = join(repoRoot, 'test/golden/compile');

interface LlbPair {
  readonly ops: readonly { digest: string }[];
  readonly gosh: readonly { digest: string }[];
}

async function withContext<T>(name: string, files: Readonly<Record<string, string>>, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await makeTempDir(name);
  try {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    return await run(dir);
  } finally {
    await removeTempDir(dir);
  }
}

describe('RUN --mount: same op bytes as dockerfile.v0', () => {
  // golden case → extra buildx args (frontend options the golden's options.json stands for)
  const parityCases: [string, string[]][] = [
    ['mount-bind', []],
    ['mount-cache', []],
    ['mount-tmpfs', []],
    ['mount-secret', []],
    ['mount-ssh', []],
    ['mount-from-stage', []],
    ['mount-from-image', []],
    ['mount-expansion', []],
    ['mount-followpaths', []],
    ['mount-followpaths-dropped', []],
    ['mount-multistage-deps', []],
    ['mount-heredoc', ['--shm-size', '64m']],
    ['mount-network', []],
    ['mount-network-forced', ['--network', 'none']],
  ];
  for (const [name, extraArgs] of parityCases) {
    it(name, async () => {
      const dir = await makeTempDir(`parity-${name}`);
      try {
        await cp(join(GOLDEN_CASES, name), dir, { recursive: true });
        await writeFile(join(dir, 'a.txt'), 'a\n');
        await mkdir(join(dir, 'b'), { recursive: true });
        await writeFile(join(dir, 'b/c'), 'c\n');
        const options = JSON.parse(await readFile(join(dir, 'options.json'), 'utf8').catch(() => '{}')) as Record<string, string>;
        const buildArgs: Record<string, string> = { GOSH_DEBUG: 'llb-pair' };
        for (const [k, v] of Object.entries(options)) if (k.startsWith('build-arg:')) buildArgs[k.slice(10)] = v;
        const out = join(dir, '.out');
        const r = await buildx(dir, {
          frontend: 'gosh',
          buildArgs,
          ...(options['target'] !== undefined ? { target: options['target'] } : {}),
          extraArgs,
          output: { type: 'local', dest: out },
        });
        expectSuccess(r);
        const pair = JSON.parse(await readFile(join(out, 'builtin-llb.json'), 'utf8')) as LlbPair;
        expect(pair.ops.length).toBeGreaterThan(1);
        expect(pair.gosh.map((o) => o.digest).sort()).toEqual(pair.ops.map((o) => o.digest).sort());
      } finally {
        await removeTempDir(dir);
      }
    });
  }
});

/** Builds `dir` with one frontend into a tar and returns its tree. */
async function buildTree(dir: string, frontend: Frontend, extraArgs: readonly string[]): Promise<TreeEntry[]> {
  const tar = join(dir, `.${frontend}.tar`);
  expectSuccess(await buildx(dir, { frontend, noCache: true, extraArgs, output: { type: 'tar', dest: tar } }));
  return readTarTree(tar, { ignore: ['bin', 'dev', 'etc', 'home', 'lib', 'lib64', 'proc', 'root', 'run', 'sys', 'tmp', 'usr', 'var'] });
}

function fileText(tree: readonly TreeEntry[], path: string): TreeEntry | undefined {
  return tree.find((e) => e.path === path);
}

describe('secrets and ssh agents reach RUN the same way through both frontends', () => {
  it('secret files: ids, targets, modes, owners and values', async () => {
    const dockerfile = [
      'FROM busybox:local',
      'RUN --mount=type=secret,id=token cp /run/secrets/token /token.copy',
      'RUN --mount=type=secret,id=token,target=/etc/app/key,mode=0440,uid=7,gid=8,required stat -c "%a %u %g" /etc/app/key > /key.stat',
      'RUN --mount=type=secret,source=token,target=/s stat -c "%a %u %g" /s > /s.stat && cat /s > /s.copy',
      'RUN --mount=type=secret,id=absent (test -e /run/secrets/absent && echo present || echo absent) > /absent.txt',
      '',
    ].join('\n');
    await withContext('mount-secrets', { Dockerfile: dockerfile, 'token.txt': 's3cret-value' }, async (dir) => {
      const args = ['--secret', `id=token,src=${join(dir, 'token.txt')}`];
      const builtin = await buildTree(dir, 'builtin', args);
      const gosh = await buildTree(dir, 'gosh', args);
      expect(diffTrees(builtin, gosh)).toEqual([]);
      const out = await readTar(join(dir, '.gosh.tar'));
      expect(out['token.copy']).toBe('s3cret-value');
      expect(out['key.stat']).toBe('440 7 8\n');
      expect(out['s.stat']).toBe('400 0 0\n');
      expect(out['s.copy']).toBe('s3cret-value');
      expect(out['absent.txt']).toBe('absent\n');
      expect(fileText(gosh, 'token.copy')?.size).toBe('s3cret-value'.length);
    });
  });

  it('ssh agent sockets: default and named ids, SSH_AUTH_SOCK, modes', async () => {
    const dockerfile = [
      'FROM busybox:local',
      'RUN --mount=type=ssh,required test -S "$SSH_AUTH_SOCK" && echo "$SSH_AUTH_SOCK" > /default.sock',
      'RUN --mount=type=ssh,id=deploy,target=/agent.sock,mode=0660,uid=3,required stat -c "%a %u" /agent.sock > /deploy.stat && echo "$SSH_AUTH_SOCK" > /deploy.sock',
      'RUN --mount=type=ssh,id=missing test ! -e /run/buildkit/ssh_agent.0 && echo skipped > /missing.txt',
      '',
    ].join('\n');
    await withContext('mount-ssh', { Dockerfile: dockerfile }, async (dir) => {
      const key = join(dir, 'id_test');
      await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
      const args = ['--ssh', `default=${key}`, '--ssh', `deploy=${key}`];
      const builtin = await buildTree(dir, 'builtin', args);
      const gosh = await buildTree(dir, 'gosh', args);
      expect(diffTrees(builtin, gosh)).toEqual([]);
      const out = await readTar(join(dir, '.gosh.tar'));
      expect(out['default.sock']).toBe('/run/buildkit/ssh_agent.0\n');
      expect(out['deploy.stat']).toBe('660 3\n');
      expect(out['deploy.sock']).toBe('/agent.sock\n');
      expect(out['missing.txt']).toBe('skipped\n');
    });
  });
});

describe('RUN --network and --security', () => {
  it('--network=host with the entitlement sees the host interfaces in both frontends', async () => {
    const dockerfile = 'FROM busybox:local\nRUN --network=host grep -c ":" /proc/net/dev > /host.txt\nRUN --network=none grep -c ":" /proc/net/dev > /none.txt\n';
    await withContext('mount-network-host', { Dockerfile: dockerfile }, async (dir) => {
      const args = ['--allow', 'network.host'];
      const builtin = await buildTree(dir, 'builtin', args);
      const gosh = await buildTree(dir, 'gosh', args);
      expect(diffTrees(builtin, gosh)).toEqual([]);
      const out = await readTar(join(dir, '.gosh.tar'));
      expect(out['none.txt']).toBe('1\n');
      expect(Number(out['host.txt'])).toBeGreaterThan(1);
    });
  });

  it('--network=default keeps a forced network mode', async () => {
    const dockerfile = 'FROM busybox:local\nRUN --network=default grep -c ":" /proc/net/dev > /default.txt\n';
    await withContext('mount-network-forced', { Dockerfile: dockerfile }, async (dir) => {
      const gosh = await buildTree(dir, 'gosh', ['--network', 'none']);
      expect(diffTrees(await buildTree(dir, 'builtin', ['--network', 'none']), gosh)).toEqual([]);
      expect((await readTar(join(dir, '.gosh.tar')))['default.txt']).toBe('1\n');
    });
  });

  // The builtin frontend is built without the labs flag --security, so only ours can be run.
  it('--security=insecure asks the engine for the security.insecure entitlement', async () => {
    await withContext('mount-security', { Dockerfile: 'FROM busybox:local\nRUN --security=insecure true\n' }, async (dir) => {
      const r = await buildx(dir, { frontend: 'gosh' });
      expect(r.exitCode, describeResult(r)).not.toBe(0);
      expect(r.stderr).toContain('security.insecure is not allowed');
      const builtin = await buildx(dir, { frontend: 'builtin' });
      expect(builtin.stderr).toContain('unknown flag: security');
    });
  });

  it('--security=sandbox runs with the default capabilities', async () => {
    const dockerfile = 'FROM busybox:local\nRUN --security=sandbox grep CapEff /proc/self/status > /sandbox.txt\nRUN grep CapEff /proc/self/status > /plain.txt\n';
    await withContext('mount-security-sandbox', { Dockerfile: dockerfile }, async (dir) => {
      await buildTree(dir, 'gosh', []);
      const out = await readTar(join(dir, '.gosh.tar'));
      expect(out['sandbox.txt']).toMatch(/^CapEff:\s+[0-9a-f]+\n$/);
      expect(out['sandbox.txt']).toBe(out['plain.txt']);
    });
  });
});

describe('mount errors point at the RUN', () => {
  it('an invalid mount option fails with its line and the reason', async () => {
    await withContext('mount-error', { Dockerfile: 'FROM busybox:local\nRUN true\nRUN --mount=type=tmpfs,target=/t,uid=1 true\n' }, async (dir) => {
      const r = await buildx(dir, { frontend: 'gosh' });
      expect(r.exitCode, describeResult(r)).not.toBe(0);
      expect(r.stderr).toContain('Dockerfile:3');
      expect(r.stderr).toContain('uid not allowed for "tmpfs" type mounts');
    });
  });
});

/** Top-level regular files of a tar, by name, as text. */
async function readTar(tarFile: string): Promise<Record<string, string>> {
  const run = promisify(execFile);
  const out: Record<string, string> = {};
  const list = await run('tar', ['-tf', tarFile], { maxBuffer: 64 * 1024 * 1024 });
  for (const name of list.stdout.split('\n')) {
    const path = name.replace(/^\.?\//, '');
    if (path === '' || path.includes('/')) continue;
    out[path] = (await run('tar', ['-xOf', tarFile, name], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  }
  return out;
}
