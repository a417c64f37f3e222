import { createHash } from 'node:crypto';

/** "sha256:<64 lowercase hex>" */
export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function sha256Digest(data: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function isDigest(value: string): value is Digest {
  return DIGEST_RE.test(value);
}

/** Returns the digest, or undefined when `value` is not "sha256:<64 lowercase hex>". */
export function parseDigest(value: string): Digest | undefined {
  return isDigest(value) ? value : undefined;
}
