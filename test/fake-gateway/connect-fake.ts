import net from 'node:net';
import { connectGateway, type GatewayConnection } from '../../src/gateway/connect.js';
import type { FakeGateway } from './fake-gateway.js';

/**
 * Connects our real transport and client to the fake: a socket to the fake's unix socket plays
 * BuildKit's end of stdin/stdout, so every byte goes through the same bridge as in production.
 */
export async function connectToFake(fake: FakeGateway): Promise<GatewayConnection> {
  const socket = net.connect(fake.socketPath);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const connection = await connectGateway({ input: socket, output: socket });
  return {
    ...connection,
    async close() {
      await connection.close();
      socket.destroy();
    },
  };
}
