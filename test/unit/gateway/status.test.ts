import { describe, expect, it } from 'vitest';
import { diagnostic, GoshError } from '../../../src/core/errors.js';
import { lineRange } from '../../../src/core/source.js';
import { GatewayCallError } from '../../../src/gateway/call-error.js';
import { decodeRpcStatus, encodeRpcStatus, type RpcStatus } from '../../../src/gateway/rpc-status.js';
import { errorToRpcStatus, sourceDetail, unsupportedSubrequestStatus } from '../../../src/gateway/status.js';
import { fieldsNumbered, readFields, text } from '../../fake-gateway/wire-fields.js';

const dockerfileText = 'FROM busybox\nRUN --mount=type=cahce true\nRUN true\n';
const dockerfile = new TextEncoder().encode(dockerfileText);
const files = new Map([['Dockerfile', dockerfile]]);
const decoder = new TextDecoder();

describe('errorToRpcStatus', () => {
  it('a located Dockerfile error: code UNKNOWN, our text, and an errdefs.Source detail', () => {
    const error = new GoshError(diagnostic('DOCKERFILE_INVALID_FLAG', 'RUN: unknown mount type cahce', { file: 'Dockerfile', range: lineRange(2, 3) }));
    const status = errorToRpcStatus(error, files);
    expect(status.code).toBe(2);
    expect(status.message).toBe('Dockerfile:2: RUN: unknown mount type cahce');
    expect(status.details).toHaveLength(1);
    expect(status.details[0]!.typeUrl).toBe('github.com/moby/buildkit/errdefs.Source+json');
    expect(decoder.decode(status.details[0]!.value)).toBe(
      `{"info":{"filename":"Dockerfile","data":"${Buffer.from(dockerfileText).toString('base64')}","language":"Dockerfile"},` +
        '"ranges":[{"start":{"line":2},"end":{"line":3}}]}',
    );
  });

  it('encodes to google.rpc.Status bytes with the fields BuildKit reads', () => {
    const error = new GoshError(diagnostic('DOCKERFILE_SYNTAX', 'bad', { file: 'Dockerfile', range: lineRange(1) }));
    const status = errorToRpcStatus(error, files);
    const raw = encodeRpcStatus(status);
    expect(readFields(raw).map((f) => f.field)).toEqual([1, 2, 3]);
    expect(fieldsNumbered(raw, 1)[0]!.value).toBe(2n);
    expect(text(fieldsNumbered(raw, 2)[0]!.value)).toBe('Dockerfile:1: bad');
    const any = fieldsNumbered(raw, 3)[0]!.value as Uint8Array;
    expect(text(fieldsNumbered(any, 1)[0]!.value)).toBe('github.com/moby/buildkit/errdefs.Source+json');
    expect(Buffer.from(fieldsNumbered(any, 2)[0]!.value as Uint8Array)).toEqual(Buffer.from(status.details[0]!.value));
    expect(decodeRpcStatus(raw)).toEqual(status);
  });

  it('one detail per located diagnostic whose file is known; no language for other files', () => {
    const lock = new TextEncoder().encode('{\n  "packages": []\n}\n');
    const error = new GoshError([
      diagnostic('DOCKERFILE_UNKNOWN_FLAG', 'COPY: unknown flag --chmodd', { file: 'Dockerfile', range: lineRange(3) }),
      diagnostic('SBOM_INVALID', 'packages: empty', { file: 'sbom.spdx.json', range: lineRange(2) }),
      diagnostic('GOSH_YAML_INVALID', 'not read', { file: 'Gosh.yaml', range: lineRange(1) }),
      diagnostic('OPTION_INVALID', 'no file'),
    ]);
    const status = errorToRpcStatus(error, new Map([...files, ['sbom.spdx.json', lock]]));
    expect(status.details.map((d) => JSON.parse(decoder.decode(d.value)))).toEqual([
      { info: { filename: 'Dockerfile', data: Buffer.from(dockerfile).toString('base64'), language: 'Dockerfile' }, ranges: [{ start: { line: 3 }, end: { line: 3 } }] },
      { info: { filename: 'sbom.spdx.json', data: Buffer.from(lock).toString('base64') }, ranges: [{ start: { line: 2 }, end: { line: 2 } }] },
    ]);
  });

  it('names the Dockerfile when it is not called "Dockerfile"', () => {
    const error = new GoshError(diagnostic('DOCKERFILE_SYNTAX', 'bad', { file: 'build/app.df', range: lineRange(1) }));
    const status = errorToRpcStatus(error, new Map([['build/app.df', dockerfile]]), { dockerfile: 'build/app.df' });
    expect(JSON.parse(decoder.decode(status.details[0]!.value)).info.language).toBe('Dockerfile');
  });

  it('forwards an upstream status unchanged: message and detail bytes', () => {
    const upstream: RpcStatus = {
      code: 2,
      message: 'process "/bin/sh -c false" did not complete successfully: exit code: 1',
      details: [
        { typeUrl: 'github.com/moby/buildkit/stack.Stack+json', value: Uint8Array.of(0x7b, 0x7d) },
        { typeUrl: 'github.com/moby/buildkit/errdefs.Source+json', value: new TextEncoder().encode('{"info":{"filename":"Dockerfile"},"ranges":[{"start":{"line":2},"end":{"line":2}}]}') },
      ],
    };
    const status = errorToRpcStatus(new GatewayCallError('Solve', upstream), files);
    expect(status).toEqual({ code: 2, message: upstream.message, details: upstream.details });
  });

  it('keeps upstream details when our error wraps a gateway failure', () => {
    const upstream: RpcStatus = { code: 2, message: 'exit code: 1', details: [{ typeUrl: 'github.com/moby/buildkit/errdefs.Vertex+json', value: Uint8Array.of(1, 2) }] };
    const wrapped = new GoshError(diagnostic('IMAGE_RESOLVE', 'cannot build the sub-image'), { cause: new GatewayCallError('Solve', upstream) });
    expect(errorToRpcStatus(wrapped, files)).toEqual({ code: 2, message: 'cannot build the sub-image', details: upstream.details });
  });

  it('INTERNAL errors and foreign exceptions say they are a bug in gosh-frontend', () => {
    const internal = errorToRpcStatus(new GoshError(diagnostic('INTERNAL', 'unexpected op kind', { file: 'Dockerfile', range: lineRange(1) })), files);
    expect(internal.code).toBe(2);
    expect(internal.message).toMatch(/bug in gosh-frontend.*unexpected op kind/);
    expect(internal.details).toEqual([]);
    expect(errorToRpcStatus(new TypeError('x is undefined'), files).message).toMatch(/bug in gosh-frontend.*x is undefined/);
    expect(errorToRpcStatus('thrown string', files).message).toMatch(/bug in gosh-frontend.*thrown string/);
  });
});

describe('unsupportedSubrequestStatus', () => {
  it('carries an errdefs.Subrequest detail naming the request', () => {
    const status = unsupportedSubrequestStatus('frontend.lint');
    expect(status.code).toBe(2);
    expect(status.message).toBe('unsupported request frontend.lint');
    expect(status.details.map((d) => [d.typeUrl, decoder.decode(d.value)])).toEqual([
      ['github.com/moby/buildkit/errdefs.Subrequest+json', '{"name":"frontend.lint"}'],
    ]);
  });
});

describe('sourceDetail', () => {
  it('escapes like Go encoding/json and omits empty fields', () => {
    const detail = sourceDetail('a<b>&c', new Uint8Array(), [{ startLine: 0, endLine: 4 }]);
    expect(decoder.decode(detail.value)).toBe('{"info":{"filename":"a\\u003cb\\u003e\\u0026c"},"ranges":[{"start":{},"end":{"line":4}}]}');
  });
});
