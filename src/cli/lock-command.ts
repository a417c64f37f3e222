// `gosh lock [CONTEXT]`: writes the lock the way the frontend computes it. It runs the lock-mode
// build through `docker buildx build` (our frontend through BUILDKIT_SYNTAX, GOSH_MODE=lock, a
// local output in a temporary directory), checks that the build returned exactly the three lock
// files and that the lock reads back, and only then replaces them in the context: each staged
// beside its target and renamed over it, so a reader sees the old file or the new one, and a
// failure anywhere before the renames leaves the context as it was.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { GoshError, fail } from '../core/errors.js';
import { GOSH_YAML_FILE, parseGoshYaml, type GoshConfig } from '../config/gosh-yaml.js';
import { LOCK_FILE_NAME, type Lock } from '../lock/model.js';
import { readSpdxLock } from '../sbom/spdx-read.js';
import { parseArgs, repeatFlag, stringFlag, type FlagSpec, type ParsedArgs } from './args.js';
import type { CommandContext } from './command-context.js';
import { diffLocks, formatLockDiff } from './lock-diff.js';
import { LOCK_USAGE } from './usage.js';

const WHO = 'gosh lock';

/** The files a lock-mode build returns, and nothing else (the frontend's lock-mode contract). */
export const LOCK_OUTPUT_FILES = [LOCK_FILE_NAME, 'sbom.cdx.json', 'sbom.descriptor.json'] as const;

export const FRONTEND_IMAGE_ENV = 'GOSH_FRONTEND_IMAGE';
export const DEFAULT_FRONTEND_IMAGE = 'gosh-frontend:dev';
// the build args gosh lock sets itself (frontend/dockerui's BUILDKIT_SYNTAX; our GOSH_MODE), and
// the SBOM name the frontend takes when Gosh.yaml has no `tag` (frontend/lock-setup.ts)
const SYNTAX_ARG = 'BUILDKIT_SYNTAX';
const MODE_ARG = 'GOSH_MODE';
const NAME_ARG = 'GOSH_SBOM_NAME';

export const LOCK_FLAGS: readonly FlagSpec[] = [
  { name: 'frontend', kind: 'string' },
  { name: 'file', kind: 'string', short: 'f' },
  { name: 'target', kind: 'string' },
  { name: 'build-arg', kind: 'repeat' },
  { name: 'platform', kind: 'string' },
];

/**
 * The SBOM name gosh passes: the context directory's name (sbom-lock.md §8), unless Gosh.yaml
 * names the image (`tag`) or the caller gave GOSH_SBOM_NAME.
 */
function sbomNameArg(contextDir: string, config: GoshConfig | undefined, given: ReadonlySet<string>): string | undefined {
  if (given.has(NAME_ARG) || config?.tag !== undefined) return undefined;
  return basename(contextDir);
}

function readGoshYaml(contextDir: string): GoshConfig | undefined {
  const yaml = join(contextDir, GOSH_YAML_FILE);
  return existsSync(yaml) ? parseGoshYaml({ name: GOSH_YAML_FILE, text: readFileSync(yaml, 'utf8') }) : undefined;
}

/**
 * The `docker` argv of the lock-mode build, writing into `dest`. Without -f, the Dockerfile
 * Gosh.yaml names is the one built (the frontend requires -f to match it).
 * @throws GoshError CLI_USAGE for a bad --build-arg, GOSH_YAML_INVALID for a bad Gosh.yaml
 */
export function lockBuildArgv(args: ParsedArgs, contextDir: string, frontend: string, dest: string): string[] {
  const config = readGoshYaml(contextDir);
  const argv = ['buildx', 'build', '--build-arg', `${SYNTAX_ARG}=${frontend}`, '--build-arg', `${MODE_ARG}=lock`];
  const given = new Set<string>();
  for (const kv of repeatFlag(args, 'build-arg')) {
    const eq = kv.indexOf('=');
    if (eq <= 0) fail('CLI_USAGE', `${WHO}: --build-arg wants KEY=VALUE, got ${JSON.stringify(kv)}`);
    const key = kv.slice(0, eq);
    if (key === SYNTAX_ARG || key === MODE_ARG) fail('CLI_USAGE', `${WHO}: --build-arg ${key} is set by gosh lock (use --frontend IMAGE to choose the frontend)`);
    given.add(key);
    argv.push('--build-arg', kv);
  }
  const name = sbomNameArg(contextDir, config, given);
  if (name !== undefined) argv.push('--build-arg', `${NAME_ARG}=${name}`);
  const file = stringFlag(args, 'file') ?? (config?.dockerfile.kind === 'path' && config.dockerfile.path !== 'Dockerfile' ? config.dockerfile.path : undefined);
  // -f is relative to the context, as in `gosh llb` and `gosh verify`; docker wants it from the cwd
  if (file !== undefined) argv.push('--file', resolve(contextDir, file));
  const target = stringFlag(args, 'target');
  if (target !== undefined) argv.push('--target', target);
  const platform = stringFlag(args, 'platform');
  if (platform !== undefined) argv.push('--platform', platform);
  argv.push('--output', `type=local,dest=${dest}`, contextDir);
  return argv;
}

