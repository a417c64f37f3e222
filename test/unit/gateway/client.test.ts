import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Digest } from '../../../src/core/digest.js';
import { GoshError } from '../../../src/core/errors.js';
import type { GatewayConnection } from '../../../src/gateway/connect.js';
import { isDir, isRegularFile, isSymlink, permissionBits } from '../../../src/gateway/file-stat.js';
import type { Definition } from '../../../src/llb/definition.js';
import { connectToFake } from '../../fake-gateway/connect-fake.js';
import { FakeGateway, pongWith, V0_13_GATEWAY_CAPS } from '../../fake-gateway/fake-gateway.js';
import { fieldsNumbered, mapKeys, readFields, text } from '../../fake-gateway/wire-fields.js';

const OP_A: Digest = `sha256:${'a'.repeat(64)}`;
const OP_B: Digest = `sha256:${'b'.repeat(64)}`;

const definition: Definition = {
  def: [Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5)],
  metadata: {
    [OP_A]: { description: { 'llb.customname': 'RUN make' }, caps: { 'exec.meta.base': true } },
    [OP_B]: { ignoreCache: true, progressGroup: { id: 'g1', name: 'group', weak: true } },
  },
  source: {
    locations: { [OP_A]: [{ sourceIndex: 0, ranges: [{ start: { line: 2 }, end: { line: 3, character: 4 } }] }] },
    infos: [{ filename: 'Dockerfile', data: new TextEncoder().encode('FROM x\nRUN make\n'), language: 'Dockerfile' }],
  },
};

let fake: FakeGateway;
let connection: GatewayConnection;

beforeEach(async () => {
  fake = await FakeGateway.start();
});

afterEach(async () => {
  await connection?.close();
  await fake.stop();
});

async function connect(): Promise<GatewayConnection> {
  connection = await connectToFake(fake);
  return connection;
}

describe('ping', () => {
  it('reports enabled caps and workers in our own types', async () => {
    fake.respond('Ping', {
      FrontendAPICaps: [{ ID: 'readfile', Enabled: true }, { ID: 'readdir', Enabled: false }],
      LLBCaps: [{ ID: 'source.image', Enabled: true }],
      Workers: [{ ID: 'w0', Labels: { b: '2', a: '1' }, platforms: [{ OS: 'linux', Architecture: 'amd64' }, { OS: 'linux', Architecture: 'amd64', Variant: 'v2' }] }],
    });
    const { client, info } = await connect();
    expect([...info.frontendCaps]).toEqual(['readfile']);
    expect([...info.llbCaps]).toEqual(['source.image']);
    expect(info.workers).toEqual([
      { id: 'w0', labels: { a: '1', b: '2' }, platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'amd64', variant: 'v2' }] },
    ]);
    expect(client.hasCap('readfile')).toBe(true);
    expect(client.hasCap('readdir')).toBe(false);
    expect(client.hasLlbCap('source.image')).toBe(true);
    expect(fake.onlyCall('Ping').raw.length).toBe(0);
  });
});

