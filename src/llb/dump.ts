import { canonicalJson } from '../core/canonical.js';
import { sha256Digest } from '../core/digest.js';
import type { Definition } from './definition.js';
import { decodeOp } from './wire.js';

/**
 * Definition → readable JSON shaped like `buildctl debug dump-llb`: one entry per op in
 * marshal order with its digest, decoded op (enum names, bytes as base64) and metadata,
 * then the head (the op the terminal op points at). Keys sorted, 2-space indent.
 */
export function dumpDefinition(def: Definition): string {
  return `${canonicalJson(definitionToJson(def), 2)}\n`;
}

/** The same as a plain object, for embedding in a larger JSON document. */
export function definitionToJson(def: Definition): { head: string | null; ops: unknown[] } {
  const ops = def.def.map((bytes) => {
    const digest = sha256Digest(bytes);
    const op = toPlain(decodeOp(bytes, { enumNames: true }));
    const metadata = def.metadata[digest];
    const locations = def.source?.locations[digest];
    return {
      digest,
      op,
      ...(metadata !== undefined ? { metadata } : {}),
      ...(locations !== undefined ? { sourceLocations: locations.map((l) => ({ file: def.source?.infos[l.sourceIndex]?.filename, ranges: l.ranges })) } : {}),
    };
  });
  const terminal = ops[ops.length - 1];
  const inputs = (terminal?.op as { inputs?: { digest: string }[] } | undefined)?.inputs;
  return { head: inputs?.[0]?.digest ?? null, ops };
}

function toPlain(value: unknown): unknown {
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}
