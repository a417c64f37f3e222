// package-lock.json (lockfileVersion 2 and 3) → its installed packages, each with the line of its
// `packages` key. Version 1 (npm 6) has no `packages` map and is refused with a hint. Only what
// an offline npm cache needs is kept: where each package sits, what it is, where its tarball is
// and npm's integrity for it.
import { GoshError, diagnostic, type Diagnostic } from '../../core/errors.js';
import { isJsonObject, memberPath, parseJsonText, type JsonObject, type JsonValue } from '../../core/json-text.js';
import type { SourceFile, SourceRange } from '../../core/source.js';

const SUPPORTED_VERSIONS = [2, 3];
/** the edges npm installs: peers too, since npm 7 */
const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** One entry of the `packages` map that is installed from somewhere. */
export interface NpmLockPackage {
  /** the `packages` key: node_modules/a/node_modules/@s/b */
  readonly path: string;
  /** the package's own name (`name` for an alias, else from the path) */
  readonly name: string;
  readonly version: string;
  readonly resolved?: string;
  readonly integrity?: string;
  /** names of the packages it depends on, as written */
  readonly dependencies: readonly string[];
  /** a link to a workspace or local folder: nothing to fetch */
  readonly link: boolean;
  /** shipped inside its parent's tarball: nothing to fetch */
  readonly inBundle: boolean;
  readonly jsonPath: string;
  readonly range: SourceRange;
}

export interface NpmLock {
  readonly file: SourceFile;
  readonly lockfileVersion: number;
  readonly packages: readonly NpmLockPackage[];
}

/** The package name a node_modules path ends with: `@s/b` for node_modules/a/node_modules/@s/b. */
export function nameFromPath(path: string): string | undefined {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const name = path.slice(at + 'node_modules/'.length);
  return name === '' ? undefined : name;
}

function stringField(entry: JsonObject, key: string): string | undefined {
  const value = entry[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Parses one package-lock.json.
 * @throws GoshError MANIFEST_INVALID located at the offending line (bad JSON, version 1, bad entry)
 */
export function parsePackageLock(file: SourceFile): NpmLock {
  const parsed = parseJsonText(file, 'MANIFEST_INVALID');
  const at = (path: string): { file: string; range: SourceRange } => {
    const position = parsed.positions.get(path);
    const line = position?.line ?? 1;
    return { file: file.name, range: { startLine: line, endLine: line } };
  };
  const root = parsed.value;
  if (!isJsonObject(root)) throw new GoshError(diagnostic('MANIFEST_INVALID', `${file.name} is not a package-lock.json: expected an object`, at('')));
  const version = root['lockfileVersion'];
  if (typeof version !== 'number' || !SUPPORTED_VERSIONS.includes(version)) {
    const hint = version === 1 ? '; npm 7 or later writes version 3: run `npm install --package-lock-only`' : '';
    throw new GoshError(diagnostic('MANIFEST_INVALID', `${file.name}: lockfileVersion ${JSON.stringify(version ?? null)} is not supported (2 and 3 are)${hint}`, at(root['lockfileVersion'] === undefined ? '' : 'lockfileVersion')));
  }
  const map = root['packages'];
  if (!isJsonObject(map)) throw new GoshError(diagnostic('MANIFEST_INVALID', `${file.name}: "packages" must be an object`, at(map === undefined ? '' : 'packages')));
  const problems: Diagnostic[] = [];
  const packages: NpmLockPackage[] = [];
  for (const [path, value] of Object.entries(map)) {
    // "" is the project itself; a key without node_modules/ is a workspace folder, built from the context
    const pathName = nameFromPath(path);
    if (path === '' || pathName === undefined) continue;
    const jsonPath = memberPath('packages', path);
    if (!isJsonObject(value)) {
      problems.push(diagnostic('MANIFEST_INVALID', `${path}: expected an object`, at(jsonPath)));
      continue;
    }
    const link = value['link'] === true;
    const entryVersion = stringField(value, 'version');
    if (!link && entryVersion === undefined) {
      problems.push(diagnostic('MANIFEST_INVALID', `${path} has no version`, at(jsonPath)));
      continue;
    }
    const dependencies = new Set<string>();
    for (const field of DEPENDENCY_FIELDS) {
      const deps: JsonValue | undefined = value[field];
      if (isJsonObject(deps)) for (const name of Object.keys(deps)) dependencies.add(name);
    }
    const resolved = stringField(value, 'resolved');
    const integrity = stringField(value, 'integrity');
    packages.push({
      path,
      name: stringField(value, 'name') ?? pathName,
      version: entryVersion ?? '',
      ...(resolved !== undefined ? { resolved } : {}),
      ...(integrity !== undefined ? { integrity } : {}),
      dependencies: [...dependencies],
      link,
      inBundle: value['inBundle'] === true,
      jsonPath,
      // looked up when a message needs it: positions cost a scan of the text
      get range(): SourceRange {
        return at(jsonPath).range;
      },
    });
  }
  if (problems.length > 0) throw new GoshError(problems);
  return { file, lockfileVersion: version, packages };
}
