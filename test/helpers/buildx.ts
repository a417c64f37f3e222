// `docker buildx build` for e2e tests, with the builtin Dockerfile frontend or ours.
// Always the Debian client at /usr/bin/docker (the one with buildx; ../shared/environment.md).
import { spawn } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';

/** The docker client with the buildx plugin. */
export const DOCKER: string = process.env['GOSH_DOCKER'] ?? '/usr/bin/docker';

/** The frontend image the e2e globalSetup builds (scripts/pack-frontend.sh). */
export const GOSH_FRONTEND_IMAGE: string = process.env['GOSH_FRONTEND_IMAGE'] ?? 'gosh-frontend:dev';

/** `builtin`: the engine's own dockerfile.v0; `gosh`: BUILDKIT_SYNTAX=<GOSH_FRONTEND_IMAGE>. */
export type Frontend = 'builtin' | 'gosh';

export type BuildOutput =
  /** files of the result into a directory (ownership is not kept) */
  | { readonly type: 'local'; readonly dest: string }
  /** the result filesystem as a tar file (ownership kept) */
  | { readonly type: 'tar'; readonly dest: string }
  /** an OCI image layout: a tar file, or with `tar: false` a directory */
  | { readonly type: 'oci'; readonly dest: string; readonly tar?: boolean }
  /** into the engine's image store under a tag (`--load -t TAG`) */
  | { readonly type: 'load'; readonly tag: string }
  /** build only, keep the cache */
  | { readonly type: 'cacheonly' };

export interface BuildxOptions {
  /** default `builtin` */
  readonly frontend?: Frontend;
  /** `-f`; relative paths are relative to the context directory (default `Dockerfile`) */
  readonly dockerfile?: string;
  readonly target?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** `--build-context name=value` */
  readonly buildContexts?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  /** default `{ type: 'cacheonly' }` */
  readonly output?: BuildOutput;
  readonly platform?: string;
  readonly noCache?: boolean;
  readonly pull?: boolean;
  /** `--provenance`; undefined leaves buildx's default (mode=min, inline-only) */
  readonly provenance?: boolean | string;
  /** `--sbom` */
  readonly sbom?: boolean | string;
  /** default `plain` */
  readonly progress?: 'plain' | 'rawjson' | 'quiet';
  /** appended before the context argument */
  readonly extraArgs?: readonly string[];
  /** extra environment for the docker client */
  readonly env?: Readonly<Record<string, string>>;
  /** default 600 s; the process is killed after it */
  readonly timeoutMs?: number;
}

export interface CommandResult {
  /** the exit code; -1 when killed by the timeout or a signal */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** argv after the docker binary */
  readonly args: readonly string[];
  readonly durationMs: number;
  readonly timedOut: boolean;
}

export type BuildxResult = CommandResult;

/** The environment for docker children: /usr/bin first in PATH, no hints, plain progress. */
export function dockerEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const path = process.env['PATH'] ?? '';
  return {
    ...process.env,
    PATH: `/usr/bin:${path}`,
    DOCKER_CLI_HINTS: 'false',
    BUILDKIT_PROGRESS: 'plain',
    NO_COLOR: '1',
    ...extra,
  };
}

function attestFlag(name: string, value: boolean | string | undefined): string[] {
  if (value === undefined) return [];
  return [`--${name}=${typeof value === 'string' ? value : String(value)}`];
}

function outputArgs(output: BuildOutput): string[] {
  switch (output.type) {
    case 'local':
      return ['--output', `type=local,dest=${output.dest}`];
    case 'tar':
      return ['--output', `type=tar,dest=${output.dest}`];
    case 'oci':
      return ['--output', `type=oci,dest=${output.dest}${output.tar === false ? ',tar=false' : ''}`];
    case 'load':
      return ['--load', '--tag', output.tag];
    case 'cacheonly':
      return ['--output', 'type=cacheonly'];
  }
}

/** The argv (after `docker`) that buildx() runs; pure, for tests and error messages. */
export function buildxArgs(contextDir: string, options: BuildxOptions = {}): string[] {
  const args = ['buildx', 'build', `--progress=${options.progress ?? 'plain'}`];
  if (options.dockerfile !== undefined) {
    args.push('--file', isAbsolute(options.dockerfile) ? options.dockerfile : resolve(contextDir, options.dockerfile));
  }
  if (options.target !== undefined) args.push('--target', options.target);
  if (options.platform !== undefined) args.push('--platform', options.platform);
  if ((options.frontend ?? 'builtin') === 'gosh') {
    args.push('--build-arg', `BUILDKIT_SYNTAX=${GOSH_FRONTEND_IMAGE}`);
  }
  for (const [k, v] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  for (const [k, v] of Object.entries(options.buildContexts ?? {})) {
    args.push('--build-context', `${k}=${v}`);
  }
  for (const [k, v] of Object.entries(options.labels ?? {})) args.push('--label', `${k}=${v}`);
  if (options.noCache) args.push('--no-cache');
  if (options.pull) args.push('--pull');
  args.push(...attestFlag('provenance', options.provenance), ...attestFlag('sbom', options.sbom));
  args.push(...outputArgs(options.output ?? { type: 'cacheonly' }));
  args.push(...(options.extraArgs ?? []));
  args.push(contextDir);
  return args;
}

/** Runs `docker <args>` with no stdin and collects its output. Never throws for a non-zero exit. */
export function docker(
  args: readonly string[],
  options: { readonly env?: Readonly<Record<string, string>>; readonly timeoutMs?: number; readonly cwd?: string } = {},
): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(DOCKER, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: dockerEnv(options.env),
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 600_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${DOCKER}: ${e.message}`, { cause: e }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({
        exitCode: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        args,
        durationMs: performance.now() - started,
        timedOut,
      });
    });
  });
}

/** `docker buildx build` on a context directory. Never throws for a failed build. */
export function buildx(contextDir: string, options: BuildxOptions = {}): Promise<BuildxResult> {
  return docker(buildxArgs(contextDir, options), {
    ...(options.env !== undefined ? { env: options.env } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}

/** A readable report of a command, for assertion messages (stderr tail only). */
export function describeResult(result: CommandResult, tailLines = 40): string {
  const tail = result.stderr.trimEnd().split('\n').slice(-tailLines).join('\n');
  return [
    `$ docker ${result.args.join(' ')}`,
    `exit ${result.exitCode}${result.timedOut ? ' (timed out)' : ''} after ${Math.round(result.durationMs)} ms`,
    tail,
  ].join('\n');
}

/** Throws with describeResult() unless the command exited 0; returns it otherwise. */
export function expectSuccess<T extends CommandResult>(result: T): T {
  if (result.exitCode !== 0) throw new Error(`docker failed\n${describeResult(result)}`);
  return result;
}

/**
 * The Dockerfile lines an error points at, from buildx's plain output
 * (`Dockerfile:3`, `Dockerfile:3-5`): the first location that names the file.
 */
export function errorLocation(stderr: string, file = 'Dockerfile'): string | undefined {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?:^|[\\s/])${escaped}:(\\d+(?:-\\d+)?)`, 'm').exec(stderr);
  return match?.[1];
}

/** Removes an image tag from the engine's store; missing tags are fine. */
export async function removeImage(tag: string): Promise<void> {
  await docker(['image', 'rm', '--force', tag]);
}

/** Whether the engine's store has this image. */
export async function imageExists(ref: string): Promise<boolean> {
  return (await docker(['image', 'inspect', '--format', '{{.Id}}', ref])).exitCode === 0;
}
