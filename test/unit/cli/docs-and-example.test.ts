// The README's worked example, the GitHub Actions example and its mock Attestor, checked against
// the CLI: flags that exist, output that is the golden, an Attestor script that works.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DESCRIPTOR_FLAGS } from '../../../src/cli/descriptor-command.js';
import { DIFF_FLAGS } from '../../../src/cli/diff-command.js';
import { HANDSHAKE_FLAGS } from '../../../src/cli/handshake.js';
import { LOCK_FLAGS } from '../../../src/cli/lock-command.js';
import { VERIFY_FLAGS } from '../../../src/cli/verify-command.js';
import { repoRoot } from '../../helpers/shared-fixture.js';
import { makeTempDir, removeTempDir } from '../../helpers/temp-dir.js';
import { gosh } from './cli-harness.js';
import { unusedPort } from './mock-attestor.js';

const readme = readFileSync(resolve(repoRoot, 'README.md'), 'utf8');
const workflowText = readFileSync(resolve(repoRoot, 'examples/github-actions/sbom-descriptor.yml'), 'utf8');
const FLAGS: Readonly<Record<string, ReadonlySet<string>>> = {
  handshake: new Set(HANDSHAKE_FLAGS.map((f) => f.name)),
  descriptor: new Set(DESCRIPTOR_FLAGS.map((f) => f.name)),
  verify: new Set(VERIFY_FLAGS.map((f) => f.name)),
  diff: new Set(DIFF_FLAGS.map((f) => f.name)),
  lock: new Set(LOCK_FLAGS.map((f) => f.name)),
};

/** Every `gosh <command> …` call in shell text (continuation lines joined) with its --flags. */
function invocations(text: string): { command: string; flags: string[] }[] {
  const joined = text.replace(/\\\n/g, ' ');
  const out: { command: string; flags: string[] }[] = [];
  for (const m of joined.matchAll(/gosh(?:\.js)? (handshake|descriptor|verify|diff|lock)\b([^\n]*)/g)) {
    out.push({ command: m[1] as string, flags: [...(m[2] as string).matchAll(/(?:^|\s)--([a-z][a-z-]*)/g)].map((f) => f[1] as string) });
  }
  return out;
}

describe('README', () => {
  const section = readme.slice(readme.indexOf('## StellaOps-compatible CLI'), readme.indexOf('## Development'));

  it('shows the golden descriptor as the worked example\'s output', () => {
    const block = /`out\/descriptor\.json`[^\n]*\n\n```json\n([\s\S]*?)```/.exec(section);
    expect(block).not.toBeNull();
    expect(block?.[1]).toBe(readFileSync(resolve(repoRoot, 'test/golden/cli/descriptor/spdx-gosh-lock-with-subject/expect.descriptor.json'), 'utf8'));
  });

  it('uses only flags the commands have', () => {
    const calls = invocations(section);
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (const c of calls) for (const f of c.flags) expect(FLAGS[c.command]?.has(f), `gosh ${c.command} --${f}`).toBe(true);
  });

  it('names every descriptor flag in its synopsis', () => {
    for (const f of FLAGS['descriptor'] ?? []) expect(section).toContain(`--${f}`);
  });
});

describe('README: The CLI', () => {
  const section = readme.slice(readme.indexOf('## The CLI'), readme.indexOf('## StellaOps-compatible CLI'));

  it('shows verify, diff and lock with only flags they have, and every flag they have', () => {
    const calls = invocations(section);
    for (const command of ['verify', 'diff', 'lock']) {
      expect(calls.some((c) => c.command === command), command).toBe(true);
      for (const f of FLAGS[command] ?? []) expect(section, `gosh ${command} --${f}`).toContain(`--${f}`);
    }
    for (const c of calls) for (const f of c.flags) expect(FLAGS[c.command]?.has(f), `gosh ${c.command} --${f}`).toBe(true);
  });
});

describe('examples/github-actions', () => {
  it('the workflow is YAML with the pipeline\'s steps, and uses only flags the commands have', () => {
    const wf = parse(workflowText) as { jobs: Record<string, { steps: { name?: string; run?: string; uses?: string }[] }> };
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('docker buildx bake');
    expect(runs).toContain('gosh.js handshake');
    expect(runs).toContain('mock-attestor.mjs');
    expect(runs).toContain("jq -S 'del(.generatedAt)'");
    expect(runs).toContain('--set app.args.GOSH_MODE=lock');
    expect(runs).toContain('gosh.js verify');
    expect(runs).toContain('$OUT/lock/sbom.descriptor.json');
    expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact@') === true)).toBe(true);
    const calls = invocations(runs);
    expect(calls.filter((c) => c.command === 'descriptor' && c.flags.includes('attestor'))).toHaveLength(2);
    for (const c of calls) for (const f of c.flags) expect(FLAGS[c.command]?.has(f), `gosh ${c.command} --${f}`).toBe(true);
  });

  describe('mock-attestor.mjs with the CLI', () => {
    let dir: string;
    let child: ChildProcess;
    let url: string;
    beforeAll(async () => {
      dir = await makeTempDir('cli-example-attestor');
      const port = await unusedPort();
      child = spawn(process.execPath, [resolve(repoRoot, 'examples/github-actions/mock-attestor.mjs'), String(port), join(dir, 'requests')], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((done, failed) => {
        child.stdout?.once('data', () => done());
        child.once('exit', (code) => failed(new Error(`mock-attestor.mjs exited with ${String(code)}`)));
      });
      url = `http://127.0.0.1:${port}/api/v1/attestations`;
    }, 60_000);
    afterAll(async () => {
      child.kill('SIGTERM');
      await removeTempDir(dir);
    });

    it('records the request and its exact body, never the token', async () => {
      const token = 'example-token-5b8e2f71c0d94a36';
      const r = await gosh(['descriptor', '--image', `localhost:5000/x@sha256:${'ab'.repeat(32)}`, '--sbom', resolve(repoRoot, 'test/fixtures/sbom-lock/example.spdx.json'), '--attestor', url], {
        env: { STELLAOPS_ATTESTOR_TOKEN: token },
      });
      expect(r.code).toBe(0);
      const files = readdirSync(join(dir, 'requests')).sort();
      expect(files).toEqual(['request-1.body.json', 'request-1.json']);
      expect(readFileSync(join(dir, 'requests', 'request-1.body.json'), 'utf8')).toBe(r.stdout);
      const record = readFileSync(join(dir, 'requests', 'request-1.json'), 'utf8');
      expect(JSON.parse(record)).toMatchObject({ method: 'POST', path: '/api/v1/attestations', contentType: 'application/json', authorization: 'Bearer <redacted>' });
      expect(record).not.toContain(token);
    });
  });
});
