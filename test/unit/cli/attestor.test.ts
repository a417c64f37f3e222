// postToAttestor in process, with a fast retry policy; the real CLI against the same mocks is in
// attestor-process.test.ts.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttestorTarget, postToAttestor, redact, shownUrl, type RetryPolicy } from '../../../src/cli/attestor.js';
import { GoshError } from '../../../src/core/errors.js';
import { makeTempDir, removeTempDir } from '../../helpers/temp-dir.js';
import { selfSignedCertificate, startMockAttestor, unusedPort, type TlsFiles } from './mock-attestor.js';

const FAST: RetryPolicy = { attempts: 3, delaysMs: [1, 2], timeoutMs: 500 };
const TOKEN = 'tok-3f9a1c55e0b7d2a8';
const BODY = '{"schema":"gosh.sbom-descriptor.v1"}\n';

async function outcome(p: Promise<unknown>): Promise<{ code?: string; message?: string; notes?: string[]; value?: unknown }> {
  try {
    return { value: await p };
  } catch (e) {
    if (!(e instanceof GoshError)) throw e;
    return { code: e.code, message: e.primary.message, notes: (e.primary.notes ?? []).map((n) => n.message) };
  }
}

const target = (url: string, token: string | undefined, insecure = false): ReturnType<typeof parseAttestorTarget> =>
  parseAttestorTarget(url, token, '--attestor-token', insecure, 'gosh descriptor');

function post(url: string, options: { token?: string | undefined; insecure?: boolean; log?: string[] } = {}): Promise<unknown> {
  const log = options.log ?? [];
  return postToAttestor(target(url, 'token' in options ? options.token : TOKEN, options.insecure ?? false), BODY, {
    who: 'gosh descriptor',
    userAgent: 'gosh-frontend/0.1.0',
    log: (l) => log.push(l),
    retry: FAST,
  });
}

