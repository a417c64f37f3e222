import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { sha256Digest } from '../../../src/core/digest.js';
import { httpSource, imageSource, localSource, gitSource } from '../../../src/llb/source.js';
import { State } from '../../../src/llb/state.js';
import { fileOp } from '../../../src/llb/file.js';
import { mergeOp, diffOp } from '../../../src/llb/merge.js';
import { marshalDefinition } from '../../../src/llb/marshal.js';
import { dumpDefinition } from '../../../src/llb/dump.js';
import { decodeOp, encodeOp } from '../../../src/llb/wire.js';
import { expectGolden } from '../../helpers/golden.js';

const golden = (name: string): string => fileURLToPath(new URL(`../../golden/llb/${name}.llb.json`, import.meta.url));
const amd64 = { os: 'linux', architecture: 'amd64' } as const;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function sampleGraph(): State {
  const base = State.from(imageSource('docker.io/library/busybox:latest', { platform: amd64, resolveMode: 'local' }))
    .withPlatform(amd64)
    .withEnv('PATH', '/usr/bin:/bin')
    .withDir('/work');
  const ctx = localSource('context', { sessionId: 'sess', sharedKeyHint: 'context', excludePatterns: ['*.tmp'], followPaths: ['b', 'a'] });
  const withFiles = base.file(
    [
      { kind: 'mkdir', path: '/work', mode: 0o755, makeParents: true, owner: { user: { name: 'app' }, group: { id: 0 } } },
      { kind: 'copy', source: ctx, src: '/a', dest: '/work/', createDestPath: true, allowWildcard: true, mode: 0o644 },
      { kind: 'mkfile', path: '/work/f', mode: 0o600, data: utf8('hi\n') },
      { kind: 'rm', path: '/work/tmp*', allowNotFound: true, allowWildcard: true },
    ],
    { customName: 'files' },
  );
  const tool = State.from(httpSource('https://example.invalid/tool.tgz', { checksum: `sha256:${'a'.repeat(64)}`, filename: 'tool.tgz', perm: 0o644 }));
  const { state } = withFiles.run({
    args: ['/bin/sh', '-c', 'make'],
    mounts: [
      { kind: 'cache', target: '/root/.cache', id: '//root/.cache', sharing: 'locked' },
      { kind: 'bind', target: '/tool', source: tool.output, readonly: true },
      { kind: 'tmpfs', target: '/tmp', sizeBytes: 1024 },
      { kind: 'secret', target: '/run/secrets/token', id: 'token', optional: true },
      { kind: 'ssh', id: 'default' },
      { kind: 'bind', target: '/out', source: undefined },
    ],
    network: 'none',
    constraints: { customName: 'build', sourceLocations: [{ file: { name: 'Dockerfile', text: 'FROM x\nRUN make\n' }, language: 'Dockerfile', ranges: [{ startLine: 2, endLine: 2 }] }] },
  });
  const git = gitSource('github.com/example/repo.git', { ref: 'v1', subdir: 'sub', keepGitDir: true, fullUrl: 'https://github.com/example/repo.git' });
  const merged = mergeOp([state.output, git, diffOp(base.output, state.output)]);
  return state.withOutput(merged);
}

describe('marshalDefinition', () => {
  it('matches the golden dump (bytes and digests pinned)', () => {
    expectGolden(golden('sample'), dumpDefinition(sampleGraph().marshal()));
  });

  it('gives the same bytes twice and regardless of attr insertion order', () => {
    const a = marshalDefinition(localSource('context', { sessionId: 's', sharedKeyHint: 'h', differ: 'none' }));
    const b = marshalDefinition(localSource('context', { differ: 'none', sharedKeyHint: 'h', sessionId: 's' }));
    expect(a.def.map((d) => sha256Digest(d))).toEqual(b.def.map((d) => sha256Digest(d)));
    expect(dumpDefinition(sampleGraph().marshal())).toBe(dumpDefinition(sampleGraph().marshal()));
  });

  it('puts the terminal op last, pointing at the result, with constraints and platform caps', () => {
    const def = sampleGraph().marshal();
    const terminal = decodeOp(def.def[def.def.length - 1] as Uint8Array) as { inputs: { digest: string }[] };
    expect(terminal.inputs).toHaveLength(1);
    const terminalDigest = sha256Digest(def.def[def.def.length - 1] as Uint8Array);
    expect(def.metadata[terminalDigest]?.caps).toMatchObject({ constraints: true, platform: true });
    expect(def.def.map((d) => sha256Digest(d))).toContain(terminal.inputs[0]?.digest);
  });

  it('writes each distinct op once even when reached twice', () => {
    const src = imageSource('docker.io/library/busybox:latest', { platform: amd64 });
    const a = fileOp(src, [{ kind: 'mkdir', path: '/a', mode: 0o755 }]);
    const merged = mergeOp([a, src]);
    const digests = marshalDefinition(merged).def.map((d) => sha256Digest(d));
    expect(new Set(digests).size).toBe(digests.length);
    expect(digests).toHaveLength(4);
  });

  it('gives an empty Definition for scratch', () => {
    expect(marshalDefinition(undefined).def).toHaveLength(0);
  });

  it('maps source locations to 1-based lines and the file contents', () => {
    const def = sampleGraph().marshal();
    expect(def.source?.infos).toHaveLength(1);
    expect(def.source?.infos[0]?.filename).toBe('Dockerfile');
    const locs = Object.values(def.source?.locations ?? {});
    expect(locs).toHaveLength(1);
    expect(locs[0]?.[0]?.ranges[0]).toEqual({ start: { line: 2 }, end: { line: 2 } });
  });
});

