import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/digest.js';
import { createSbomDescriptor, descriptorNonce, expectedDsseSha256, inTotoStatement, renderSbomDescriptor } from '../../../src/sbom/descriptor.js';
import { dssePae } from '../../../src/sbom/dsse.js';
import { jcs } from '../../../src/sbom/jcs.js';
import { diagnosticsOf, exampleDescriptorPath, exampleLockText } from './lock-example.js';

const subject = { mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${'ab'.repeat(32)}` as const, size: 1609 };
const namespace = 'https://spdx.org/spdxdocs/gosh-example-app-c009e36e-70d0-50f0-84d0-66115d0e3e07';
const input = {
  sbom: exampleLockText,
  format: 'spdx-json' as const,
  title: 'sbom.spdx.json',
  created: '1970-01-01T00:00:00Z',
  documentNamespace: namespace,
  imageName: 'gosh-example/app',
  generator: { name: 'gosh-frontend', version: '0.1.0' },
};

describe('createSbomDescriptor', () => {
  it('reproduces the sbom-lock.md §11 example byte for byte', () => {
    expect(renderSbomDescriptor(createSbomDescriptor({ ...input, subject }))).toBe(readFileSync(exampleDescriptorPath, 'utf8'));
  });

  it('without a subject: no subject key, the same nonce, another DSSE hash', () => {
    const withSubject = createSbomDescriptor({ ...input, subject });
    const without = createSbomDescriptor(input);
    expect('subject' in without).toBe(false);
    expect(without.provenance.nonce).toBe(withSubject.provenance.nonce);
    expect(without.provenance.expectedDsseSha256).not.toBe(withSubject.provenance.expectedDsseSha256);
    expect(without.provenance.expectedDsseSha256).toBe('7a9cddfe7b0d65a4c0e8eb30022359eb3cbfc7a80f2a1132249117797e058db4');
  });

  it('describes the exact bytes it was given', () => {
    const d = createSbomDescriptor(input);
    expect(d.artifact.digest).toBe(`sha256:${sha256Hex(exampleLockText)}`);
    expect(d.artifact.size).toBe(Buffer.byteLength(exampleLockText));
    expect(createSbomDescriptor({ ...input, sbom: Buffer.from(exampleLockText) })).toEqual(d);
  });

  it('the DSSE hash is what an attestor signing the statement produces', () => {
    const statement = inTotoStatement(JSON.parse(exampleLockText), 'https://spdx.dev/Document', 'gosh-example/app', subject);
    const payload = Buffer.from(jcs(statement)).toString('base64');
    // an envelope as an attestor would write it: the hash covers PAE(payloadType, b64decode(payload))
    const envelope = { payloadType: 'application/vnd.in-toto+json', payload, signatures: [{ keyid: 'k', sig: 'varies' }] };
    const fromEnvelope = sha256Hex(dssePae(envelope.payloadType, Buffer.from(envelope.payload, 'base64')));
    expect(expectedDsseSha256(statement)).toBe(fromEnvelope);
    expect(createSbomDescriptor({ ...input, subject }).provenance.expectedDsseSha256).toBe(fromEnvelope);
  });

  it('records the attestor only when given, and CycloneDX media and predicate types', () => {
    const d = createSbomDescriptor({ ...input, format: 'cyclonedx-json', title: 'sbom.cdx.json', attestorUri: 'https://attestor.example/api' });
    expect(d.artifact.mediaType).toBe('application/vnd.cyclonedx+json');
    expect(d.artifact.artifactType).toBe('application/vnd.cyclonedx+json');
    expect(d.artifact.annotations['dev.gosh.sbom.spec-version']).toBe('CycloneDX-1.6');
    expect(d.provenance.predicateType).toBe('https://cyclonedx.org/bom');
    expect(d.provenance.attestorUri).toBe('https://attestor.example/api');
    expect('attestorUri' in createSbomDescriptor(input).provenance).toBe(false);
  });

  it('refuses bytes that are not JSON and a malformed time', () => {
    expect(diagnosticsOf(() => createSbomDescriptor({ ...input, sbom: 'not json' })).map((d) => d.code)).toEqual(['INTERNAL']);
    expect(diagnosticsOf(() => createSbomDescriptor({ ...input, created: 'now' })).map((d) => d.code)).toEqual(['INTERNAL']);
  });
});

describe('descriptorNonce', () => {
  it('is the first 32 hex of sha256 over NUL-separated fields', () => {
    const digest = `sha256:${sha256Hex(exampleLockText)}` as const;
    expect(descriptorNonce('gosh-example/app', digest, 'application/spdx+json', namespace)).toBe('d3ac32de0774e498db916a9bb9a41c12');
    expect(descriptorNonce('gosh-example/app2', digest, 'application/spdx+json', namespace)).not.toBe('d3ac32de0774e498db916a9bb9a41c12');
  });
});

describe('dssePae', () => {
  it('follows the DSSE protocol example', () => {
    // secure-systems-lab/dsse protocol.md: PAE("http://example.com/HelloWorld", "hello world")
    expect(Buffer.from(dssePae('http://example.com/HelloWorld', Buffer.from('hello world'))).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters', () => {
    expect(Buffer.from(dssePae('t', Buffer.from('é'))).toString()).toBe('DSSEv1 1 t 2 é');
  });
});
