// disallowedRegistries: Gosh.yaml policy.registries, one refusal per use from another registry.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/core/errors.js';
import { parseImageRef, withDefaultTag } from '../../../src/core/image-ref.js';
import { LINUX_AMD64 } from '../../../src/core/platform.js';
import { disallowedRegistries } from '../../../src/resolve/registry-policy.js';
import type { ImageUse } from '../../../src/resolve/resolve.js';

function use(ref: string, line: number): ImageUse {
  const parsed = parseImageRef(ref);
  if (!parsed.ok) throw new Error(ref);
  return { ref: withDefaultTag(parsed.ref), platform: LINUX_AMD64, file: 'Dockerfile', range: { startLine: line, endLine: line } };
}

describe('disallowedRegistries', () => {
  const uses = [use('busybox:1.36', 1), use('localhost:5000/tools:1@sha256:' + 'a'.repeat(64), 3), use('localhost:5000/tools:1', 4)];

  it('refuses every use from a registry not listed, at its line, naming the lock key', () => {
    expect(disallowedRegistries(uses, ['docker.io']).map(formatDiagnostic)).toEqual([
      'Dockerfile:3: image localhost:5000/tools:1: registry localhost:5000 is not allowed by policy.registries (docker.io)',
      'Dockerfile:4: image localhost:5000/tools:1: registry localhost:5000 is not allowed by policy.registries (docker.io)',
    ]);
    expect(disallowedRegistries(uses, ['docker.io', 'localhost:5000'])).toEqual([]);
    expect(disallowedRegistries(uses, []).map((d) => d.range?.startLine)).toEqual([1, 3, 4]);
  });

  it('notes where the policy is written, with its line when known', () => {
    expect(disallowedRegistries(uses.slice(0, 1), ['localhost:5000'])[0]?.notes).toBeUndefined();
    expect(disallowedRegistries(uses.slice(0, 1), ['localhost:5000'], { file: 'Gosh.yaml' })[0]?.notes).toEqual([{ message: 'policy.registries is set here', file: 'Gosh.yaml' }]);
    const at = { startLine: 3, endLine: 3 };
    expect(disallowedRegistries(uses.slice(0, 1), ['localhost:5000'], { file: 'Gosh.yaml', range: at })[0]?.notes).toEqual([{ message: 'policy.registries is set here', file: 'Gosh.yaml', range: at }]);
  });
});
