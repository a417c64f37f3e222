import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ChannelOptions } from '@grpc/grpc-js';
import { childLogger } from '../log.js';

// grpc-js can only dial addresses, never a ready-made duplex, yet BuildKit talks to a frontend
// over its stdin/stdout (gRPC over h2c, one connection for the life of the process). The bridge:
// a unix socket in a private temp dir whose first connection is spliced onto stdin/stdout.

/**
 * Channel options for the bridged connection. The connection can never be re-established, so
 * nothing may close it: no idle timeout (2^31-1 ms is the largest timer Node accepts), no retries.
 * Messages are unlimited here; BuildKit's server still refuses requests over 4 MiB.
 */
export const GATEWAY_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
  'grpc.client_idle_timeout_ms': 2 ** 31 - 1,
  'grpc.enable_retries': 0,
};

export interface StdioBridgeOptions {
  /** bytes from BuildKit; default process.stdin */
  readonly input?: Readable;
  /** bytes to BuildKit; default process.stdout */
  readonly output?: Writable;
}

export interface StdioBridge {
  /** grpc-js target, "unix:///…/bridge.sock" */
  readonly address: string;
  readonly socketPath: string;
  /** connections destroyed because the stream was already taken */
  readonly refusedConnections: number;
  /** stops listening, unsplices, removes the socket and its directory */
  close(): Promise<void>;
}

/**
 * Listens on a fresh unix socket. The first connection is spliced to input/output; any later one
 * is destroyed at once: grpc-js reconnects after a transport error, and a second HTTP/2 preface on
 * the same stdio stream would corrupt it, while a refused connection only fails the calls.
 */
export async function openStdioBridge(options: StdioBridgeOptions = {}): Promise<StdioBridge> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const log = childLogger('gateway');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gosh-gateway-')); // mode 0700
  const socketPath = path.join(dir, 'bridge.sock');
  let spliced: net.Socket | undefined;
  let refused = 0;

  const server = net.createServer((socket) => {
    if (spliced !== undefined) {
      refused++;
      log.warn('refused a second connection to the stdio bridge (the gateway stream is single-use)');
      socket.destroy();
      return;
    }
    spliced = socket;
    // pipe() only forwards a clean end; when BuildKit's side breaks instead, drop grpc-js's
    // connection too, so pending calls fail (UNAVAILABLE) rather than wait forever
    const breakSplice = (): void => {
      socket.destroy();
    };
    const streamFailed = (err: Error): void => {
      log.debug({ err }, 'stdio stream error');
      socket.destroy();
    };
    input.on('close', breakSplice).on('error', streamFailed);
    output.on('close', breakSplice).on('error', streamFailed);
    socket.on('error', (err) => log.debug({ err }, 'stdio bridge socket error'));
    socket.on('close', () => {
      input.unpipe(socket);
      input.off('close', breakSplice).off('error', streamFailed);
      output.off('close', breakSplice).off('error', streamFailed);
    });
    input.pipe(socket);
    socket.pipe(output); // Node never ends process.stdout through pipe()
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  server.on('error', (err) => log.warn({ err }, 'stdio bridge listener error'));

  return {
    address: `unix://${socketPath}`,
    socketPath,
    get refusedConnections() {
      return refused;
    },
    async close() {
      if (spliced !== undefined) {
        input.unpipe(spliced);
        spliced.unpipe(output);
        spliced.destroy();
      }
      // a paused stdin does not keep the process alive
      if (input === process.stdin) input.pause();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
