// Cargo.lock → its packages, each with the lines it was read from. Versions 3 and 4 (and 2,
// which differs only in git ref encoding) keep `checksum` in each [[package]]; version 1 keeps
// them in [metadata] and is refused with a hint. Only what an offline vendor tree needs is kept.
import { GoshError, diagnostic, sortDiagnostics, type Diagnostic } from '../../core/errors.js';
import type { SourceFile, SourceRange } from '../../core/source.js';
import { parseLockToml, type TomlEntry, type TomlSection, type TomlValue } from './lock-toml.js';

/** crates.io as Cargo.lock spells it, for the git index and the sparse protocol alike. */
export const CRATES_IO_SOURCE = 'registry+https://github.com/rust-lang/crates.io-index';
export const CRATES_IO_SPARSE_SOURCE = 'sparse+https://index.crates.io/';

const PACKAGE_KEYS = ['name', 'version', 'source', 'checksum', 'dependencies'];
const SUPPORTED_VERSIONS = [2, 3, 4];
const CHECKSUM_RE = /^[0-9a-f]{64}$/;

/** One `[[package]]` of a Cargo.lock. */
export interface CargoLockPackage {
  readonly name: string;
  readonly version: string;
  /** absent for workspace and path members */
  readonly source?: string;
  /** sha256 of the .crate, lowercase hex; registry packages only */
  readonly checksum?: string;
  /** as written: "name", "name version" or "name version (source)" */
  readonly dependencies: readonly string[];
  /** the [[package]] header through its last entry */
  readonly range: SourceRange;
}

export interface CargoLock {
  readonly file: SourceFile;
  /** the `version = N` line; 2 when the file has none and no [metadata] checksums */
  readonly version: number;
  readonly packages: readonly CargoLockPackage[];
}

function at(file: SourceFile, line: number, endLine = line): { file: string; range: SourceRange } {
  return { file: file.name, range: { startLine: line, endLine } };
}

function stringEntry(file: SourceFile, section: TomlSection, key: string, problems: Diagnostic[]): string | undefined {
  const entry: TomlEntry | undefined = section.entries.get(key);
  if (entry === undefined) return undefined;
  if (typeof entry.value !== 'string') {
    problems.push(diagnostic('MANIFEST_INVALID', `${key} must be a string`, at(file, entry.line)));
    return undefined;
  }
  return entry.value;
}

function readPackage(file: SourceFile, section: TomlSection, problems: Diagnostic[]): CargoLockPackage | undefined {
  const where = at(file, section.line, section.endLine);
  for (const [key, entry] of section.entries) {
    if (!PACKAGE_KEYS.includes(key)) problems.push(diagnostic('MANIFEST_INVALID', `unknown key ${JSON.stringify(key)} in [[package]]`, at(file, entry.line), [{ message: `expected one of: ${PACKAGE_KEYS.join(', ')}` }]));
  }
  const name = stringEntry(file, section, 'name', problems);
  const version = stringEntry(file, section, 'version', problems);
  const source = stringEntry(file, section, 'source', problems);
  const checksum = stringEntry(file, section, 'checksum', problems);
  if (name === undefined || version === undefined) {
    problems.push(diagnostic('MANIFEST_INVALID', `a [[package]] needs a name and a version`, where));
    return undefined;
  }
  const checksumLine = section.entries.get('checksum')?.line ?? section.line;
  if (checksum !== undefined && !CHECKSUM_RE.test(checksum)) {
    problems.push(diagnostic('MANIFEST_INVALID', `checksum of ${name} ${version} is not a lowercase sha256 hex digest`, at(file, checksumLine)));
  }
  const deps: string[] = [];
  const depsEntry = section.entries.get('dependencies');
  if (depsEntry !== undefined) {
    const list: TomlValue = depsEntry.value;
    if (!Array.isArray(list) || list.some((d) => typeof d !== 'string')) {
      problems.push(diagnostic('MANIFEST_INVALID', `dependencies of ${name} ${version} must be a list of strings`, at(file, depsEntry.line)));
    } else deps.push(...(list as string[]));
  }
  return {
    name,
    version,
    ...(source !== undefined ? { source } : {}),
    ...(checksum !== undefined ? { checksum } : {}),
    dependencies: deps,
    range: where.range,
  };
}

/**
 * Reads a Cargo.lock.
 * @throws GoshError MANIFEST_INVALID with every problem of the file, each at its line
 */
export function parseCargoLock(file: SourceFile): CargoLock {
  const sections = parseLockToml(file);
  const problems: Diagnostic[] = [];
  const packages: CargoLockPackage[] = [];
  let version: number | undefined;
  for (const section of sections) {
    if (section.path === '') {
      for (const [key, entry] of section.entries) {
        if (key !== 'version') problems.push(diagnostic('MANIFEST_INVALID', `unknown top-level key ${JSON.stringify(key)}`, at(file, entry.line)));
        else if (typeof entry.value !== 'number' || !SUPPORTED_VERSIONS.includes(entry.value)) {
          problems.push(diagnostic('DEPENDENCY_UNSUPPORTED', `Cargo.lock version ${JSON.stringify(entry.value)} is not supported yet (expected ${SUPPORTED_VERSIONS.join(', ')})`, at(file, entry.line)));
        } else version = entry.value;
      }
    } else if (section.path === 'package' && section.arrayItem) {
      const pkg = readPackage(file, section, problems);
      if (pkg !== undefined) packages.push(pkg);
    } else if (section.path === 'metadata' && !section.arrayItem) {
      if ([...section.entries.keys()].some((k) => k.startsWith('checksum '))) {
        problems.push(diagnostic('DEPENDENCY_UNSUPPORTED', `Cargo.lock version 1 keeps checksums in [metadata]; run \`cargo update --workspace\` with cargo 1.53 or newer to rewrite it`, at(file, section.line)));
      }
    } else if (section.path === 'patch.unused' && section.arrayItem) {
      // crates a [patch] names but the build does not use: cargo ignores them, so do we
    } else {
      problems.push(diagnostic('MANIFEST_INVALID', `unexpected section [${section.arrayItem ? `[${section.path}]` : section.path}]`, at(file, section.line)));
    }
  }
  if (problems.length > 0) throw new GoshError(sortDiagnostics(problems));
  return { file, version: version ?? 2, packages };
}

/** True for crates.io's index in either protocol. */
export function isCratesIo(source: string): boolean {
  return source === CRATES_IO_SOURCE || source === CRATES_IO_SPARSE_SOURCE;
}
