import { GatewayClient } from './client.js';
import type { GatewayInfo } from './client-types.js';
import { GATEWAY_CHANNEL_OPTIONS, openStdioBridge, type StdioBridgeOptions } from './transport.js';

export interface GatewayConnection {
  readonly client: GatewayClient;
  /** what the first Ping reported */
  readonly info: GatewayInfo;
  /** closes the gRPC channel, then the bridge (call after Return resolved) */
  close(): Promise<void>;
}

/**
 * Opens the stdio bridge, connects a GatewayClient through it and pings, as BuildKit's Go client
 * does before anything else. Defaults to process.stdin/stdout; tests pass other streams.
 * @throws GatewayCallError when Ping fails (the bridge is closed again).
 */
export async function connectGateway(options: StdioBridgeOptions = {}): Promise<GatewayConnection> {
  const bridge = await openStdioBridge(options);
  const client = new GatewayClient(bridge.address, GATEWAY_CHANNEL_OPTIONS);
  const close = async (): Promise<void> => {
    client.close();
    await bridge.close();
  };
  try {
    const info = await client.ping();
    return { client, info, close };
  } catch (err) {
    await close();
    throw err;
  }
}
