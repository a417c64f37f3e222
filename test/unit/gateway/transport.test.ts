import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { status as grpcStatus } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { GatewayCallError } from '../../../src/gateway/call-error.js';
import { GatewayClient } from '../../../src/gateway/client.js';
import { GATEWAY_CHANNEL_OPTIONS, openStdioBridge } from '../../../src/gateway/transport.js';
import { FakeGateway } from '../../fake-gateway/fake-gateway.js';

function connect(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function nextChunk(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => stream.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8'))));
}

function closed(socket: net.Socket): Promise<{ received: string }> {
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  return new Promise((resolve) => socket.once('close', () => resolve({ received })));
}

describe('openStdioBridge', () => {
  it('splices the first connection onto input and output', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const bridge = await openStdioBridge({ input, output });
    const first = await connect(bridge.socketPath);

    const toClient = nextChunk(first);
    input.write('from buildkit');
    expect(await toClient).toBe('from buildkit');

    const toBuildkit = nextChunk(output);
    first.write('from grpc-js');
    expect(await toBuildkit).toBe('from grpc-js');

    first.destroy();
    await bridge.close();
  });

  it('destroys a second connection and keeps the first one working', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const bridge = await openStdioBridge({ input, output });
    const first = await connect(bridge.socketPath);
    const second = await connect(bridge.socketPath);
    const secondEnd = closed(second);
    second.write('a second HTTP/2 preface');

    expect((await secondEnd).received).toBe('');
    expect(bridge.refusedConnections).toBe(1);

    const toBuildkit = nextChunk(output);
    first.write('still spliced');
    expect(await toBuildkit).toBe('still spliced');
    const toClient = nextChunk(first);
    input.write('reply');
    expect(await toClient).toBe('reply');

    first.destroy();
    await bridge.close();
  });

  it('listens in a private directory under os.tmpdir() and removes it on close', async () => {
    const bridge = await openStdioBridge({ input: new PassThrough(), output: new PassThrough() });
    expect(bridge.address).toBe(`unix://${bridge.socketPath}`);
    expect(path.dirname(path.dirname(bridge.socketPath))).toBe(os.tmpdir());
    expect(existsSync(bridge.socketPath)).toBe(true);
    await bridge.close();
    expect(existsSync(bridge.socketPath)).toBe(false);
    expect(existsSync(path.dirname(bridge.socketPath))).toBe(false);
  });

  it('gives grpc-js options that never drop the one connection', () => {
    expect(GATEWAY_CHANNEL_OPTIONS).toEqual({
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
      'grpc.client_idle_timeout_ms': 2 ** 31 - 1,
      'grpc.enable_retries': 0,
    });
  });
});

describe('a broken stream', () => {
  it('fails later calls with UNAVAILABLE instead of leaving them hanging', async () => {
    const fake = await FakeGateway.start();
    const toFake = await connect(fake.socketPath);
    const bridge = await openStdioBridge({ input: toFake, output: toFake });
    const client = new GatewayClient(bridge.address, GATEWAY_CHANNEL_OPTIONS);
    try {
      await client.ping();
      const ended = closed(toFake);
      toFake.destroy(); // BuildKit's end of stdin/stdout goes away
      await ended;
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await client.ping().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GatewayCallError);
        expect((error as GatewayCallError).status.code).toBe(grpcStatus.UNAVAILABLE);
      }
      expect(fake.callsOf('Ping')).toHaveLength(1);
    } finally {
      client.close();
      await bridge.close();
      await fake.stop();
    }
  });
});