describe('solve', () => {
  it('puts each request field in its proto field', async () => {
    fake.respond('Solve', { result: { ref: { id: 'r1' } } });
    const { client } = await connect();
    await client.solve({ definition, frontendOpt: { target: 't', 'build-arg:A': '1' }, evaluate: true, cacheImports: [{ type: 'local', attrs: { src: '/c' } }] });

    const raw = fake.onlyCall('Solve').raw;
    expect(readFields(raw).map((f) => f.field)).toEqual([1, 3, 3, 5, 6, 12, 14]);
    expect(fieldsNumbered(raw, 14)[0]!.value).toBe(1n); // Evaluate
    expect(mapKeys(raw, 3)).toEqual(['build-arg:A', 'target']); // FrontendOpt, sorted
    const def = fieldsNumbered(raw, 1)[0]!.value as Uint8Array;
    expect(fieldsNumbered(def, 1).map((f) => [...(f.value as Uint8Array)])).toEqual([[1, 2, 3], [4, 5]]);
    expect(mapKeys(def, 2)).toEqual([OP_A, OP_B]);

    const message = fake.onlyCall('Solve').message;
    expect(message.CacheImports).toEqual([{ Type: 'local', Attrs: { src: '/c' } }]);
    expect(message.allowResultReturn).toBe(true);
    expect(message.allowResultArrayRef).toBe(true);
    expect(message.Definition.metadata[OP_A].description).toEqual({ 'llb.customname': 'RUN make' });
    expect(message.Definition.metadata[OP_B].progress_group).toEqual({ id: 'g1', name: 'group', weak: true });
    expect(message.Definition.Source.locations[OP_A].locations[0].ranges).toEqual([{ start: { line: 2, character: 0 }, end: { line: 3, character: 4 } }]);
  });

  it('sends a frontend with its inputs', async () => {
    fake.respond('Solve', { result: { ref: { id: 'r1' } } });
    const { client } = await connect();
    await client.solve({ frontend: 'dockerfile.v0', frontendInputs: { dockerfile: definition, context: definition } });
    const raw = fake.onlyCall('Solve').raw;
    expect(text(fieldsNumbered(raw, 2)[0]!.value)).toBe('dockerfile.v0');
    expect(mapKeys(raw, 13)).toEqual(['context', 'dockerfile']);
  });

  it('turns the Result into refs with their definitions and metadata', async () => {
    const { client } = await connect();
    fake.respond('Solve', {
      result: {
        refs: { refs: { 'linux/amd64': { id: 'r-amd64', def: { def: [Buffer.from([9])], metadata: { [OP_A]: { description: { k: 'v' } } } } }, 'linux/arm64': { id: 'r-arm64' } } },
        metadata: { 'containerimage.config/linux/amd64': Buffer.from('{}') },
      },
    });
    const result = await client.solve({ definition });
    expect(result).toEqual({
      refs: {
        'linux/amd64': { id: 'r-amd64', definition: { def: [Uint8Array.of(9)], metadata: { [OP_A]: { description: { k: 'v' } } } } },
        'linux/arm64': { id: 'r-arm64' },
      },
      metadata: { 'containerimage.config/linux/amd64': new Uint8Array(Buffer.from('{}')) },
    });
  });

  it('reads the legacy ref of servers without an inline result', async () => {
    fake.respond('Solve', { ref: 'legacy-id' });
    const { client } = await connect();
    expect(await client.solve({ definition })).toEqual({ ref: { id: 'legacy-id' }, metadata: {} });
  });

  it('refuses evaluate without the gateway.solve.evaluate cap, before sending anything', async () => {
    fake.respond('Ping', pongWith(V0_13_GATEWAY_CAPS.filter((c) => c !== 'gateway.solve.evaluate')));
    const { client } = await connect();
    await expect(client.solve({ definition, evaluate: true })).rejects.toMatchObject({ code: 'GATEWAY' });
    expect(fake.callsOf('Solve')).toEqual([]);
  });

  it('refuses a definition whose ops need LLB caps the solver lacks', async () => {
    const { client } = await connect();
    const needsMerge: Definition = { def: [Uint8Array.of(1)], metadata: { [OP_A]: { caps: { mergeop: true } } } };
    await expect(client.solve({ definition: needsMerge })).rejects.toMatchObject({ code: 'GATEWAY' });
    expect(fake.callsOf('Solve')).toEqual([]);
  });

  it('refuses a definition together with a frontend as a bug', async () => {
    const { client } = await connect();
    await expect(client.solve({ definition, frontend: 'dockerfile.v0' })).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

describe('files', () => {
  it('readFile sends ref, path and range, and returns the bytes', async () => {
    fake.respond('ReadFile', { Data: Buffer.from('FROM busybox\n') });
    const { client } = await connect();
    const data = await client.readFile('r1', 'Dockerfile', { offset: 5, length: 100 });
    expect(Buffer.from(data).toString()).toBe('FROM busybox\n');
    const raw = fake.onlyCall('ReadFile').raw;
    expect(text(fieldsNumbered(raw, 1)[0]!.value)).toBe('r1');
    expect(text(fieldsNumbered(raw, 2)[0]!.value)).toBe('Dockerfile');
    expect(readFields(fieldsNumbered(raw, 3)[0]!.value as Uint8Array).map((f) => [f.field, f.value])).toEqual([[1, 5n], [2, 100n]]);
  });

  it('readDir and statFile convert fsutil stats (Go FileMode bits, int64 times)', async () => {
    const dir = { path: 'src', mode: 2 ** 31 + 0o755, uid: 1, gid: 2, modTime: '1700000000123456789' };
    const link = { path: 'latest', mode: 2 ** 27 + 0o777, linkname: 'src' };
    const file = { path: 'a.txt', mode: 0o644, size: 12 };
    fake.respond('ReadDir', { entries: [dir, link, file] });
    fake.respond('StatFile', { stat: file });
    const { client } = await connect();

    const entries = await client.readDir('r1', '/', '*');
    expect(entries[0]).toEqual({ path: 'src', mode: 2 ** 31 + 0o755, uid: 1, gid: 2, size: 0, modTimeNs: 1700000000123456789n, linkname: '' });
    expect(entries.map((e) => [isDir(e), isSymlink(e), isRegularFile(e), permissionBits(e)])).toEqual([
      [true, false, false, 0o755],
      [false, true, false, 0o777],
      [false, false, true, 0o644],
    ]);
    expect(fake.onlyCall('ReadDir').message).toMatchObject({ Ref: 'r1', DirPath: '/', IncludePattern: '*' });

    expect(await client.statFile('r1', 'a.txt')).toMatchObject({ path: 'a.txt', size: 12, modTimeNs: 0n });
    expect(fake.onlyCall('StatFile').message).toMatchObject({ Ref: 'r1', Path: 'a.txt' });
  });

  it('evaluate sends the ref', async () => {
    fake.respond('Evaluate', {});
    const { client } = await connect();
    await client.evaluate('r9');
    expect(fake.onlyCall('Evaluate').message).toEqual({ Ref: 'r9' });
  });
});

describe('resolveImageConfig', () => {
  it('sends ref, platform and mode; returns digest, config bytes and the resolved ref', async () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    fake.respond('ResolveImageConfig', { Digest: digest, Config: Buffer.from('{"os":"linux"}'), Ref: 'docker.io/library/busybox:latest' });
    const { client } = await connect();
    const resolved = await client.resolveImageConfig('busybox', { platform: { os: 'linux', architecture: 'arm', variant: 'v7' }, resolveMode: 'local', logName: 'load metadata' });
    expect(resolved).toEqual({ digest, config: new Uint8Array(Buffer.from('{"os":"linux"}')), ref: 'docker.io/library/busybox:latest' });
    const raw = fake.onlyCall('ResolveImageConfig').raw;
    expect(readFields(raw).map((f) => f.field)).toEqual([1, 2, 3, 4]);
    expect(fake.onlyCall('ResolveImageConfig').message).toMatchObject({
      Ref: 'busybox',
      Platform: { OS: 'linux', Architecture: 'arm', Variant: 'v7' },
      ResolveMode: 'local',
      LogName: 'load metadata',
      ResolverType: 0,
    });
  });

  it('keeps the asked-for ref when the daemon reports none, and rejects a bad digest', async () => {
    fake.respond('ResolveImageConfig', { Digest: `sha256:${'d'.repeat(64)}` });
    const { client } = await connect();
    expect((await client.resolveImageConfig('busybox:1')).ref).toBe('busybox:1');
    fake.respond('ResolveImageConfig', { Digest: 'md5:x' });
    await expect(client.resolveImageConfig('busybox:1')).rejects.toMatchObject({ code: 'GATEWAY' });
  });
});

describe('inputs', () => {
  it('round-trips Definitions, source maps included', async () => {
    const { client } = await connect();
    // the pb.Definition our client encodes for a solve comes back as an input
    fake.respond('Solve', { result: { ref: { id: 'r' } } });
    await client.solve({ definition });
    fake.respond('Inputs', { Definitions: { context: fake.onlyCall('Solve').message.Definition } });
    expect(await client.inputs()).toEqual({ context: definition });
  });

  it('rejects a Definition whose metadata keys are not digests', async () => {
    fake.respond('Inputs', { Definitions: { context: { def: [Buffer.from([1])], metadata: { 'not-a-digest': {} } } } });
    const { client } = await connect();
    await expect(client.inputs()).rejects.toMatchObject({ code: 'GATEWAY' });
  });
});

describe('warn', () => {
  it('sends digest, level, text and a source snippet in their fields', async () => {
    fake.respond('Warn', {});
    const { client } = await connect();
    const sent = await client.warn({
      vertexDigest: OP_A,
      level: 1,
      short: 'FROM without a digest',
      detail: ['pin it', 'with the lock'],
      url: 'https://example.invalid/w',
      source: { filename: 'Dockerfile', data: Buffer.from('FROM x\n'), language: 'Dockerfile' },
      ranges: [{ startLine: 1, endLine: 1, startColumn: 3 }],
    });
    expect(sent).toBe(true);
    const raw = fake.onlyCall('Warn').raw;
    expect(readFields(raw).map((f) => f.field)).toEqual([1, 2, 3, 4, 4, 5, 6, 7]);
    expect(fake.onlyCall('Warn').message).toMatchObject({
      digest: OP_A,
      level: '1',
      short: Buffer.from('FROM without a digest'),
      detail: [Buffer.from('pin it'), Buffer.from('with the lock')],
      url: 'https://example.invalid/w',
      info: { filename: 'Dockerfile', data: Buffer.from('FROM x\n'), language: 'Dockerfile' },
      ranges: [{ start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }],
    });
  });

  it('sends nothing without the gateway.warnings cap', async () => {
    fake.respond('Ping', pongWith(V0_13_GATEWAY_CAPS.filter((c) => c !== 'gateway.warnings')));
    const { client } = await connect();
    expect(await client.warn({ vertexDigest: OP_A, level: 1, short: 'x' })).toBe(false);
    expect(fake.callsOf('Warn')).toEqual([]);
  });
});

describe('caps', () => {
  it('refuses readDir and inputs when the gateway lacks their caps', async () => {
    fake.respond('Ping', pongWith(['readfile']));
    const { client } = await connect();
    await expect(client.readDir('r', '/')).rejects.toBeInstanceOf(GoshError);
    await expect(client.inputs()).rejects.toMatchObject({ code: 'GATEWAY' });
    expect(fake.calls.map((c) => c.method)).toEqual(['Ping']);
  });
});
