// The real `gosh descriptor` process (bin/gosh.ts) against mock Attestors on 127.0.0.1: what it
// sends, what it retries, its exit codes, and that the token appears in no output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedFixture } from '../../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../../helpers/temp-dir.js';
import { goshProcess as runBuilt, layOutPackage, type CliRun } from './cli-harness.js';
import { selfSignedCertificate, startMockAttestor, unusedPort, type TlsFiles } from './mock-attestor.js';

const TOKEN = 'gosh-test-token-7c1e0f9b2d4a6e83';
const IMAGE = `registry.example/team/app@sha256:${'ab'.repeat(32)}`;
const SBOM = sharedFixture('fixtures/sbom/spdx/syft-1.4.1_ubi9-ubi-micro.image.spdx.json');
const SDE = { SOURCE_DATE_EPOCH: '1700000000' };

const descriptor = (url: string, ...extra: string[]): string[] => ['descriptor', '--image', IMAGE, '--sbom', SBOM, '--attestor', url, ...extra];

function expectNoToken(r: CliRun): void {
  expect(r.stdout).not.toContain(TOKEN);
  expect(r.stderr).not.toContain(TOKEN);
}

let pkg: string;
let bin: string;
beforeAll(async () => {
  pkg = await makeTempDir('cli-package');
  bin = layOutPackage(pkg);
}, 120_000);
afterAll(async () => removeTempDir(pkg));

const goshProcess = (argv: readonly string[], env: Readonly<Record<string, string>>): ReturnType<typeof runBuilt> => runBuilt(bin, argv, env);

describe('gosh descriptor --attestor, as a process', { timeout: 60_000 }, () => {
  it('records the request: path, bearer header, body = the descriptor printed; exit 0 on 202', async () => {
    const m = await startMockAttestor(() => ({ status: 202, body: '{"accepted":true}' }));
    try {
      const r = await goshProcess(descriptor(m.url, '--attestor-token', TOKEN), SDE);
      expect(r.stderr).toBe('gosh descriptor: the attestor accepted the descriptor (HTTP 202, attempt 1)\n');
      expect(r.code).toBe(0);
      expect(m.requests).toHaveLength(1);
      const req = m.requests[0]!;
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/api/v1/attestations');
      expect(req.headers['authorization']).toBe(`Bearer ${TOKEN}`);
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.body).toBe(r.stdout);
      const sent = JSON.parse(req.body);
      expect(sent.provenance.attestorUri).toBe(m.url);
      expect(sent.provenance.status).toBe('pending');
      expect(r.stdout).not.toContain(TOKEN);
    } finally {
      await m.close();
    }
  });

  it('takes the token from STELLAOPS_ATTESTOR_TOKEN; the flag wins over it', async () => {
    const m = await startMockAttestor(() => ({ status: 202 }));
    try {
      const fromEnv = await goshProcess(descriptor(m.url), { ...SDE, STELLAOPS_ATTESTOR_TOKEN: TOKEN });
      const fromFlag = await goshProcess(descriptor(m.url, '--attestor-token', 'flag-token'), { ...SDE, STELLAOPS_ATTESTOR_TOKEN: TOKEN });
      expect([fromEnv.code, fromFlag.code]).toEqual([0, 0]);
      expect(m.requests.map((q) => q.headers['authorization'])).toEqual([`Bearer ${TOKEN}`, 'Bearer flag-token']);
      expectNoToken(fromEnv);
      expectNoToken(fromFlag);
    } finally {
      await m.close();
    }
  });

  it('500 then 202: retried, exit 0, the same body twice', async () => {
    const m = await startMockAttestor((n) => ({ status: n === 1 ? 500 : 202 }));
    try {
      const r = await goshProcess(descriptor(m.url, '--attestor-token', TOKEN), SDE);
      expect(r.code).toBe(0);
      expect(m.requests).toHaveLength(2);
      expect(m.requests[1]?.body).toBe(m.requests[0]?.body);
      expect(r.stderr).toContain('HTTP 500 Internal Server Error; retrying in 250 ms (attempt 2 of 4)');
      expect(r.stderr).toContain('accepted the descriptor (HTTP 202, attempt 2)');
      expectNoToken(r);
    } finally {
      await m.close();
    }
  });

  it('401: a clear error at once, exit 3, nothing on stdout, the token nowhere (not even echoed back)', async () => {
    const m = await startMockAttestor(() => ({ status: 401, body: `{"error":"invalid token ${TOKEN}"}` }));
    try {
      const r = await goshProcess(descriptor(m.url, '--attestor-token', TOKEN), SDE);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`gosh descriptor: the attestor at ${m.url} refused the descriptor: HTTP 401 Unauthorized: {"error":"invalid token [redacted]"}`);
      expect(r.stderr).toContain('note: check the token');
      expect(m.requests).toHaveLength(1);
      expectNoToken(r);
    } finally {
      await m.close();
    }
  });

  it('nothing listening: exit 4 within seconds, nothing on stdout', async () => {
    const port = await unusedPort();
    const r = await goshProcess(descriptor(`http://127.0.0.1:${port}/api`, '--attestor-token', TOKEN), SDE);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('did not accept the descriptor after 4 attempts; last: connect ECONNREFUSED');
    expect(r.ms).toBeLessThan(15_000);
    expectNoToken(r);
  });

  describe('https with a self-signed certificate', () => {
    let dir: string;
    let tls: TlsFiles;
    beforeAll(async () => {
      dir = await makeTempDir('cli-tls-process');
      tls = selfSignedCertificate(dir);
    }, 60_000);
    afterAll(async () => removeTempDir(dir));

    it('refused without --attestor-insecure (exit 4), accepted with it (exit 0)', async () => {
      const m = await startMockAttestor(() => ({ status: 202 }), tls);
      try {
        const refused = await goshProcess(descriptor(m.url, '--attestor-token', TOKEN), SDE);
        expect(refused.code).toBe(4);
        expect(refused.stdout).toBe('');
        expect(refused.stderr).toContain('untrusted TLS certificate');
        expect(refused.stderr).toContain('note: pass --attestor-insecure to accept a self-signed certificate');
        expect(m.requests).toHaveLength(0);
        const accepted = await goshProcess(descriptor(m.url, '--attestor-token', TOKEN, '--attestor-insecure'), SDE);
        expect(accepted.code).toBe(0);
        expect(m.requests).toHaveLength(1);
        expect(m.requests[0]?.body).toBe(accepted.stdout);
        expectNoToken(refused);
        expectNoToken(accepted);
      } finally {
        await m.close();
      }
    });
  });
});
