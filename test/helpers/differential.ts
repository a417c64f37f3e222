// The differential test (BuildKit's frontend matrix, our way): build one case directory with the
// builtin Dockerfile frontend and with gosh, then compare what a user gets — the normalized image
// config and the file tree — and, for failing cases, the exit status and the Dockerfile line.
//
// A case is test/e2e/cases/differential/<case>/: a Dockerfile, its context files and an optional
// case.json (CaseSpec below). The Dockerfile must not carry `# syntax=`: the builtin side would
// forward to whatever it names.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { BuildxOptions, BuildxResult, Frontend } from './buildx.js';
import { buildx, describeResult, errorLocation } from './buildx.js';
import type { TreeEntry } from './fs-tree.js';
import { diffTrees, readTarTree } from './fs-tree.js';
import type { NormalizedImageConfig, OciImageConfig } from './image.js';
import { normalizeImageConfig, readOciImage, readOciLayout } from './image.js';
import { repoRoot } from './shared-fixture.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

/** Where the differential cases live. */
export const DIFFERENTIAL_CASES_DIR: string = resolve(repoRoot, 'test/e2e/cases/differential');

/** case.json; every key optional, unknown keys are an error. */
export interface CaseSpec {
  readonly description?: string;
  /** `-f`, relative to the case directory */
  readonly dockerfile?: string;
  readonly target?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** `--platform`; a comma-separated list builds a multi-platform index, compared per platform */
  readonly platform?: string;
  /** `--build-context name=value`; a value starting with `./` or `../` is a directory of the case */
  readonly buildContexts?: Readonly<Record<string, string>>;
  /**
   * `--build-context name=oci-layout://…` for a layout the rig makes first: name → a directory of
   * the case with a Dockerfile, built by the builtin frontend into an OCI layout directory
   */
  readonly ociLayoutContexts?: Readonly<Record<string, string>>;
  /** `--label k=v` */
  readonly labels?: Readonly<Record<string, string>>;
  /** `--no-cache` */
  readonly noCache?: boolean;
  /** `--pull` */
  readonly pull?: boolean;
  /** more buildx flags (`--add-host`, `--network`, `--shm-size`, `--ulimit`, …), before the context */
  readonly buildxFlags?: readonly string[];
  /** both frontends must fail; optionally each stderr must contain these strings */
  readonly expectFailure?: boolean | { readonly stderrIncludes?: readonly string[] };
  readonly compare?: {
    /** also compare history created_by text (default false: only the layer shape) */
    readonly historyText?: boolean;
    /** tree paths to leave out (with everything under them) */
    readonly ignorePaths?: readonly string[];
    /** normalized-config paths to leave out: "config.Labels", "history" */
    readonly ignoreConfig?: readonly string[];
    /** also compare the config's `created` and every history `created` (SOURCE_DATE_EPOCH cases) */
    readonly times?: boolean;
  };
}

export interface DifferentialCase {
  readonly name: string;
  readonly dir: string;
  readonly spec: CaseSpec;
}

