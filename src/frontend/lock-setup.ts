// Which lock mode a build runs in and with what: Gosh.yaml and sbom.spdx.json as read beside the
// Dockerfile, GOSH_MODE, the SBOM name. Without Gosh.yaml, lock and GOSH_MODE a build is a plain
// Dockerfile build (BuildKit's semantics, no SBOM work) unless `--sbom` asks for an SBOM.
import { GoshError, diagnostic, type Diagnostic } from '../core/errors.js';
import type { SourceRange } from '../core/source.js';
import type { BuildOptions } from '../config/build-options.js';
import { parseGoshYaml, type GoshConfig } from '../config/gosh-yaml.js';
import type { LockMode } from '../lock/model.js';
import { MODE_BUILD_ARG, chooseLockMode } from '../lock/mode.js';
import { readSpdxLock, type SpdxLock } from '../sbom/spdx-read.js';
import type { BuildInputs, InputFile } from './inputs.js';

export { MODE_BUILD_ARG };
/** `--build-arg GOSH_SBOM_NAME=<name>`: the SBOM name when Gosh.yaml has no `tag` (the CLI passes the context directory's name) */
export const NAME_BUILD_ARG = 'GOSH_SBOM_NAME';
/** the SBOM name when nothing else gives one */
export const DEFAULT_SBOM_NAME = 'image';
/** BuildKit's attestation option buildx sets for `--sbom` (frontend/attestations/parse.go) */
export const ATTEST_SBOM = 'sbom';


/** How a build treats the lock. */
export interface LockSetup {
  readonly mode: LockMode;
  /** where the mode came from, for messages */
  readonly modeSource: 'build-arg' | 'Gosh.yaml' | 'default';
  readonly config?: GoshConfig;
  /** the committed lock, parsed and with its exact bytes */
  readonly lock?: { readonly parsed: SpdxLock; readonly input: InputFile };
  /** document and root package name */
  readonly name: string;
  /** build args Gosh.yaml gives (defaults; --build-arg wins) */
  readonly args: ReadonlyMap<string, string>;
}

/**
 * Reads Gosh.yaml and the lock and decides the mode; undefined for a plain build. A malformed
 * Gosh.yaml or lock fails every mode (a lock is generated; one that cannot be read is an error,
 * never silently replaced).
 * @throws GoshError GOSH_YAML_INVALID / SBOM_INVALID / LOCK_DUPLICATE_ENTRY (located), OPTION_INVALID
 */
export function loadLockSetup(inputs: BuildInputs, options: BuildOptions): LockSetup | undefined {
  const config = inputs.goshYaml !== undefined ? parseGoshYaml(inputs.goshYaml.file) : undefined;
  const lock = inputs.lockFile !== undefined ? { parsed: readSpdxLock(inputs.lockFile.file), input: inputs.lockFile } : undefined;
  const argMode = options.buildArgs.get(MODE_BUILD_ARG);
  if (config === undefined && lock === undefined && (argMode === undefined || argMode === '')) return undefined;
  if (config !== undefined) checkFrontendConfig(config, options);

  const { mode, source: modeSource } = chooseLockMode({
    ...(argMode !== undefined ? { buildArg: argMode } : {}),
    ...(config !== undefined ? { config: { ...(config.mode !== undefined ? { mode: config.mode } : {}), file: config.file, range: rangeUnder(config, 'mode') } } : {}),
    ...(lock !== undefined ? { lockFile: lock.input.file.name } : {}),
  });
  const name = nonEmpty(options.buildArgs.get(NAME_BUILD_ARG)) ?? config?.tag ?? lock?.parsed.recorded.name ?? DEFAULT_SBOM_NAME;
  return {
    mode,
    modeSource,
    ...(config !== undefined ? { config } : {}),
    ...(lock !== undefined ? { lock } : {}),
    name,
    args: config?.args ?? new Map(),
  };
}

/** Whether the build was asked for an SBOM attestation (`--sbom=true`). */
export function wantsSbomAttestation(options: BuildOptions): boolean {
  return options.attests.has(ATTEST_SBOM);
}

/**
 * The Gosh.yaml keys this frontend cannot honour are errors at their lines, never ignored:
 * inline Dockerfile content, a Dockerfile path other than the one being built, sub-images.
 */
function checkFrontendConfig(config: GoshConfig, options: BuildOptions): void {
  const problems: Diagnostic[] = [];
  const at = (key: string): { file: string; range: SourceRange | undefined } => ({ file: config.file, range: rangeUnder(config, key) });
  const built = options.filename.slice(options.filename.lastIndexOf('/') + 1);
  if (config.dockerfile.kind === 'inline') {
    problems.push(diagnostic('DOCKERFILE_UNSUPPORTED', 'dockerfile.content: the frontend builds the Dockerfile buildx sends; inline content is not supported here', at('dockerfile.content')));
  } else if (config.ranges.has('dockerfile.path') && config.dockerfile.path !== built && config.dockerfile.path !== options.filename) {
    // only a path written in Gosh.yaml is checked: its default must not refuse `-f other.Dockerfile`
    problems.push(diagnostic('OPTION_INVALID', `dockerfile.path: Gosh.yaml names ${config.dockerfile.path} but this build reads ${options.filename}; build with -f ${config.dockerfile.path}`, at('dockerfile.path')));
  }
  if (config.subimages.size > 0) {
    problems.push(diagnostic('DOCKERFILE_UNSUPPORTED', 'subimages: sub-images are not built by the frontend yet', at('subimages')));
  }
  if (problems.length > 0) throw new GoshError(problems);
}

/** The lines of a Gosh.yaml value, or of the first value under that key. */
export function rangeUnder(config: GoshConfig, key: string): SourceRange | undefined {
  const exact = config.ranges.get(key);
  if (exact !== undefined) return exact;
  let first: SourceRange | undefined;
  for (const [k, r] of config.ranges) {
    if ((k.startsWith(`${key}.`) || k.startsWith(`${key}[`)) && (first === undefined || r.startLine < first.startLine)) first = r;
  }
  return first;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s !== undefined && s !== '' ? s : undefined;
}
