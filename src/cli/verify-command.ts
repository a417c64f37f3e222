// `gosh verify [CONTEXT]`: what a prod build would refuse, found offline and all at once. The
// lock must be a consistent gosh lock (sbom/spdx-read.ts: V1, V2, V4, V7); the planned build's
// every image use must be pinned with the digest written inline, if any (resolve/ with the
// lock-only resolver: V3, V5); nothing the lock pins may be unused (lock/verify.ts: V8); each
// Cargo.lock named in Gosh.yaml must be the one the lock was made from (V6, by its sha256); and
// the SBOM the build would write must be the lock, byte for byte (V10), as prod requires.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../core/digest.js';
import { GoshError, diagnostic, fail, sortDiagnostics, type Diagnostic } from '../core/errors.js';
import { LINUX_AMD64, type Platform } from '../core/platform.js';
import type { SourceFile } from '../core/source.js';
import { parseBuildOptions, type BuildOptions } from '../config/build-options.js';
import { GOSH_YAML_FILE, parseGoshYaml, preparedManifests, type GoshConfig } from '../config/gosh-yaml.js';
import type { Dockerfile } from '../dockerfile/instructions.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { buildImageUses, lockImageUse, resolveUseOf } from '../compile/image-uses.js';
import { imageLockKey } from '../lock/image-key.js';
import { LOCK_FILE_NAME, ROOT, type BuildFacts, type ImageUse as LockImageUse, type Lock, type ManifestUse } from '../lock/model.js';
import { originWhere } from '../lock/create.js';
import { demandOf, findStaleEntries } from '../lock/verify.js';
import { disallowedRegistries } from '../resolve/registry-policy.js';
import { resolveImageUses, type ImageUse } from '../resolve/resolve.js';
import { requireSameLock, type CommittedLock } from '../sbom/lock-compare.js';
import { readSpdxLock, type SpdxLock } from '../sbom/spdx-read.js';
import { writeSpdxLock } from '../sbom/spdx-write.js';
import { parseArgs, repeatFlag, stringFlag, type FlagSpec } from './args.js';
import type { CommandContext } from './command-context.js';
import { readLocalContext } from './context-dir.js';
import { lockResolver } from './lock-resolver.js';
import { VERIFY_USAGE } from './usage.js';

const WHO = 'gosh verify';

export const VERIFY_FLAGS: readonly FlagSpec[] = [
  { name: 'file', kind: 'string', short: 'f' },
  { name: 'target', kind: 'string' },
  { name: 'build-arg', kind: 'repeat' },
  { name: 'platform', kind: 'string' },
];

/** What `gosh verify` checks: a context and the build options that change the plan. */
export interface VerifyRequest {
  readonly contextDir: string;
  /** -f, relative to the context; else Gosh.yaml `dockerfile`, else Dockerfile */
  readonly dockerfile?: string;
  readonly target?: string;
  readonly platform?: string;
  /** --build-arg, over Gosh.yaml `args` */
  readonly buildArgs?: ReadonlyMap<string, string>;
}

export interface VerifySummary {
  readonly lockFile: string;
  readonly imageUses: number;
  readonly images: number;
  readonly packages: number;
  readonly manifests: number;
}

function readText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

function readGoshYaml(root: string): GoshConfig | undefined {
  const text = readText(join(root, GOSH_YAML_FILE));
  return text === undefined ? undefined : parseGoshYaml({ name: GOSH_YAML_FILE, text });
}

function readLock(root: string, contextDir: string): SpdxLock & { readonly committed: CommittedLock } {
  const path = join(root, LOCK_FILE_NAME);
  if (!existsSync(path)) fail('SBOM_INVALID', `${WHO}: no ${LOCK_FILE_NAME} in ${contextDir}; run gosh lock to write it`);
  const bytes = readFileSync(path);
  const file = { name: LOCK_FILE_NAME, text: bytes.toString('utf8') };
  return { ...readSpdxLock(file), committed: { file, bytes } };
}

/**
 * V10: a prod build writes the SBOM of what it builds and requires it to be the committed lock
 * byte for byte (same pins, same usage tree, same name and namespace, canonical form).
 * @throws GoshError LOCK_STALE_ENTRY at the first differing JSON path, as a prod build does
 */
