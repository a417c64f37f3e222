import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sha256Digest } from '../../../src/core/digest.js';
import { decodeOp, encodeOp } from '../../../src/llb/wire.js';

const ROOT = fileURLToPath(new URL('../../fixtures/builtin-llb/', import.meta.url));

interface Capture {
  readonly ops: readonly { readonly digest: string; readonly base64: string }[];
}

describe('LLB captured from BuildKit’s Dockerfile frontend', () => {
  const cases = readdirSync(ROOT);
  it('has captures', () => expect(cases.length).toBeGreaterThan(0));
  for (const name of cases) {
    const capture = JSON.parse(readFileSync(`${ROOT}${name}/builtin-llb.json`, 'utf8')) as Capture;
    it(`${name}: decodes and re-encodes every op byte for byte`, () => {
      expect(capture.ops.length).toBeGreaterThan(3);
      for (const op of capture.ops) {
        const bytes = Buffer.from(op.base64, 'base64');
        expect(sha256Digest(bytes)).toBe(op.digest);
        const again = Buffer.from(encodeOp(decodeOp(bytes)));
        expect(again.toString('hex')).toBe(bytes.toString('hex'));
      }
    });
    it(`${name}: covers exec, file, merge and source ops`, () => {
      const kinds = new Set(capture.ops.map((op) => Object.keys(decodeOp(Buffer.from(op.base64, 'base64'))).filter((k) => ['exec', 'file', 'merge', 'source'].includes(k))).flat());
      expect([...kinds].sort()).toEqual(['exec', 'file', 'merge', 'source']);
    });
  }
});
