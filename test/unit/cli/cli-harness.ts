// Running the gosh CLI from tests: in process (runCli with a pinned environment and clock) or as
// a real child process (bin/gosh.ts through the TypeScript loader), capturing stdout, stderr and
// the exit code.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { runCli } from '../../../src/cli/main.js';
import { repoRoot } from '../../helpers/shared-fixture.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface InProcessOptions {
  /** the whole environment the command sees (nothing leaks in from the test's own) */
  readonly env?: Readonly<Record<string, string>>;
  readonly now?: Date;
}

export const FIXED_NOW = new Date('2030-05-06T07:08:09.123Z');

export async function gosh(argv: readonly string[], options: InProcessOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const now = options.now ?? FIXED_NOW;
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: options.env ?? {},
    now: () => new Date(now.getTime()),
  });
  return { code, stdout, stderr };
}

/**
 * Lays out the package as it ships, under `dir`: every src/ module transpiled to dist/ (types
 * dropped, as tsc -p tsconfig.build.json emits them), manifest/ beside it, node_modules linked.
 * Child processes then start as fast as the built CLI does (the TypeScript loader would cost
 * seconds per process), and the shipped manifest is found relative to dist/ as in a release.
 * Returns the path of dist/bin/gosh.js.
 */
export function layOutPackage(dir: string): string {
  const src = resolve(repoRoot, 'src');
  const walk = (d: string): string[] => readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : [join(d, e)]));
  for (const file of walk(src).filter((f) => f.endsWith('.ts'))) {
    const out = join(dir, 'dist', relative(src, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    writeFileSync(out, outputText);
  }
  cpSync(resolve(repoRoot, 'manifest'), join(dir, 'manifest'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  symlinkSync(resolve(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return join(dir, 'dist', 'bin', 'gosh.js');
}

/** The test's environment without anything that would change what gosh does. */
function baseEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('STELLAOPS_') || k === 'SOURCE_DATE_EPOCH' || k.startsWith('NODE_')) continue;
    out[k] = v;
  }
  return out;
}

/**
 * Runs `node bin argv` (bin: from layOutPackage) in a child process; resolves when it exits,
 * never rejects on a non-zero code.
 */
export function goshProcess(bin: string, argv: readonly string[], env: Readonly<Record<string, string>> = {}, cwd: string = repoRoot): Promise<CliRun & { readonly ms: number }> {
  const started = performance.now();
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [bin, ...argv], { cwd, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', failed);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr, ms: performance.now() - started }));
  });
}