function checkRendered(committed: CommittedLock, lock: Lock, facts: BuildFacts, config: GoshConfig | undefined): void {
  const expected = writeSpdxLock(lock, facts, { mode: 'prod', ...(config !== undefined ? { namespaceBase: config.sbom.namespace } : {}) });
  requireSameLock(committed, expected.text, expected.document);
}

/** The Dockerfile: -f, else Gosh.yaml's path or inline content, else ./Dockerfile. */
function readDockerfile(root: string, request: VerifyRequest, config: GoshConfig | undefined): SourceFile {
  if (request.dockerfile === undefined && config?.dockerfile.kind === 'inline') {
    return { name: `${GOSH_YAML_FILE} dockerfile.content`, text: config.dockerfile.content };
  }
  const path = request.dockerfile ?? (config?.dockerfile.kind === 'path' ? config.dockerfile.path : 'Dockerfile');
  return readLocalContext(root, path).dockerfile;
}

/** Gosh.yaml parts gosh verify cannot check yet are refused, never skipped. */
function refuseUnsupported(config: GoshConfig | undefined): void {
  if (config === undefined || config.subimages.size === 0) return;
  const first = [...config.ranges.entries()].find(([path]) => path.startsWith('subimages.'));
  fail('DOCKERFILE_UNSUPPORTED', `${WHO}: sub-images (Gosh.yaml subimages) are not supported yet`, { file: config.file, range: first?.[1] });
}

/** Images from registries Gosh.yaml `policy.registries` does not allow. */
function checkRegistries(uses: readonly ImageUse[], config: GoshConfig | undefined): Diagnostic[] {
  const allowed = config?.policy.registries;
  if (config === undefined || allowed === undefined) return [];
  const listed = config.ranges.get('policy.registries[0]');
  return disallowedRegistries(uses, allowed, { file: config.file, ...(listed !== undefined ? { range: listed } : {}) });
}

/** Each Cargo.lock / package-lock.json Gosh.yaml names must be in the lock with the sha256 of the file in the context. */
function checkManifests(root: string, lock: Lock, config: GoshConfig | undefined): { uses: ManifestUse[]; problems: Diagnostic[] } {
  const uses: ManifestUse[] = [];
  const problems: Diagnostic[] = [];
  preparedManifests(config).forEach(({ spec: manifest, key }) => {
    const at = { file: GOSH_YAML_FILE, range: config?.ranges.get(key) };
    uses.push({ consumer: ROOT, path: manifest.lockfile });
    const entry = lock.manifests.get(manifest.lockfile);
    const path = join(root, manifest.lockfile);
    if (!existsSync(path) || !statSync(path).isFile()) {
      problems.push(diagnostic('LOCK_ENTRY_MISSING', `${manifest.lockfile} does not exist in the context`, at));
    } else if (entry === undefined) {
      problems.push(diagnostic('LOCK_ENTRY_MISSING', `manifest ${manifest.lockfile} is not in ${lock.file}; run gosh lock`, at));
    } else {
      const actual = sha256Hex(readFileSync(path));
      if (actual !== entry.sha256) {
        problems.push(diagnostic('LOCK_STALE_ENTRY', `${manifest.lockfile} changed since ${lock.file} was written (sha256 ${actual}, locked ${entry.sha256}); run gosh lock`, originWhere(entry.origin, lock.file)));
      }
    }
  });
  return { uses, problems };
}

interface PlannedImageUses {
  /** in Dockerfile order: what resolve/ pins, one per line that names an image */
  readonly uses: readonly ImageUse[];
  /** the same uses as the lock's usage tree records them */
  readonly facts: readonly LockImageUse[];
}

/**
 * The image uses of every target platform (`--platform a,b` compiles once per platform, and
 * `FROM --platform=$TARGETPLATFORM` or an ARG in FROM can name other images on each), each
 * Dockerfile line and image once.
 */
function plannedUses(dockerfile: Dockerfile, options: BuildOptions): PlannedImageUses {
  const targets: readonly (Platform | undefined)[] = options.platforms.length > 0 ? options.platforms : [undefined];
  const seen = new Set<string>();
  const uses: ImageUse[] = [];
  const facts: LockImageUse[] = [];
  for (const target of targets) {
    // build order is Dockerfile order: file stages in order, each FROM before its instructions
    const found = buildImageUses({ dockerfile, options, buildPlatform: LINUX_AMD64, targetPlatform: target });
    for (const line of found.uses) {
      const use = resolveUseOf(line.image, found.file, line.range);
      const lockKey = imageLockKey(use.ref);
      const key = `${line.range.startLine} ${lockKey} ${use.ref.digest ?? ''} ${line.role} ${line.stage}`;
      if (seen.has(key)) continue;
      seen.add(key);
      uses.push(use);
      facts.push(lockImageUse(lockKey, line.role, line.stage));
    }
  }
  return { uses, facts };
}