describe('file op action chaining', () => {
  it('chains inputs as len(inputs)+k, leaves intermediate outputs at -1 and secondary inputs at -1', () => {
    const base = imageSource('docker.io/library/busybox:latest', { platform: amd64 });
    const ctx = localSource('context');
    const out = fileOp(base, [
      { kind: 'copy', source: ctx, src: '/a', dest: '/x/' },
      { kind: 'copy', source: ctx, src: '/b', dest: '/x/' },
      { kind: 'mkdir', path: '/y', mode: 0o700 },
    ]);
    const body = out.vertex.body as { file: { actions: { input: number; secondaryInput: number; output: number }[] } };
    expect(out.vertex.inputs).toHaveLength(2);
    expect(body.file.actions.map((a) => [a.input, a.secondaryInput, a.output])).toEqual([
      [0, 1, -1],
      [2, 1, -1],
      [3, -1, 0],
    ]);
  });

  it('looks up named owners in the base input and uses -1 on scratch', () => {
    const out = fileOp(undefined, [{ kind: 'mkdir', path: '/a', mode: 0o755, owner: { user: { name: 'app' } } }]);
    const body = out.vertex.body as { file: { actions: { input: number; mkdir: { owner: { user: { byName: { input: number } } } } }[] } };
    expect(body.file.actions[0]?.input).toBe(-1);
    expect(body.file.actions[0]?.mkdir.owner.user.byName.input).toBe(-1);
  });
});

describe('exec op', () => {
  it('sorts mounts by target, numbers outputs over writable binds and appends secrets and ssh', () => {
    const root = imageSource('docker.io/library/busybox:latest', { platform: amd64 });
    const { result } = State.from(root).withPlatform(amd64).run({
      args: ['true'],
      mounts: [
        { kind: 'secret', target: '/run/secrets/a', id: 'a' },
        { kind: 'bind', target: '/z', source: root },
        { kind: 'cache', target: '/c', id: 'c' },
        { kind: 'bind', target: '/b', source: undefined },
      ],
    });
    const exec = (result.vertex.body as { exec: { mounts: { dest: string; output: number; input?: number; mountType?: number }[] } }).exec;
    expect(exec.mounts.map((m) => [m.dest, m.output])).toEqual([
      ['/', 0],
      ['/b', 1],
      ['/c', -1],
      ['/z', 2],
      ['/run/secrets/a', undefined],
    ]);
    expect(result.vertex.inputs).toHaveLength(1);
    expect(result.mountOutput('/z')).toEqual({ vertex: result.vertex, index: 2 });
  });

  it('adds SSH_AUTH_SOCK for the first ssh mount', () => {
    const { result } = State.scratch().run({ args: ['true'], mounts: [{ kind: 'ssh', id: 'default' }] });
    const meta = (result.vertex.body as { exec: { meta: { env: string[] } } }).exec.meta;
    expect(meta.env).toContain('SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0');
  });
});

describe('wire encoding', () => {
  it('writes a zero byID (oneof) and -1 as a 10-byte varint, as gogo does', () => {
    const bytes = encodeOp({ file: { actions: [{ input: -1, secondaryInput: -1, output: 0, mkdir: { path: '/a', mode: 493, owner: { user: { byID: 0 } } } }] } });
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex).toContain('1000'); // UserOpt.byID = 0
    expect(hex).toContain('08ffffffffffffffffff01'); // input = -1
    expect(Buffer.from(encodeOp(decodeOp(bytes))).equals(Buffer.from(bytes))).toBe(true);
  });
});
