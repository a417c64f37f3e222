import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { Root, Type } from 'protobufjs';

// Sources live in src/gateway/, compiled code in dist/gateway/: both two levels below the repo
// root, next to which proto/ is shipped (never resolved from the working directory).
const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));

/** gateway.proto pulls in every other file we need (ops, status, caps, worker, stat). */
const ENTRY_FILE = 'moby/buildkit/frontend/gateway/pb/gateway.proto';

let cachedRoot: Root | undefined;
const typeCache = new Map<string, Type>();

/**
 * The protobufjs Root for gateway.proto and its imports, parsed once on first use (≈20 ms).
 * Field names are kept as written in the .proto files (`keepCase`), so the wire shapes in
 * wire-types.ts use BuildKit's own spelling.
 */
export function gatewayProtoRoot(): Root {
  if (cachedRoot !== undefined) return cachedRoot;
  const root = new protobuf.Root();
  // imports are relative to proto/; google/protobuf/* is bundled with protobufjs and never
  // reaches this hook
  root.resolvePath = (_origin: string, target: string): string => path.join(PROTO_DIR, target);
  root.loadSync(ENTRY_FILE, { keepCase: true });
  root.resolveAll();
  cachedRoot = root;
  return root;
}

/** A message type by its full name, e.g. "moby.buildkit.v1.frontend.SolveRequest". */
export function messageType(fullName: string): Type {
  let type = typeCache.get(fullName);
  if (type === undefined) {
    type = gatewayProtoRoot().lookupType(fullName);
    typeCache.set(fullName, type);
  }
  return type;
}