const SPEC_KEYS = new Set([
  'description', 'dockerfile', 'target', 'buildArgs', 'platform', 'buildContexts', 'ociLayoutContexts', 'labels', 'noCache',
  'pull', 'buildxFlags', 'expectFailure', 'compare',
]);
const COMPARE_KEYS = new Set(['historyText', 'ignorePaths', 'ignoreConfig', 'times']);
const STRING_MAP_KEYS = ['buildArgs', 'buildContexts', 'ociLayoutContexts', 'labels'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Validates a parsed case.json; throws naming the file and key. */
export function parseCaseSpec(value: unknown, file: string): CaseSpec {
  const fail = (msg: string): never => {
    throw new Error(`${file}: ${msg}`);
  };
  if (!isRecord(value)) return fail('must be a JSON object');
  for (const key of Object.keys(value)) if (!SPEC_KEYS.has(key)) fail(`unknown key ${JSON.stringify(key)}`);
  for (const key of ['description', 'dockerfile', 'target', 'platform'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') fail(`${key} must be a string`);
  }
  for (const key of STRING_MAP_KEYS) {
    const map = value[key];
    if (map !== undefined && (!isRecord(map) || !Object.values(map).every((v) => typeof v === 'string'))) {
      fail(`${key} must map names to strings`);
    }
  }
  for (const key of ['noCache', 'pull'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'boolean') fail(`${key} must be a boolean`);
  }
  if (value['buildxFlags'] !== undefined && !isStringArray(value['buildxFlags'])) fail('buildxFlags must be an array of strings');
  const ef = value['expectFailure'];
  if (ef !== undefined && typeof ef !== 'boolean') {
    if (!isRecord(ef)) fail('expectFailure must be a boolean or an object');
    else {
      for (const key of Object.keys(ef)) if (key !== 'stderrIncludes') fail(`unknown key expectFailure.${key}`);
      if (ef['stderrIncludes'] !== undefined && !isStringArray(ef['stderrIncludes'])) {
        fail('expectFailure.stderrIncludes must be an array of strings');
      }
    }
  }
  const cmp = value['compare'];
  if (cmp !== undefined) {
    if (!isRecord(cmp)) fail('compare must be an object');
    else {
      for (const key of Object.keys(cmp)) if (!COMPARE_KEYS.has(key)) fail(`unknown key compare.${key}`);
      for (const key of ['historyText', 'times']) {
        if (cmp[key] !== undefined && typeof cmp[key] !== 'boolean') fail(`compare.${key} must be a boolean`);
      }
      for (const key of ['ignorePaths', 'ignoreConfig']) {
        if (cmp[key] !== undefined && !isStringArray(cmp[key])) fail(`compare.${key} must be an array of strings`);
      }
    }
  }
  return value;
}

/** Loads one case directory (its case.json is optional). */
export async function loadCase(dir: string): Promise<DifferentialCase> {
  const specFile = join(dir, 'case.json');
  let spec: CaseSpec = {};
  if (existsSync(specFile)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(specFile, 'utf8'));
    } catch (e) {
      throw new Error(`${specFile}: not valid JSON`, { cause: e });
    }
    spec = parseCaseSpec(parsed, specFile);
  }
  const dockerfile = join(dir, spec.dockerfile ?? 'Dockerfile');
  if (!existsSync(dockerfile)) throw new Error(`${dir}: no ${spec.dockerfile ?? 'Dockerfile'}`);
  // the builtin side forwards on a `# syntax=` in directive position (BuildKit's DetectSyntax:
  // leading syntax/escape directive lines only); later ones are comments and fine in a case
  const head = (await readFile(dockerfile, 'utf8')).split('\n');
  for (const line of head) {
    const name = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*\S/.exec(line)?.[1]?.toLowerCase();
    if (name === 'syntax') {
      throw new Error(`${dockerfile}: differential cases must not have a # syntax directive`);
    }
    if (name !== 'escape') break;
  }
  return { name: basename(dir), dir, spec };
}

