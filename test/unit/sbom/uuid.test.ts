import { describe, expect, it } from 'vitest';
import { UUID_NAMESPACE_URL, uuidV5 } from '../../../src/sbom/uuid.js';

describe('uuidV5', () => {
  it('matches the RFC 4122 / Python uuid5 vectors', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(uuidV5(UUID_NAMESPACE_URL, 'http://python.org/')).toBe('4c565f0d-3f5a-5890-b41b-20cf47701c5e');
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('nope', 'x')).toThrow(TypeError);
  });
});
