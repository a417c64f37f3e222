// The frontend image itself (Dockerfile.frontend via scripts/pack-frontend.sh): the gateway labels,
// the entrypoint, and a runtime that loads every production dependency and nothing else.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOSH_FRONTEND_IMAGE, describeResult, docker, expectSuccess } from '../helpers/buildx.js';
import { repoRoot } from '../helpers/shared-fixture.js';

interface InspectedConfig {
  Entrypoint: string[] | null;
  Cmd: string[] | null;
  Labels: Record<string, string> | null;
  Env: string[] | null;
}

async function inspectConfig(): Promise<InspectedConfig> {
  const r = await docker(['image', 'inspect', '--format', '{{json .Config}}', GOSH_FRONTEND_IMAGE]);
  if (r.exitCode !== 0) {
    throw new Error(`${GOSH_FRONTEND_IMAGE} is not in the engine's store (scripts/pack-frontend.sh builds it)\n${describeResult(r)}`);
  }
  return JSON.parse(r.stdout) as InspectedConfig;
}

describe(`frontend image ${GOSH_FRONTEND_IMAGE}`, () => {
  it('carries the gateway labels and runs dist/bin/frontend.js with node', async () => {
    const config = await inspectConfig();
    expect(config.Labels).toEqual({
      'moby.buildkit.frontend.network.none': 'true',
      'moby.buildkit.frontend.caps':
        'moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts',
    });
    expect(config.Entrypoint).toEqual(['/usr/bin/node', '/app/dist/bin/frontend.js']);
    expect(config.Cmd).toBeNull();
  });

  it('loads every production dependency and holds no dev-only package', async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    // `dev: true` in the lock = needed by devDependencies only; `devOptional` packages (a dev
    // dependency that is also an optional peer of a production one, like ajv for cyclonedx) stay
    const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages)
      .filter(([path, meta]) => path.startsWith('node_modules/') && meta.dev === true)
      .map(([path]) => path);
    expect(devOnly.length).toBeGreaterThan(0);
    const script = `
      import { existsSync, readFileSync } from 'node:fs';
      for (const d of ${JSON.stringify(Object.keys(pkg.dependencies))}) await import(d);
      const devPresent = ${JSON.stringify(devOnly)}.filter((p) => existsSync('/app/' + p));
      const type = JSON.parse(readFileSync('/app/package.json', 'utf8')).type;
      console.log(JSON.stringify({ node: process.versions.node, type, devPresent,
        proto: existsSync('/app/proto'), entry: existsSync('/app/dist/bin/frontend.js') }));
    `;
    const r = expectSuccess(
      await docker([
        'run', '--rm', '--network=none', '--workdir=/app', '--entrypoint=/usr/bin/node', GOSH_FRONTEND_IMAGE,
        '--input-type=module', '-e', script,
      ]),
    );
    const report = JSON.parse(r.stdout.trim()) as { node: string; type: string; devPresent: string[]; proto: boolean; entry: boolean };
    expect(report.node.split('.')[0]).toBe('20');
    expect(report).toMatchObject({ type: 'module', devPresent: [], proto: true, entry: true });
  });
});