describe('postToAttestor', () => {
  it('POSTs the body as JSON with the bearer token; 202 is success', async () => {
    const m = await startMockAttestor(() => ({ status: 202 }));
    try {
      expect(await post(m.url)).toEqual({ status: 202, attempts: 1 });
      expect(m.requests).toHaveLength(1);
      const [req] = m.requests;
      expect(req).toMatchObject({ method: 'POST', path: '/api/v1/attestations', body: BODY });
      expect(req?.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'user-agent': 'gosh-frontend/0.1.0', 'content-length': String(BODY.length) });
    } finally {
      await m.close();
    }
  });

  it('sends no Authorization header without a token', async () => {
    const m = await startMockAttestor(() => ({ status: 202 }));
    try {
      await post(m.url, { token: undefined });
      expect(m.requests[0]?.headers['authorization']).toBeUndefined();
    } finally {
      await m.close();
    }
  });

  it('retries 5xx and succeeds on a later 202', async () => {
    const m = await startMockAttestor((n) => (n < 3 ? { status: n === 1 ? 500 : 503 } : { status: 202 }));
    const log: string[] = [];
    try {
      expect(await post(m.url, { log })).toEqual({ status: 202, attempts: 3 });
      expect(m.requests.map((r) => r.body)).toEqual([BODY, BODY, BODY]);
      expect(log).toEqual([
        expect.stringContaining('HTTP 500 Internal Server Error; retrying in 1 ms (attempt 2 of 3)'),
        expect.stringContaining('HTTP 503 Service Unavailable; retrying in 2 ms (attempt 3 of 3)'),
      ]);
    } finally {
      await m.close();
    }
  });

  it('gives up after the last 5xx: unavailable', async () => {
    const m = await startMockAttestor(() => ({ status: 502, body: 'upstream down' }));
    try {
      const r = await outcome(post(m.url));
      expect(r.code).toBe('ATTESTOR_UNAVAILABLE');
      expect(r.message).toContain('did not accept the descriptor after 3 attempts; last: HTTP 502 Bad Gateway: upstream down');
      expect(m.requests).toHaveLength(3);
    } finally {
      await m.close();
    }
  });

  it.each([
    [401, `check the token (--attestor-token or STELLAOPS_ATTESTOR_TOKEN)`],
    [403, 'check the token'],
    [400, undefined],
    [200, 'nothing else counts'],
    [201, 'nothing else counts'],
  ])('HTTP %i is refused at once, without retry', async (status, note) => {
    const m = await startMockAttestor(() => ({ status, body: `{"error":"bad token ${TOKEN}"}` }));
    try {
      const r = await outcome(post(m.url));
      expect(r.code).toBe('ATTESTOR_REJECTED');
      expect(r.message).toContain(`refused the descriptor: HTTP ${status}`);
      expect(r.message).toContain('[redacted]');
      expect(JSON.stringify(r)).not.toContain(TOKEN);
      if (note !== undefined) expect(r.notes).toEqual([expect.stringContaining(note)]);
      expect(m.requests).toHaveLength(1);
    } finally {
      await m.close();
    }
  });

  it('nothing listening: retried, then unavailable', async () => {
    const port = await unusedPort();
    const log: string[] = [];
    const r = await outcome(post(`http://127.0.0.1:${port}/x`, { log }));
    expect(r.code).toBe('ATTESTOR_UNAVAILABLE');
    expect(r.message).toContain('ECONNREFUSED');
    expect(log).toHaveLength(2);
  });

  it('an attestor that never answers: each attempt times out', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    try {
      const { port } = silent.address() as AddressInfo;
      const started = performance.now();
      const r = await outcome(post(`http://127.0.0.1:${port}/x`));
      expect(r.code).toBe('ATTESTOR_UNAVAILABLE');
      expect(r.message).toContain('no answer within 500 ms');
      expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 500 - 50);
    } finally {
      silent.close();
    }
  });

  describe('https with a self-signed certificate', () => {
    let dir: string;
    let tls: TlsFiles;
    beforeAll(async () => {
      dir = await makeTempDir('cli-tls');
      tls = selfSignedCertificate(dir);
    }, 60_000);
    afterAll(async () => removeTempDir(dir));

    it('is refused without --attestor-insecure, not retried, with a hint', async () => {
      const m = await startMockAttestor(() => ({ status: 202 }), tls);
      try {
        const r = await outcome(post(m.url));
        expect(r.code).toBe('ATTESTOR_UNAVAILABLE');
        expect(r.message).toContain('untrusted TLS certificate');
        expect(r.notes).toEqual(['pass --attestor-insecure to accept a self-signed certificate']);
        expect(m.requests).toHaveLength(0);
      } finally {
        await m.close();
      }
    });

    it('is accepted with it', async () => {
      const m = await startMockAttestor(() => ({ status: 202 }), tls);
      try {
        expect(await post(m.url, { insecure: true })).toEqual({ status: 202, attempts: 1 });
        expect(m.requests[0]?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
      } finally {
        await m.close();
      }
    });
  });
});

describe('parseAttestorTarget and messages', () => {
  it('keeps the URI as written (it is recorded in the descriptor)', () => {
    expect(target('http://127.0.0.1:8080/api/../v1?x=1', TOKEN).uri).toBe('http://127.0.0.1:8080/api/../v1?x=1');
  });

  it('shows URLs without their query', () => {
    expect(shownUrl(new URL('https://a.example/v1/att?key=abc'))).toBe('https://a.example/v1/att');
  });

  it('redacts every occurrence of the token', () => {
    expect(redact(`a ${TOKEN} b ${TOKEN}`, TOKEN)).toBe('a [redacted] b [redacted]');
    expect(redact('x', undefined)).toBe('x');
  });

  it.each(['not a url', 'ftp://a.example/', 'https://user:pw@a.example/', 'https://a.example/#frag'])('refuses %s', (url) => {
    expect(() => target(url, TOKEN)).toThrow(GoshError);
  });
});
