import { Client, credentials, Metadata, type CallOptions, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import { isDigest } from '../core/digest.js';
import { diagnostic, GoshError } from '../core/errors.js';
import type { Platform } from '../core/platform.js';
import type { Definition } from '../llb/definition.js';
import { childLogger } from '../log.js';
import { gatewayCallError } from './call-error.js';
import type {
  FileRange,
  GatewayInfo,
  ResolvedImageConfig,
  ResolveImageConfigOptions,
  ReturnResult,
  SolveRequest,
  SolveResult,
  Warning,
} from './client-types.js';
import { decodeMessage, encodeMessage } from './codec.js';
import { definitionFromWire, definitionToWire, lineRangeToWire } from './definition-wire.js';
import { fileStatFromWire, type FileStat } from './file-stat.js';
import { returnResultToWire, solveResultFromWire } from './result-wire.js';
import { rpcStatusToWire, type RpcStatus } from './rpc-status.js';
import { GATEWAY_CAPS, LLB_BRIDGE_METHODS, methodPath, type LlbBridgeMethod } from './service.js';
import { mapSorted } from './sorted-record.js';
import type * as W from './wire-types.js';

/** BuildKit's Go client gives Ping 15 s; later calls have no deadline (builds take long). */
const PING_TIMEOUT_MS = 15_000;

const passBytes = (b: Buffer): Buffer => b;

/**
 * The LLBBridge API with a promise per RPC and our own plain types. Call ping() first: the other
 * methods check the capabilities it reports. Every failed RPC rejects with a GatewayCallError
 * (code GATEWAY) that keeps BuildKit's status details for Return.
 *
 * The build must end in exactly one returnResult() or returnError(); a second one throws INTERNAL.
 */
export class GatewayClient {
  private readonly grpc: Client;
  private readonly log = childLogger('gateway');
  private info: GatewayInfo | undefined;
  private returned = false;

  /** @param address a grpc-js target, e.g. StdioBridge.address */
  constructor(address: string, channelOptions: ChannelOptions) {
    this.grpc = new Client(address, credentials.createInsecure(), channelOptions);
  }

  /** Asks BuildKit for its capabilities and workers; remembered for hasCap()/hasLlbCap(). */
  async ping(): Promise<GatewayInfo> {
    const pong = await this.call<W.WirePongResponse>('Ping', {}, { deadline: Date.now() + PING_TIMEOUT_MS });
    const enabled = (caps: W.WireApiCap[] | undefined): Set<string> =>
      new Set((caps ?? []).filter((c) => c.Enabled === true).map((c) => c.ID ?? ''));
    const info: GatewayInfo = {
      frontendCaps: enabled(pong.FrontendAPICaps),
      llbCaps: enabled(pong.LLBCaps),
      workers: (pong.Workers ?? []).map((w) => ({
        id: w.ID ?? '',
        labels: mapSorted(w.Labels ?? {}, (v) => v),
        platforms: (w.platforms ?? []).map(platformFromWire),
      })),
    };
    this.info = info;
    return info;
  }

  /** Whether the gateway enables this capability (frontend/gateway/pb/caps.go names). */
  hasCap(name: string): boolean {
    return this.pinged().frontendCaps.has(name);
  }

  /** Whether the solver enables this LLB capability (solver/pb/caps.go names). */
  hasLlbCap(name: string): boolean {
    return this.pinged().llbCaps.has(name);
  }

  /** Solve is lazy unless `evaluate`: the ref is built when read or exported. */
  async solve(request: SolveRequest): Promise<SolveResult> {
    const wire = this.solveRequestToWire(request);
    return solveResultFromWire(await this.call<W.WireSolveResponse>('Solve', wire));
  }

  async readFile(refId: string, filePath: string, range?: FileRange): Promise<Uint8Array> {
    this.requireCap(GATEWAY_CAPS.readFile, 'reading files');
    const wire: W.WireReadFileRequest = { Ref: refId, FilePath: filePath };
    if (range !== undefined) wire.Range = { Offset: range.offset, Length: range.length };
    const response = await this.call<W.WireReadFileResponse>('ReadFile', wire);
    return new Uint8Array(response.Data ?? []);
  }

  /** @param includePattern one fsutil pattern, e.g. "*.json" */
  async readDir(refId: string, dirPath: string, includePattern?: string): Promise<FileStat[]> {
    this.requireCap(GATEWAY_CAPS.readDir, 'reading directories');
    const wire: W.WireReadDirRequest = { Ref: refId, DirPath: dirPath };
    if (includePattern !== undefined) wire.IncludePattern = includePattern;
    const response = await this.call<W.WireReadDirResponse>('ReadDir', wire);
    return (response.entries ?? []).map(fileStatFromWire);
  }

  async statFile(refId: string, filePath: string): Promise<FileStat> {
    this.requireCap(GATEWAY_CAPS.statFile, 'stat of files');
    const response = await this.call<W.WireStatFileResponse>('StatFile', { Ref: refId, Path: filePath });
    return fileStatFromWire(response.stat ?? {});
  }

  /** Builds a lazily solved ref now, so its errors surface here. */
  async evaluate(refId: string): Promise<void> {
    this.requireCap(GATEWAY_CAPS.evaluate, 'evaluating results');
    await this.call('Evaluate', { Ref: refId });
  }

  /** @param ref an image reference, e.g. "docker.io/library/busybox:latest" */
  async resolveImageConfig(ref: string, options: ResolveImageConfigOptions = {}): Promise<ResolvedImageConfig> {
    this.requireCap(GATEWAY_CAPS.resolveImage, 'resolving images');
    const wire: W.WireResolveImageConfigRequest = { Ref: ref };
    if (options.platform !== undefined) wire.Platform = platformToWire(options.platform);
    if (options.resolveMode !== undefined) {
      this.requireCap(GATEWAY_CAPS.resolveImageMode, 'image resolve modes');
      wire.ResolveMode = options.resolveMode;
    }
    if (options.logName !== undefined) wire.LogName = options.logName;
    if (options.sessionId !== undefined) wire.SessionID = options.sessionId;
    // ResolverType: 0 registry, 1 OCI layout (gateway.proto)
    if (options.resolverType === 'oci-layout') wire.ResolverType = 1;
    if (options.storeId !== undefined) wire.StoreID = options.storeId;
    const response = await this.call<W.WireResolveImageConfigResponse>('ResolveImageConfig', wire);
    const digest = response.Digest ?? '';
    if (!isDigest(digest)) {
      throw new GoshError(diagnostic('GATEWAY', `buildkit resolved ${ref} to an invalid digest ${JSON.stringify(digest)}`));
    }
    const resolvedRef = response.Ref ?? '';
    // older daemons report no ref: the one asked for stands (as in BuildKit's Go client)
    return { digest, config: new Uint8Array(response.Config ?? []), ref: resolvedRef !== '' ? resolvedRef : ref };
  }

  /** Definitions the caller of the frontend passed as inputs (e.g. "context", "dockerfile"). */
  async inputs(): Promise<Record<string, Definition>> {
    this.requireCap(GATEWAY_CAPS.frontendInputs, 'frontend inputs');
    const response = await this.call<W.WireInputsResponse>('Inputs', {});
    return mapSorted(response.Definitions ?? {}, definitionFromWire);
  }

  /**
   * Attaches a warning to one of our vertices. Warnings are advisory: without the
   * gateway.warnings cap nothing is sent and the result is false.
   */
  async warn(warning: Warning): Promise<boolean> {
    if (!this.hasCap(GATEWAY_CAPS.warnings)) return false;
    const wire: W.WireWarnRequest = {
      digest: warning.vertexDigest,
      level: warning.level,
      short: Buffer.from(warning.short, 'utf8'),
      detail: (warning.detail ?? []).map((d) => Buffer.from(d, 'utf8')),
      ranges: (warning.ranges ?? []).map((r) => lineRangeToWire({ start: { line: r.startLine }, end: { line: r.endLine } })),
    };
    if (warning.url !== undefined) wire.url = warning.url;
    if (warning.source !== undefined) {
      const { filename, data, language } = warning.source;
      wire.info = { filename, data, ...(language !== undefined ? { language } : {}) };
    }
    await this.call('Warn', wire);
    return true;
  }

  /**
   * Ends the build with a result. Validation happens first, so a refused result can still be
   * followed by returnError().
   * @throws GoshError INTERNAL when the build already returned; GATEWAY when a needed cap is missing.
   */
  async returnResult(result: ReturnResult): Promise<void> {
    if (result.refs !== undefined && Object.keys(result.refs).length > 1) {
      this.requireCap(GATEWAY_CAPS.returnMap, 'returning several platforms');
    }
    if (result.attestations !== undefined && Object.keys(result.attestations).length > 0) {
      this.requireCap(GATEWAY_CAPS.attestations, 'attestations');
    }
    const wire: W.WireReturnRequest = { result: returnResultToWire(result) };
    const bytes = encodeMessage(LLB_BRIDGE_METHODS.Return[0], wire);
    this.claimReturn();
    await this.callEncoded('Return', bytes);
  }

  /**
   * Ends the build with an error (see status.ts errorToRpcStatus for building one).
   * @throws GoshError INTERNAL when the build already returned or the status code is OK (0).
   */
  async returnError(status: RpcStatus): Promise<void> {
    if (status.code === 0) throw new GoshError(diagnostic('INTERNAL', 'an error status needs a non-zero code'));
    const bytes = encodeMessage(LLB_BRIDGE_METHODS.Return[0], { error: rpcStatusToWire(status) } satisfies W.WireReturnRequest);
    this.claimReturn();
    await this.callEncoded('Return', bytes);
  }

  /** Whether returnResult() or returnError() has been called. */
  get hasReturned(): boolean {
    return this.returned;
  }

  close(): void {
    this.grpc.close();
  }

  private claimReturn(): void {
    if (this.returned) {
      throw new GoshError(diagnostic('INTERNAL', 'the build tried to Return twice; a frontend returns exactly one result or error'));
    }
    this.returned = true;
  }

  private solveRequestToWire(request: SolveRequest): W.WireSolveRequest {
    if (request.definition !== undefined && request.frontend !== undefined) {
      throw new GoshError(diagnostic('INTERNAL', 'solve takes a definition or a frontend, not both'));
    }
    // same flags as BuildKit's Go client: we understand the inline Result and ref arrays
    const wire: W.WireSolveRequest = { allowResultReturn: true, allowResultArrayRef: true };
    if (request.definition !== undefined) {
      this.requireLlbCaps(request.definition);
      wire.Definition = definitionToWire(request.definition);
    }
    if (request.frontend !== undefined) wire.Frontend = request.frontend;
    if (request.frontendOpt !== undefined) wire.FrontendOpt = mapSorted(request.frontendOpt, (v) => v);
    if (request.frontendInputs !== undefined) wire.FrontendInputs = mapSorted(request.frontendInputs, definitionToWire);
    if (request.cacheImports !== undefined && request.cacheImports.length > 0) {
      this.requireCap(GATEWAY_CAPS.importCaches, 'cache imports');
      wire.CacheImports = request.cacheImports.map((c) => ({ Type: c.type, Attrs: mapSorted(c.attrs, (v) => v) }));
    }
    if (request.evaluate === true) {
      this.requireCap(GATEWAY_CAPS.solveEvaluate, 'evaluating a solve');
      wire.Evaluate = true;
    }
    return wire;
  }

  /** Like BuildKit's Go client: every cap an op's metadata claims must be one the solver has. */
  private requireLlbCaps(definition: Definition): void {
    for (const md of Object.values(definition.metadata)) {
      for (const cap of Object.keys(md.caps ?? {})) {
        if (!this.hasLlbCap(cap)) {
          throw new GoshError(diagnostic('GATEWAY', `this BuildKit does not support the LLB capability ${cap}`));
        }
      }
    }
  }

  private pinged(): GatewayInfo {
    if (this.info === undefined) throw new GoshError(diagnostic('INTERNAL', 'gateway capabilities used before ping()'));
    return this.info;
  }

  private requireCap(cap: string, what: string): void {
    if (!this.hasCap(cap)) {
      throw new GoshError(diagnostic('GATEWAY', `this BuildKit does not support ${what} (gateway capability ${cap})`));
    }
  }

  private async call<Res>(method: LlbBridgeMethod, request: object, options: CallOptions = {}): Promise<Res> {
    const bytes = encodeMessage(LLB_BRIDGE_METHODS[method][0], request);
    const response = await this.callEncoded(method, bytes, options);
    return decodeMessage<Res>(LLB_BRIDGE_METHODS[method][1], response);
  }

  // Encoding and decoding happen outside grpc-js so that our own bugs surface as INTERNAL errors
  // rather than as gRPC statuses.
  private callEncoded(method: LlbBridgeMethod, request: Buffer, options: CallOptions = {}): Promise<Buffer> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      this.grpc.makeUnaryRequest(methodPath(method), passBytes, passBytes, request, new Metadata(), options, (err: ServiceError | null, value?: Buffer) => {
        const ms = Math.round(performance.now() - started);
        if (err !== null) {
          this.log.debug({ method, ms, code: err.code }, 'gateway call failed');
          reject(gatewayCallError(method, err));
          return;
        }
        this.log.debug({ method, ms }, 'gateway call');
        resolve(value ?? Buffer.alloc(0));
      });
    });
  }
}

function platformToWire(p: Platform): W.WirePlatform {
  return { OS: p.os, Architecture: p.architecture, ...(p.variant !== undefined ? { Variant: p.variant } : {}) };
}

function platformFromWire(w: W.WirePlatform): Platform {
  const variant = w.Variant ?? '';
  return { os: w.OS ?? '', architecture: w.Architecture ?? '', ...(variant !== '' ? { variant } : {}) };
}
