/** The LLBBridge service as BuildKit serves it (frontend/gateway/pb/gateway.proto@v0.13.2). */
export const LLB_BRIDGE_SERVICE = 'moby.buildkit.v1.frontend.LLBBridge';

const GATEWAY_PKG = 'moby.buildkit.v1.frontend';

/** Full proto message names for each unary RPC we call: [request, response]. */
export const LLB_BRIDGE_METHODS = {
  Ping: [`${GATEWAY_PKG}.PingRequest`, `${GATEWAY_PKG}.PongResponse`],
  Solve: [`${GATEWAY_PKG}.SolveRequest`, `${GATEWAY_PKG}.SolveResponse`],
  ReadFile: [`${GATEWAY_PKG}.ReadFileRequest`, `${GATEWAY_PKG}.ReadFileResponse`],
  ReadDir: [`${GATEWAY_PKG}.ReadDirRequest`, `${GATEWAY_PKG}.ReadDirResponse`],
  StatFile: [`${GATEWAY_PKG}.StatFileRequest`, `${GATEWAY_PKG}.StatFileResponse`],
  Evaluate: [`${GATEWAY_PKG}.EvaluateRequest`, `${GATEWAY_PKG}.EvaluateResponse`],
  ResolveImageConfig: [`${GATEWAY_PKG}.ResolveImageConfigRequest`, `${GATEWAY_PKG}.ResolveImageConfigResponse`],
  Inputs: [`${GATEWAY_PKG}.InputsRequest`, `${GATEWAY_PKG}.InputsResponse`],
  Warn: [`${GATEWAY_PKG}.WarnRequest`, `${GATEWAY_PKG}.WarnResponse`],
  Return: [`${GATEWAY_PKG}.ReturnRequest`, `${GATEWAY_PKG}.ReturnResponse`],
} as const satisfies Record<string, readonly [string, string]>;

export type LlbBridgeMethod = keyof typeof LLB_BRIDGE_METHODS;

/** "/moby.buildkit.v1.frontend.LLBBridge/Solve" */
export function methodPath(method: LlbBridgeMethod): string {
  return `/${LLB_BRIDGE_SERVICE}/${method}`;
}

export const STATUS_TYPE = 'google.rpc.Status';

/**
 * Gateway capabilities we check (frontend/gateway/pb/caps.go@v0.13.2). Ping lists them in
 * PongResponse.FrontendAPICaps; a method that needs one refuses to run without it.
 */
export const GATEWAY_CAPS = {
  readFile: 'readfile',
  readDir: 'readdir',
  statFile: 'statfile',
  resolveImage: 'resolveimage',
  resolveImageMode: 'resolveimage.resolvemode',
  returnMap: 'returnmap',
  importCaches: 'importcaches',
  frontendInputs: 'frontend.inputs',
  solveEvaluate: 'gateway.solve.evaluate',
  evaluate: 'gateway.evaluate',
  warnings: 'gateway.warnings',
  attestations: 'reference.attestations',
} as const;
