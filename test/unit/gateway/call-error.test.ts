import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayCallError } from '../../../src/gateway/call-error.js';
import type { GatewayConnection } from '../../../src/gateway/connect.js';
import type { RpcStatus } from '../../../src/gateway/rpc-status.js';
import { errorToRpcStatus } from '../../../src/gateway/status.js';
import { connectToFake } from '../../fake-gateway/connect-fake.js';
import { FakeGateway } from '../../fake-gateway/fake-gateway.js';
import { fieldsNumbered } from '../../fake-gateway/wire-fields.js';

// What BuildKit sends when Solve with Evaluate fails: a status trailer with typed JSON details.
const sourceJson = '{"info":{"filename":"Dockerfile","data":"RlJPTSBidXN5Ym94ClJVTiBmYWxzZQo=","language":"Dockerfile"},"ranges":[{"start":{"line":2},"end":{"line":2}}]}';
const upstream: RpcStatus = {
  code: 2,
  message: 'process "/bin/sh -c false" did not complete successfully: exit code: 1',
  details: [
    { typeUrl: 'github.com/moby/buildkit/stack.Stack+json', value: new TextEncoder().encode('{"frames":[{"Name":"main"}]}') },
    { typeUrl: 'github.com/moby/buildkit/errdefs.Source+json', value: new TextEncoder().encode(sourceJson) },
    { typeUrl: 'github.com/moby/buildkit/errdefs.Vertex+json', value: new TextEncoder().encode(`{"digest":"sha256:${'a'.repeat(64)}"}`) },
    { typeUrl: 'example.invalid/binary', value: Uint8Array.of(0, 255, 128, 10) },
  ],
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

describe('failed gateway calls', () => {
  it('become GatewayCallError (code GATEWAY) keeping the status details from the trailer', async () => {
    fake.fail('Solve', { code: 2, message: upstream.message, status: upstream });
    connection = await connectToFake(fake);
    const error: unknown = await connection.client.solve({ frontend: 'dockerfile.v0', evaluate: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayCallError);
    const callError = error as GatewayCallError;
    expect(callError.code).toBe('GATEWAY');
    expect(callError.method).toBe('Solve');
    expect(callError.status.code).toBe(2);
    expect(callError.status.message).toBe(upstream.message);
    expect(callError.details).toEqual(upstream.details);
    expect(callError.message).toBe(`gateway Solve failed: ${upstream.message}`);
  });

  it('are forwarded byte for byte in Return(error)', async () => {
    fake.fail('Solve', { code: 2, message: upstream.message, status: upstream });
    connection = await connectToFake(fake);
    const { client } = connection;
    const error = await client.solve({ frontend: 'dockerfile.v0', evaluate: true }).catch((e: unknown) => e);
    await client.returnError(errorToRpcStatus(error, new Map()));

    const raw = fake.onlyCall('Return').raw;
    const status = fieldsNumbered(raw, 2)[0]!.value as Uint8Array; // ReturnRequest.error
    expect(fieldsNumbered(status, 1)[0]!.value).toBe(2n);
    const anys = fieldsNumbered(status, 3).map((f) => f.value as Uint8Array);
    expect(anys.map((any) => Buffer.from(fieldsNumbered(any, 1)[0]!.value as Uint8Array).toString())).toEqual(upstream.details.map((d) => d.typeUrl));
    expect(anys.map((any) => Buffer.from(fieldsNumbered(any, 2)[0]!.value as Uint8Array))).toEqual(upstream.details.map((d) => Buffer.from(d.value)));
  });

  it('without a trailer keep code and message, with no details', async () => {
    fake.fail('ReadFile', { code: 5, message: 'open Dockerfile: no such file or directory' });
    connection = await connectToFake(fake);
    const error = (await connection.client.readFile('r', 'Dockerfile').catch((e: unknown) => e)) as GatewayCallError;
    expect(error).toBeInstanceOf(GatewayCallError);
    expect(error.status).toEqual({ code: 5, message: 'open Dockerfile: no such file or directory', details: [] });
    expect(error.message).toBe('gateway ReadFile failed: NOT_FOUND: open Dockerfile: no such file or directory');
  });
});