/** Every case under a directory (default test/e2e/cases/differential), sorted by name. */
export async function listCases(root: string = DIFFERENTIAL_CASES_DIR): Promise<DifferentialCase[]> {
  if (!existsSync(root)) return [];
  const entries = await readdir(root, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(names.map((n) => loadCase(join(root, n))));
}

/** One frontend's build of a case. */
export interface SideResult {
  readonly frontend: Frontend;
  /** the OCI build (exit code and output of the case) */
  readonly build: BuildxResult;
  /** the tar build, run only when the OCI build succeeded */
  readonly treeBuild?: BuildxResult;
  /** the image's config; for a multi-platform case the first platform's */
  readonly config?: NormalizedImageConfig;
  /** a multi-platform case: every platform's config, by platform ("linux/arm64") */
  readonly platformConfigs?: Readonly<Record<string, NormalizedImageConfig>>;
  /** with compare.times: `created` of the config and of each history entry, by platform ("" for one) */
  readonly times?: Readonly<Record<string, ImageTimes>>;
  readonly tree?: readonly TreeEntry[];
  /** the `Dockerfile:<line>` a failure points at */
  readonly errorLocation?: string;
}

/**
 * The buildx options a case asks for (no frontend, no output); OCI layout contexts are made in
 * workDir first. The LLB parity test builds the cases with these too.
 */
export async function caseBuildOptions(testCase: DifferentialCase, workDir: string): Promise<BuildxOptions> {
  const { spec } = testCase;
  const buildContexts = await contextArgs(testCase, workDir);
  return {
    ...(spec.dockerfile !== undefined ? { dockerfile: spec.dockerfile } : {}),
    ...(spec.target !== undefined ? { target: spec.target } : {}),
    ...(spec.platform !== undefined ? { platform: spec.platform } : {}),
    ...(spec.buildArgs !== undefined ? { buildArgs: spec.buildArgs } : {}),
    ...(Object.keys(buildContexts).length > 0 ? { buildContexts } : {}),
    ...(spec.labels !== undefined ? { labels: spec.labels } : {}),
    ...(spec.noCache !== undefined ? { noCache: spec.noCache } : {}),
    ...(spec.pull !== undefined ? { pull: spec.pull } : {}),
    ...(spec.buildxFlags !== undefined ? { extraArgs: spec.buildxFlags } : {}),
  };
}

/**
 * Builds a case twice with one frontend — OCI layout (config) then tar (tree; cached, so cheap) —
 * into workDir. `overrides` changes the build options (used by the rig's self-test).
 */
export async function buildSide(
  testCase: DifferentialCase,
  frontend: Frontend,
  workDir: string,
  overrides: Partial<BuildxOptions> = {},
  label: string = frontend,
): Promise<SideResult> {
  const { spec } = testCase;
  const base: BuildxOptions = { ...(await caseBuildOptions(testCase, workDir)), frontend, ...overrides };
  const ociDir = join(workDir, `${label}.oci`);
  const build = await buildx(testCase.dir, { ...base, output: { type: 'oci', dest: ociDir, tar: false } });
  if (build.exitCode !== 0) {
    const location = errorLocation(build.stderr, basename(spec.dockerfile ?? 'Dockerfile'));
    return { frontend, build, ...(location !== undefined ? { errorLocation: location } : {}) };
  }
  const platforms = (spec.platform ?? '').split(',').filter((p) => p !== '');
  const images =
    platforms.length > 1
      ? (await readOciLayout(ociDir)).images
      : [await readOciImage(ociDir, spec.platform !== undefined ? { platform: spec.platform } : {})];
  const image = images[0];
  if (image === undefined) throw new Error(`${testCase.name}: ${label} built no image`);
  const platformConfigs = platforms.length > 1 ? Object.fromEntries(images.map((i) => [i.platform, normalizeImageConfig(i.config)])) : undefined;
  const times = spec.compare?.times
    ? Object.fromEntries(images.map((i) => [platforms.length > 1 ? i.platform : '', imageTimes(i.config)]))
    : undefined;
  const tarFile = join(workDir, `${label}.tar`);
  const treeBuild = await buildx(testCase.dir, { ...base, output: { type: 'tar', dest: tarFile } });
  if (treeBuild.exitCode !== 0) {
    throw new Error(`${testCase.name}: ${label} built as OCI but not as tar\n${describeResult(treeBuild)}`);
  }
  const ignore = spec.compare?.ignorePaths ?? [];
  return {
    frontend,
    build,
    treeBuild,
    config: normalizeImageConfig(image.config),
    ...(platformConfigs !== undefined ? { platformConfigs } : {}),
    ...(times !== undefined ? { times } : {}),
    tree: await readTarTree(tarFile, { ignore }),
  };
}

/** The timestamps of an image config (SOURCE_DATE_EPOCH sets them). */
export interface ImageTimes {
  readonly created: string | null;
  readonly history: readonly (string | null)[];
}

function imageTimes(config: OciImageConfig): ImageTimes {
  return { created: config.created ?? null, history: (config.history ?? []).map((h) => h.created ?? null) };
}

/** buildx flags for the case's contexts: local directories resolved, OCI layouts built first. */
async function contextArgs(testCase: DifferentialCase, workDir: string): Promise<Record<string, string>> {
  const contexts: Record<string, string> = {};
  for (const [name, value] of Object.entries(testCase.spec.buildContexts ?? {})) {
    contexts[name] = value.startsWith('./') || value.startsWith('../') ? resolve(testCase.dir, value) : value;
  }
  for (const [name, dir] of Object.entries(testCase.spec.ociLayoutContexts ?? {})) {
    const layout = join(workDir, `oci-context-${name}`);
    if (!existsSync(join(layout, 'index.json'))) {
      const made = await buildx(resolve(testCase.dir, dir), { output: { type: 'oci', dest: layout, tar: false } });
      if (made.exitCode !== 0) throw new Error(`${testCase.name}: cannot make the OCI layout for ${name}\n${describeResult(made)}`);
    }
    contexts[name] = `oci-layout://${layout}`;
  }
  return contexts;
}

export interface Difference {
  readonly area: 'exit' | 'error-location' | 'config' | 'tree';
  /** `config.Env[1]`, `history[3].created_by`, a file path, or `exit` */
  readonly path: string;
  readonly left: unknown;
  readonly right: unknown;
  /** for tree changes: which fields differ */
  readonly fields?: readonly string[];
}

export interface Comparison {
  /** differences that fail the case */
  readonly differences: readonly Difference[];
  /** differences the case chose to ignore (history text by default), shown but not failing */
  readonly ignored: readonly Difference[];
}

function diffJson(left: unknown, right: unknown, path: string, out: Difference[]): void {
  if (Array.isArray(left) && Array.isArray(right)) {
    const n = Math.max(left.length, right.length);
    for (let i = 0; i < n; i++) {
      if (i >= left.length || i >= right.length) {
        out.push({ area: 'config', path: `${path}[${i}]`, left: left[i] ?? null, right: right[i] ?? null });
      } else diffJson(left[i], right[i], `${path}[${i}]`, out);
    }
    return;
  }
  if (isRecord(left) && isRecord(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const k of keys) diffJson(left[k] ?? null, right[k] ?? null, path ? `${path}.${k}` : k, out);
    return;
  }
  if (JSON.stringify(left) !== JSON.stringify(right)) out.push({ area: 'config', path, left, right });
}

/** Compares two sides of a case under its compare options. */
export function compareSides(left: SideResult, right: SideResult, spec: CaseSpec = {}): Comparison {
  const all: Difference[] = [];
  const lOk = left.build.exitCode === 0;
  const rOk = right.build.exitCode === 0;
  if (lOk !== rOk) {
    all.push({ area: 'exit', path: 'exit', left: left.build.exitCode, right: right.build.exitCode });
  } else if (!lOk) {
    if (left.errorLocation !== right.errorLocation) {
      all.push({ area: 'error-location', path: 'Dockerfile', left: left.errorLocation ?? null, right: right.errorLocation ?? null });
    }
  } else {
    // one platform: paths like `config.Env`; several: `linux/arm64:config.Env`
    const configs = (side: SideResult): Readonly<Record<string, unknown>> => side.platformConfigs ?? { '': side.config };
    const sections = (side: SideResult): Readonly<Record<string, unknown>> =>
      Object.fromEntries(
        Object.entries(configs(side)).map(([p, c]) => [p, { ...(c as object), ...(spec.compare?.times === true && side.times?.[p] !== undefined ? { times: side.times[p] } : {}) }]),
      );
    const l = sections(left);
    const r = sections(right);
    for (const p of [...new Set([...Object.keys(l), ...Object.keys(r)])].sort()) {
      const found: Difference[] = [];
      diffJson(l[p] ?? null, r[p] ?? null, '', found);
      all.push(...found.map((d) => (p === '' ? d : { ...d, path: `${p}:${d.path}` })));
    }
    for (const d of diffTrees(left.tree ?? [], right.tree ?? [])) {
      all.push({
        area: 'tree',
        path: d.path,
        left: d.kind === 'only-right' ? null : d.left,
        right: d.kind === 'only-left' ? null : d.right,
        ...(d.kind === 'changed' ? { fields: d.fields } : {}),
      });
    }
  }
  const ignoreConfig = spec.compare?.ignoreConfig ?? [];
  const historyText = spec.compare?.historyText ?? false;
  const isIgnored = (d: Difference): boolean => {
    if (d.area !== 'config') return false;
    const path = d.path.replace(/^[^:]*:/, '');
    if (!historyText && /^history\[\d+\]\.created_by$/.test(path)) return true;
    return ignoreConfig.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
  };
  return { differences: all.filter((d) => !isIgnored(d)), ignored: all.filter(isIgnored) };
}

export interface DifferentialResult extends Comparison {
  readonly testCase: DifferentialCase;
  readonly left: SideResult;
  readonly right: SideResult;
  /** expectation failures (a side that should have failed, a missing stderr string, …) */
  readonly problems: readonly string[];
  /** no differences and no problems */
  readonly ok: boolean;
}

function expectationProblems(side: SideResult, label: string, spec: CaseSpec): string[] {
  const problems: string[] = [];
  const ef = spec.expectFailure;
  const failed = side.build.exitCode !== 0;
  if (ef === undefined || ef === false) {
    if (failed) problems.push(`${label}: build failed\n${describeResult(side.build)}`);
    return problems;
  }
  if (!failed) {
    problems.push(`${label}: expected the build to fail, it exited 0`);
    return problems;
  }
  if (typeof ef === 'object') {
    for (const s of ef.stderrIncludes ?? []) {
      if (!side.build.stderr.includes(s)) problems.push(`${label}: stderr lacks ${JSON.stringify(s)}\n${describeResult(side.build)}`);
    }
  }
  return problems;
}

/**
 * Builds a case (a directory or a loaded case) with two frontends — default builtin vs gosh —
 * and compares them. Outputs go to a temp dir, removed afterwards unless GOSH_E2E_KEEP=1.
 */
export async function runDifferential(
  caseOrDir: string | DifferentialCase,
  options: { readonly frontends?: readonly [Frontend, Frontend] } = {},
): Promise<DifferentialResult> {
  const testCase = typeof caseOrDir === 'string' ? await loadCase(caseOrDir) : caseOrDir;
  const [lf, rf] = options.frontends ?? ['builtin', 'gosh'];
  const workDir = await makeTempDir(`diff-${testCase.name}`);
  try {
    const left = await buildSide(testCase, lf, workDir, {}, `left-${lf}`);
    const right = await buildSide(testCase, rf, workDir, {}, `right-${rf}`);
    const comparison = compareSides(left, right, testCase.spec);
    const problems = [
      ...expectationProblems(left, `left (${lf})`, testCase.spec),
      ...expectationProblems(right, `right (${rf})`, testCase.spec),
    ];
    return {
      testCase,
      left,
      right,
      ...comparison,
      problems,
      ok: comparison.differences.length === 0 && problems.length === 0,
    };
  } finally {
    await removeTempDir(workDir);
  }
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '(absent)';
  if (isRecord(v) && typeof v['path'] === 'string' && typeof v['type'] === 'string') {
    const e = v as unknown as TreeEntry;
    return [e.type, e.mode, `${e.uid}:${e.gid}`, e.size !== undefined ? `size=${e.size}` : '', e.sha256?.slice(0, 12) ?? '', e.target !== undefined ? `-> ${e.target}` : '']
      .filter(Boolean)
      .join(' ');
  }
  return JSON.stringify(v);
}

/** A report for assertion messages: one line per difference, then the problems. */
export function formatDifferential(result: DifferentialResult): string {
  const l = result.left.frontend;
  const r = result.right.frontend;
  const lines = [`case ${result.testCase.name}: ${result.ok ? 'same' : 'DIFFERENT'} (left ${l}, right ${r})`];
  const line = (d: Difference): string =>
    `  ${d.area} ${d.path}${d.fields ? ` [${d.fields.join(',')}]` : ''}: ${l}=${show(d.left)}  ${r}=${show(d.right)}`;
  lines.push(...result.differences.map(line));
  if (result.ignored.length > 0) {
    lines.push(`  ignored (${result.ignored.length}):`, ...result.ignored.map((d) => `  ${line(d)}`));
  }
  lines.push(...result.problems.map((p) => `  problem: ${p}`));
  return lines.join('\n');
}
