// vitest globalSetup of the e2e project: a real engine must be there, then the frontend image is
// built once for the whole run.
//
// - The engine (docker + buildx, the daemon, the local base images) comes from
//   scripts/provision.sh. If it is missing the e2e run FAILS — under CI=true and locally alike;
//   e2e tests are never skipped for lack of an engine.
// - gosh-frontend:dev is built by scripts/pack-frontend.sh (bundle from src/ + docker buildx bake).
//   GOSH_E2E_SKIP_IMAGE_BUILD=1 reuses the image in the store (fast local iteration; .ci/run sets it
//   right after building the image itself).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DOCKER, GOSH_FRONTEND_IMAGE } from '../helpers/buildx.js';
import { repoRoot } from '../helpers/shared-fixture.js';

const BASE_IMAGES = ['busybox:local', 'gosh-test/node:20'];

function log(message: string): void {
  process.stderr.write(`[e2e setup] ${message}\n`);
}

function run(cmd: string, args: readonly string[], timeoutMs = 60_000): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  return { ok: r.status === 0, out: out.trim() };
}

function tail(text: string, lines = 60): string {
  return text.split('\n').slice(-lines).join('\n');
}

function fail(message: string): never {
  throw new Error(
    `[e2e setup] ${message}\n` +
      'The e2e tests need the engine from scripts/provision.sh (Docker 26 + buildx 0.13 at /usr/bin/docker, ' +
      'dockerd with the containerd image store, busybox:local and gosh-test/node:20).',
  );
}

export function setup(): void {
  // children (docker, buildx, the pack script) must find the Debian client with buildx first
  process.env['PATH'] = `/usr/bin:${process.env['PATH'] ?? ''}`;
  const ci = process.env['CI'] === 'true' || process.env['CI'] === '1';

  const buildxVersion = run(DOCKER, ['buildx', 'version']);
  if (!buildxVersion.ok) fail(`docker buildx is not available (${DOCKER} buildx version):\n${buildxVersion.out}`);
  const info = run(DOCKER, ['info', '--format', '{{.ServerVersion}} {{json .DriverStatus}}']);
  if (!info.ok) fail(`no docker engine answers (${DOCKER} info):\n${tail(info.out, 20)}`);
  if (!info.out.includes('containerd.snapshotter')) {
    fail(`dockerd runs without the containerd image store: ${info.out}`);
  }
  const missing = BASE_IMAGES.filter((image) => !run(DOCKER, ['image', 'inspect', '--format', '{{.Id}}', image]).ok);
  if (missing.length > 0) fail(`base images missing from the engine: ${missing.join(', ')}`);
  log(`engine ${info.out.split(' ')[0] ?? '?'}, ${buildxVersion.out}${ci ? ' (CI)' : ''}`);

  if (process.env['GOSH_E2E_SKIP_IMAGE_BUILD'] === '1') {
    const image = run(DOCKER, ['image', 'inspect', '--format', '{{.Id}}', GOSH_FRONTEND_IMAGE]);
    if (image.ok) {
      log(`GOSH_E2E_SKIP_IMAGE_BUILD=1: using ${GOSH_FRONTEND_IMAGE} ${image.out.slice(0, 19)} as it is`);
    } else if (ci) {
      fail(`GOSH_E2E_SKIP_IMAGE_BUILD=1 but ${GOSH_FRONTEND_IMAGE} is not in the store`);
    } else {
      log(`GOSH_E2E_SKIP_IMAGE_BUILD=1 and no ${GOSH_FRONTEND_IMAGE}: tests using gosh will fail`);
    }
    return;
  }

  const started = performance.now();
  const script = resolve(repoRoot, 'scripts/pack-frontend.sh');
  log(`building ${GOSH_FRONTEND_IMAGE} (scripts/pack-frontend.sh)`);
  const pack = run('bash', [script], 15 * 60_000);
  if (!pack.ok) fail(`building ${GOSH_FRONTEND_IMAGE} failed:\n${tail(pack.out)}`);
  const summary = pack.out.split('\n').filter((l) => l.startsWith('[pack-frontend] image'));
  log(`${summary.join(' ') || 'image built'} in ${Math.round(performance.now() - started)} ms`);
}