/** Runs docker, its stdout and stderr going to our stderr (stdout is the command's result). */
function runDocker(argv: readonly string[], ctx: CommandContext): Promise<number> {
  return new Promise((done, failed) => {
    const child = spawn('docker', argv, { env: { ...ctx.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (d: string) => ctx.stderr(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => ctx.stderr(d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') failed(new GoshError({ code: 'GATEWAY', message: `${WHO}: docker is not on PATH (gosh lock builds through docker buildx)` }, { cause: e }));
      else failed(e);
    });
    child.on('close', (code, signal) => done(code ?? (signal !== null ? 128 : 1)));
  });
}

/** The build's output must be exactly the three files, and its lock must read back. */
function checkOutput(dest: string, frontend: string): void {
  const found = readdirSync(dest).sort();
  const wanted = [...LOCK_OUTPUT_FILES].sort();
  if (found.length !== wanted.length || found.some((f, i) => f !== wanted[i] || !statSync(join(dest, f)).isFile())) {
    fail(
      'GATEWAY',
      `${WHO}: the lock-mode build returned ${found.length === 0 ? 'no files' : found.join(', ')}, expected exactly ${wanted.join(', ')}; nothing was replaced`,
      {},
      [{ message: `is ${frontend} a gosh frontend with lock mode? (--frontend IMAGE, or ${FRONTEND_IMAGE_ENV})` }],
    );
  }
  for (const name of LOCK_OUTPUT_FILES) {
    const text = readFileSync(join(dest, name), 'utf8');
    if (name === LOCK_FILE_NAME) {
      readSpdxLock({ name: `${name} (as built)`, text });
      continue;
    }
    try {
      JSON.parse(text);
    } catch (cause) {
      fail('GATEWAY', `${WHO}: the lock-mode build returned a ${name} that is not JSON; nothing was replaced`, {}, undefined, cause);
    }
  }
}

/** The lock now in the context, when it reads; a broken one is what gosh lock repairs. */
function previousLock(contextDir: string): Lock | undefined {
  const path = join(contextDir, LOCK_FILE_NAME);
  if (!existsSync(path)) return undefined;
  try {
    return readSpdxLock({ name: LOCK_FILE_NAME, text: readFileSync(path, 'utf8') }).lock;
  } catch {
    return undefined;
  }
}

/**
 * Stages each changed file next to its target, then renames them all; returns each file's
 * status. A staging failure removes what was staged and replaces nothing.
 */
function replaceFiles(dest: string, contextDir: string): Map<string, 'created' | 'updated' | 'unchanged'> {
  const status = new Map<string, 'created' | 'updated' | 'unchanged'>();
  const staged: { temp: string; target: string }[] = [];
  try {
    for (const name of LOCK_OUTPUT_FILES) {
      const target = join(contextDir, name);
      const bytes = readFileSync(join(dest, name));
      const old = existsSync(target) ? readFileSync(target) : undefined;
      if (old !== undefined && old.equals(bytes)) {
        status.set(name, 'unchanged');
        continue;
      }
      status.set(name, old === undefined ? 'created' : 'updated');
      const temp = join(contextDir, `.${name}.gosh-lock-${process.pid}.tmp`);
      copyFileSync(join(dest, name), temp);
      staged.push({ temp, target });
    }
  } catch (cause) {
    // only what this run staged: a failed copy may have hit something that is not ours
    for (const s of staged) rmSync(s.temp, { force: true });
    const why = cause instanceof Error ? cause.message : String(cause);
    return fail('CAS_WRITE', `${WHO}: cannot write into ${contextDir}: ${why}; nothing was replaced`, {}, undefined, cause);
  }
  staged.forEach((s, i) => {
    try {
      renameSync(s.temp, s.target);
    } catch (cause) {
      for (const rest of staged.slice(i)) rmSync(rest.temp, { force: true });
      fail('CAS_WRITE', `${WHO}: cannot replace ${s.target}: ${cause instanceof Error ? cause.message : String(cause)}`, {}, undefined, cause);
    }
  });
  return status;
}

/**
 * @throws GoshError CLI_USAGE (flags), GATEWAY (docker missing, the build failed or returned
 *   something else than the lock files), SBOM_INVALID (the built lock does not read back),
 *   CAS_WRITE (the context is not writable)
 */
export async function runLockCommand(argv: readonly string[], ctx: CommandContext): Promise<string> {
  const args = parseArgs(argv, LOCK_FLAGS, WHO);
  if (args.positional.length > 1) fail('CLI_USAGE', `${WHO}: one context directory at most (usage: ${LOCK_USAGE})`);
  const contextDir = resolve(args.positional[0] ?? '.');
  if (!existsSync(contextDir) || !statSync(contextDir).isDirectory()) fail('CLI_USAGE', `${WHO}: context directory ${args.positional[0] ?? '.'} does not exist`);
  const fromEnv = ctx.env[FRONTEND_IMAGE_ENV];
  const frontend = stringFlag(args, 'frontend') ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_FRONTEND_IMAGE);
  if (frontend.trim() === '') fail('CLI_USAGE', `${WHO}: --frontend needs an image reference`);

  const dest = mkdtempSync(join(tmpdir(), 'gosh-lock-'));
  try {
    const dockerArgv = lockBuildArgv(args, contextDir, frontend, dest);
    ctx.stderr(`${WHO}: docker ${dockerArgv.join(' ')}\n`);
    const code = await runDocker(dockerArgv, ctx);
    if (code !== 0) fail('GATEWAY', `${WHO}: docker buildx build failed (exit ${code}); nothing was replaced`);
    checkOutput(dest, frontend);
    const before = previousLock(contextDir);
    const status = replaceFiles(dest, contextDir);
    const lines = [...status].map(([name, s]) => `${name}: ${s}`);
    const after = readSpdxLock({ name: LOCK_FILE_NAME, text: readFileSync(join(contextDir, LOCK_FILE_NAME), 'utf8') }).lock;
    const diff = before !== undefined ? formatLockDiff(diffLocks(before, after)) : '';
    return `${lines.join('\n')}\n${diff}`;
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}
