// The generator manifest (manifest/README.md): who we are to StellaOps-style CI tooling. The
// package ships one next to dist/; `--manifest DIR` names another. Name and version in every
// output come from the manifest that was loaded, never from a constant.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GoshError, fail, sortDiagnostics } from '../core/errors.js';
import { JsonIssues, arrayOf, checkShape, objectOf, oneOf, INTEGER, STRING } from '../sbom/json-check.js';
import { isJsonObject, parseJsonText, type JsonObject } from '../core/json-text.js';

export const GENERATOR_MANIFEST_FILE = 'gosh.sbom-generator.manifest.json';
export const GENERATOR_MANIFEST_SCHEMA = 'gosh.sbom-generator-manifest.v1';
/** The CAS layout this gosh writes (cas.ts). */
export const CAS_LAYOUT_VERSION = 1;

export const GENERATOR_COMMANDS = ['descriptor', 'handshake'] as const;
export const SBOM_FORMATS = ['cyclonedx-json', 'spdx-json'] as const;
export const SBOM_KINDS = ['inventory', 'usage'] as const;

export type GeneratorCommand = (typeof GENERATOR_COMMANDS)[number];
export type SbomKind = (typeof SBOM_KINDS)[number];

/**
 * The shipped manifest's directory: `<package>/manifest`, found from this module, which is
 * `src/cli/` when run from source and `dist/cli/` when built (both two levels below the root).
 */
export const SHIPPED_MANIFEST_DIR: string = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'manifest');

export interface GeneratorManifest {
  /** where it was read from, as shown in messages */
  readonly file: string;
  readonly name: string;
  readonly version: string;
  readonly commands: readonly GeneratorCommand[];
  readonly sbomFormats: readonly (typeof SBOM_FORMATS)[number][];
  readonly sbomKinds: readonly SbomKind[];
  readonly casLayoutVersion: number;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
// semver 2.0 core with optional pre-release and build metadata
const VERSION_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

const OWNER = GENERATOR_MANIFEST_SCHEMA;
const MANIFEST_SHAPE = objectOf(
  {
    schema: STRING,
    name: STRING,
    version: STRING,
    commands: arrayOf(oneOf('command', GENERATOR_COMMANDS), 1),
    sbomFormats: arrayOf(oneOf('SBOM format', SBOM_FORMATS), 1),
    sbomKinds: arrayOf(oneOf('SBOM kind', SBOM_KINDS), 1),
    cas: objectOf({ layoutVersion: INTEGER, digestAlgorithm: oneOf('digest algorithm', ['sha256']) }, ['layoutVersion', 'digestAlgorithm']),
  },
  ['schema', 'name', 'version', 'commands', 'sbomFormats', 'sbomKinds', 'cas'],
);

function checkUnique(issues: JsonIssues, root: JsonObject, key: string): void {
  const list = root[key] as readonly string[];
  list.forEach((item, i) => {
    if (list.indexOf(item) !== i) issues.report(`${key}[${i}]`, `${JSON.stringify(item)} is listed twice`);
  });
}

/**
 * Parses and checks a manifest's text. `file` is the name shown in messages.
 * @throws GoshError OPTION_INVALID naming the file, JSON path and line of every problem
 */
export function parseGeneratorManifest(file: string, text: string): GeneratorManifest {
  const parsed = parseJsonText({ name: file, text }, 'OPTION_INVALID');
  const issues = new JsonIssues(file, parsed.positions, 'OPTION_INVALID');
  const root = parsed.value;
  if (!checkShape(issues, root, '', MANIFEST_SHAPE, OWNER) || !isJsonObject(root)) throw new GoshError(sortDiagnostics(issues.diagnostics));
  if (root['schema'] !== GENERATOR_MANIFEST_SCHEMA) issues.report('schema', `unsupported schema ${JSON.stringify(root['schema'])} (expected ${GENERATOR_MANIFEST_SCHEMA})`);
  if (!NAME_RE.test(root['name'] as string)) issues.report('name', 'the generator name must be letters, digits, ".", "_" or "-"');
  if (!VERSION_RE.test(root['version'] as string)) issues.report('version', `version ${JSON.stringify(root['version'])} is not a semantic version (MAJOR.MINOR.PATCH)`);
  for (const key of ['commands', 'sbomFormats', 'sbomKinds']) checkUnique(issues, root, key);
  const cas = root['cas'] as JsonObject;
  if (cas['layoutVersion'] !== CAS_LAYOUT_VERSION) {
    issues.report('cas.layoutVersion', `CAS layout version ${JSON.stringify(cas['layoutVersion'])} is not supported by this gosh (it writes layout ${CAS_LAYOUT_VERSION})`);
  }
  if (issues.count > 0) throw new GoshError(sortDiagnostics(issues.diagnostics));
  return {
    file,
    name: root['name'] as string,
    version: root['version'] as string,
    commands: root['commands'] as readonly GeneratorCommand[],
    sbomFormats: root['sbomFormats'] as readonly (typeof SBOM_FORMATS)[number][],
    sbomKinds: root['sbomKinds'] as readonly SbomKind[],
    casLayoutVersion: cas['layoutVersion'] as number,
  };
}

/**
 * Loads `<dir>/gosh.sbom-generator.manifest.json` (the shipped one when `dir` is undefined) and
 * checks that it offers `command`.
 * @throws GoshError OPTION_INVALID for a missing directory or file, a malformed manifest, or a
 *   manifest that does not list `command`
 */
export function loadGeneratorManifest(dir: string | undefined, command: GeneratorCommand): GeneratorManifest {
  const who = `gosh ${command}`;
  const base = dir ?? SHIPPED_MANIFEST_DIR;
  const shown = dir === undefined ? base : dir;
  if (!existsSync(base) || !statSync(base).isDirectory()) {
    fail('OPTION_INVALID', dir === undefined
      ? `${who}: the shipped generator manifest directory ${base} is missing (a broken installation; pass --manifest DIR)`
      : `${who}: --manifest ${JSON.stringify(dir)} is not a directory`);
  }
  const path = join(base, GENERATOR_MANIFEST_FILE);
  const file = join(shown, GENERATOR_MANIFEST_FILE);
  if (!existsSync(path)) fail('OPTION_INVALID', `${who}: no generator manifest in ${shown} (expected ${GENERATOR_MANIFEST_FILE})`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    return fail('OPTION_INVALID', `${who}: cannot read the generator manifest: ${(cause as Error).message}`, { file }, undefined, cause);
  }
  const manifest = parseGeneratorManifest(file, text);
  if (!manifest.commands.includes(command)) {
    fail('OPTION_INVALID', `${who}: the generator manifest does not offer the ${command} command (commands: ${manifest.commands.join(', ')})`, { file });
  }
  return manifest;
}
