import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayConnection } from '../../../src/gateway/connect.js';
import { RPC_CODE_UNKNOWN } from '../../../src/gateway/rpc-status.js';
import { connectToFake } from '../../fake-gateway/connect-fake.js';
import { FakeGateway, pongWith, V0_13_GATEWAY_CAPS } from '../../fake-gateway/fake-gateway.js';
import { fieldsNumbered, mapKeys, readFields, text } from '../../fake-gateway/wire-fields.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

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

/** ReturnRequest.result (field 1) of the only Return call */
function returnedResult(): Uint8Array {
  const raw = fake.onlyCall('Return').raw;
  expect(readFields(raw).map((f) => f.field)).toEqual([1]);
  return fieldsNumbered(raw, 1)[0]!.value as Uint8Array;
}

describe('returnResult', () => {
  it('sends one ref and its metadata', async () => {
    const { client } = await connect();
    await client.returnResult({ ref: 'r1', metadata: { 'containerimage.config': bytes('{}') } });
    const result = returnedResult();
    const ref = fieldsNumbered(result, 3)[0]!.value as Uint8Array; // Result.ref
    expect(text(fieldsNumbered(ref, 1)[0]!.value)).toBe('r1');
    expect(fake.onlyCall('Return').message.result).toMatchObject({ result: 'ref', ref: { id: 'r1' }, metadata: { 'containerimage.config': Buffer.from('{}') } });
  });

  it('sends an empty ref, not an empty oneof, when the result has no ref', async () => {
    const { client } = await connect();
    await client.returnResult({ metadata: { 'result.json': bytes('[]') } });
    const result = returnedResult();
    expect(fieldsNumbered(result, 3).map((f) => (f.value as Uint8Array).length)).toEqual([0]);
  });

  it('encodes map keys in sorted byte order whatever the insertion order', async () => {
    const { client } = await connect();
    const metadata: Record<string, Uint8Array> = {};
    for (const key of ['refs.platforms', 'containerimage.config/linux/arm64', '10', 'Z', '9', 'containerimage.config/linux/amd64', 'é']) {
      metadata[key] = bytes(key);
    }
    await client.returnResult({ refs: { 'linux/arm64': 'r2', 'linux/amd64': 'r1' }, metadata });
    const result = returnedResult();
    expect(mapKeys(result, 10)).toEqual([
      '10',
      '9',
      'Z',
      'containerimage.config/linux/amd64',
      'containerimage.config/linux/arm64',
      'refs.platforms',
      'é',
    ]);
    const refs = fieldsNumbered(result, 4)[0]!.value as Uint8Array; // Result.refs (RefMap)
    expect(mapKeys(refs, 1)).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('sends attestations keyed by platform with kind, ref, path, predicate type, metadata and subjects', async () => {
    const { client } = await connect();
    await client.returnResult({
      ref: 'img',
      metadata: {},
      attestations: {
        'linux/amd64': [
          { kind: 'intoto', refId: 'sbom-ref', path: '/sbom.spdx.json', predicateType: 'https://spdx.dev/Document', metadata: { reason: bytes('sbom') } },
          { kind: 'bundle', refId: 'b-ref', path: '/bundle', subjects: [{ kind: 'raw', digests: [`sha256:${'e'.repeat(64)}`], name: 'out' }] },
        ],
      },
    });
    const message = fake.onlyCall('Return').message.result;
    expect(message.attestations['linux/amd64'].attestation).toEqual([
      { kind: 0, metadata: { reason: Buffer.from('sbom') }, ref: { id: 'sbom-ref', def: null }, path: '/sbom.spdx.json', inTotoPredicateType: 'https://spdx.dev/Document', inTotoSubjects: [] },
      { kind: 1, metadata: {}, ref: { id: 'b-ref', def: null }, path: '/bundle', inTotoPredicateType: '', inTotoSubjects: [{ kind: 1, digest: [`sha256:${'e'.repeat(64)}`], name: 'out' }] },
    ]);
    expect(mapKeys(returnedResult(), 12)).toEqual(['linux/amd64']);
  });

  it('refuses attestations without the reference.attestations cap and still allows returnError', async () => {
    fake.respond('Ping', pongWith(V0_13_GATEWAY_CAPS.filter((c) => c !== 'reference.attestations')));
    const { client } = await connect();
    const attestations = { 'linux/amd64': [{ kind: 'intoto' as const, refId: 'r', path: '/p' }] };
    await expect(client.returnResult({ ref: 'r', metadata: {}, attestations })).rejects.toMatchObject({ code: 'GATEWAY' });
    expect(client.hasReturned).toBe(false);
    await client.returnError({ code: RPC_CODE_UNKNOWN, message: 'no attestations here', details: [] });
    expect(fake.onlyCall('Return').message.error.message).toBe('no attestations here');
  });
});

describe('exactly one Return', () => {
  it('refuses a second returnResult as a bug', async () => {
    const { client } = await connect();
    await client.returnResult({ ref: 'r1', metadata: {} });
    await expect(client.returnResult({ ref: 'r1', metadata: {} })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(fake.callsOf('Return')).toHaveLength(1);
  });

  it('refuses returnError after returnResult, and returnResult after returnError', async () => {
    const { client } = await connect();
    await client.returnResult({ ref: 'r1', metadata: {} });
    await expect(client.returnError({ code: RPC_CODE_UNKNOWN, message: 'late', details: [] })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(fake.callsOf('Return')).toHaveLength(1);

    await connection.close();
    const second = await connect();
    await second.client.returnError({ code: RPC_CODE_UNKNOWN, message: 'failed', details: [] });
    await expect(second.client.returnResult({ metadata: {} })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(fake.callsOf('Return')).toHaveLength(2);
  });

  it('counts a Return that BuildKit failed: no retry', async () => {
    fake.fail('Return', { code: 14, message: 'connection lost' });
    const { client } = await connect();
    await expect(client.returnResult({ ref: 'r', metadata: {} })).rejects.toMatchObject({ code: 'GATEWAY' });
    expect(client.hasReturned).toBe(true);
    await expect(client.returnResult({ ref: 'r', metadata: {} })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(fake.callsOf('Return')).toHaveLength(1);
  });

  it('refuses an error status with code OK', async () => {
    const { client } = await connect();
    await expect(client.returnError({ code: 0, message: 'ok?', details: [] })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(client.hasReturned).toBe(false);
  });
});
