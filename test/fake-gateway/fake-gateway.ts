import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { STATUS_DETAILS_TRAILER } from '../../src/gateway/call-error.js';
import { decodeMessage } from '../../src/gateway/codec.js';
import { messageType } from '../../src/gateway/proto.js';
import { encodeRpcStatus, type RpcStatus } from '../../src/gateway/rpc-status.js';
import { LLB_BRIDGE_METHODS, methodPath, type LlbBridgeMethod } from '../../src/gateway/service.js';

/** One request as the fake received it: the exact bytes and their protobufjs decoding. */
export interface RecordedCall {
  readonly method: LlbBridgeMethod;
  readonly raw: Buffer;
  /** decoded with the client's own options (keepCase names, int64 as strings, bytes as Buffers) */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any message type; tests read fields by proto name
  readonly message: any;
}

export interface FakeFailure {
  readonly code: grpc.status;
  readonly message: string;
  /** sent as the grpc-status-details-bin trailer, as BuildKit's grpcerrors does */
  readonly status?: RpcStatus;
}

export type FakeReply = { readonly response: object } | { readonly failure: FakeFailure };
export type FakeHandler = (call: RecordedCall) => FakeReply | Promise<FakeReply>;

/** The 24 gateway caps BuildKit v0.13.2 enables (../shared/buildkit-protocol.md section 2). */
export const V0_13_GATEWAY_CAPS = [
  'frontend.caps', 'frontend.inputs', 'gateway.evaluate', 'gateway.exec', 'gateway.exec.extrahosts',
  'gateway.exec.secretenv', 'gateway.exec.signals', 'gateway.solve.evaluate', 'gateway.solve.metadata',
  'gateway.warnings', 'importcaches', 'proto.refarray', 'readdir', 'readfile', 'reference.attestations',
  'reference.output', 'resolveimage', 'resolveimage.resolvemode', 'return', 'returnmap', 'solve.base',
  'solve.inlinereturn', 'source.metaresolver', 'statfile',
];

export const SOME_LLB_CAPS = ['constraints', 'exec.meta.base', 'file.base', 'meta.description', 'platform', 'source.image', 'source.local'];

/** A PongResponse (wire shape) enabling `gatewayCaps` and SOME_LLB_CAPS, with one linux/amd64 worker. */
export function pongWith(gatewayCaps: readonly string[] = V0_13_GATEWAY_CAPS): object {
  return {
    FrontendAPICaps: gatewayCaps.map((ID) => ({ ID, Enabled: true })),
    LLBCaps: SOME_LLB_CAPS.map((ID) => ({ ID, Enabled: true })),
    Workers: [{ ID: 'worker-1', Labels: { 'org.mobyproject.buildkit.worker.executor': 'containerd' }, platforms: [{ OS: 'linux', Architecture: 'amd64' }] }],
  };
}

const identity = (b: Buffer): Buffer => b;

/**
 * An in-process LLBBridge server on a unix socket in os.tmpdir(), scripted per test: it records
 * every request and answers with canned responses or failures. Ping answers pongWith() and
 * Return answers {} until told otherwise; anything unscripted fails with UNIMPLEMENTED.
 */
export class FakeGateway {
  readonly calls: RecordedCall[] = [];
  private readonly handlers = new Map<LlbBridgeMethod, FakeHandler>();

  private constructor(
    private readonly server: grpc.Server,
    private readonly dir: string,
    readonly socketPath: string,
  ) {
    this.respond('Ping', pongWith());
    this.respond('Return', {});
  }

  static async start(): Promise<FakeGateway> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gosh-fake-gateway-'));
    const socketPath = path.join(dir, 'gateway.sock');
    const server = new grpc.Server();
    const fake = new FakeGateway(server, dir, socketPath);
    const definition: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const method of Object.keys(LLB_BRIDGE_METHODS) as LlbBridgeMethod[]) {
      definition[method] = {
        path: methodPath(method),
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      };
      const handler: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
        fake.serve(method, call.request).then(
          (bytes) => callback(null, bytes),
          (error: grpc.ServerErrorResponse) => callback(error),
        );
      };
      implementation[method] = handler;
    }
    server.addService(definition, implementation);
    await new Promise<void>((resolve, reject) => {
      server.bindAsync(`unix://${socketPath}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve()));
    });
    return fake;
  }

  /** Every later `method` call gets this response (a wire-shaped object, as protobufjs fromObject takes). */
  respond(method: LlbBridgeMethod, response: object): void {
    this.handlers.set(method, () => ({ response }));
  }

  /** Every later `method` call fails with this status. */
  fail(method: LlbBridgeMethod, failure: FakeFailure): void {
    this.handlers.set(method, () => ({ failure }));
  }

  handle(method: LlbBridgeMethod, handler: FakeHandler): void {
    this.handlers.set(method, handler);
  }

  callsOf(method: LlbBridgeMethod): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The only call of `method`; throws when there were none or several. */
  onlyCall(method: LlbBridgeMethod): RecordedCall {
    const calls = this.callsOf(method);
    if (calls.length !== 1) throw new Error(`expected one ${method} call, got ${calls.length}`);
    return calls[0]!;
  }

  async stop(): Promise<void> {
    this.server.forceShutdown();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async serve(method: LlbBridgeMethod, raw: Buffer): Promise<Buffer> {
    const [requestType, responseType] = LLB_BRIDGE_METHODS[method];
    const call: RecordedCall = { method, raw, message: decodeMessage(requestType, raw) };
    this.calls.push(call);
    const handler = this.handlers.get(method);
    const reply = handler !== undefined ? await handler(call) : { failure: { code: grpc.status.UNIMPLEMENTED, message: `fake gateway: ${method} not scripted` } };
    if ('failure' in reply) throw toServerError(reply.failure);
    const type = messageType(responseType);
    return Buffer.from(type.encode(type.fromObject(reply.response)).finish());
  }
}

function toServerError(failure: FakeFailure): grpc.ServerErrorResponse {
  const metadata = new grpc.Metadata();
  if (failure.status !== undefined) metadata.set(STATUS_DETAILS_TRAILER, Buffer.from(encodeRpcStatus(failure.status)));
  return Object.assign(new Error(failure.message), { code: failure.code, details: failure.message, metadata });
}