/**
 * Checks the lock of `request.contextDir` against its Dockerfile and Gosh.yaml, offline.
 * @throws GoshError with every problem found (SBOM_INVALID, LOCK_* codes, Dockerfile and
 *   Gosh.yaml errors), each located in the file that has to change
 */
export async function verifyContext(request: VerifyRequest): Promise<VerifySummary> {
  const root = resolve(request.contextDir);
  if (!existsSync(root) || !statSync(root).isDirectory()) fail('CLI_USAGE', `${WHO}: context directory ${request.contextDir} does not exist`);
  const config = readGoshYaml(root);
  refuseUnsupported(config);
  const dockerfileSource = readDockerfile(root, request, config);
  const { committed, lock, recorded } = readLock(root, request.contextDir);

  const opts = new Map<string, string>();
  if (request.target !== undefined) opts.set('target', request.target);
  if (request.platform !== undefined) opts.set('platform', request.platform);
  for (const [k, v] of [...(config?.args ?? []), ...(request.buildArgs ?? [])]) opts.set(`build-arg:${k}`, v);
  const options = parseBuildOptions(opts);
  const dockerfile = parseDockerfile(dockerfileSource);
  const planned = plannedUses(dockerfile, options);

  const problems: Diagnostic[] = [...checkRegistries(planned.uses, config)];
  try {
    await resolveImageUses(planned.uses, lock, 'prod', lockResolver(lock));
  } catch (e) {
    if (!(e instanceof GoshError)) throw e;
    problems.push(...e.diagnostics);
  }
  const manifests = checkManifests(root, lock, config);
  problems.push(...manifests.problems);
  // packages come from the manifests; their bytes are checked unchanged above, so the lock's own
  // usage tree says which packages the named manifests bring in
  const facts: BuildFacts = {
    name: recorded.name,
    images: planned.facts,
    packages: manifests.uses.length > 0 ? recorded.packages.filter((p) => p.consumer.kind === 'root') : [],
    manifests: manifests.uses,
  };
  const demand = demandOf(facts, lock);
  problems.push(...findStaleEntries(lock, demand));
  if (problems.length > 0) throw new GoshError(sortDiagnostics(problems));
  checkRendered(committed, lock, { ...facts, name: config?.tag ?? recorded.name }, config);
  return { lockFile: lock.file, imageUses: planned.uses.length, images: demand.images.size, packages: demand.packages.size, manifests: demand.manifests.size };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** @throws GoshError CLI_USAGE for flags, and what verifyContext throws */
export async function runVerifyCommand(argv: readonly string[], _ctx: CommandContext): Promise<string> {
  const args = parseArgs(argv, VERIFY_FLAGS, WHO);
  if (args.positional.length > 1) fail('CLI_USAGE', `${WHO}: one context directory at most (usage: ${VERIFY_USAGE})`);
  const buildArgs = new Map<string, string>();
  for (const kv of repeatFlag(args, 'build-arg')) {
    const eq = kv.indexOf('=');
    if (eq <= 0) fail('CLI_USAGE', `${WHO}: --build-arg wants KEY=VALUE, got ${JSON.stringify(kv)}`);
    buildArgs.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  const file = stringFlag(args, 'file');
  const target = stringFlag(args, 'target');
  const platform = stringFlag(args, 'platform');
  const s = await verifyContext({
    contextDir: args.positional[0] ?? '.',
    buildArgs,
    ...(file !== undefined ? { dockerfile: file } : {}),
    ...(target !== undefined ? { target } : {}),
    ...(platform !== undefined ? { platform } : {}),
  });
  return `${s.lockFile}: ok: ${plural(s.imageUses, 'image use')} pinned by ${plural(s.images, 'image')}, ${plural(s.packages, 'package')}, ${plural(s.manifests, 'manifest')}; nothing stale\n`;
}
