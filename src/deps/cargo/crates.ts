// A parsed Cargo.lock → the crates a vendor tree needs, as lock packages: purl, sha256 checksum,
// canonical download URL and DEPENDS_ON edges between crates. Workspace and path members are
// built from the context, not fetched, so they are no packages; git and non-crates.io
// registries are refused by name until they are supported.
import { GoshError, diagnostic, type Diagnostic } from '../../core/errors.js';
import type { SourceFile } from '../../core/source.js';
import type { LockPackage } from '../../lock/model.js';
import { cargoPurl } from '../../lock/purl.js';
import { manifestEntry, type DependencySet, type DependencySpec } from '../plugin.js';
import { isCratesIo, type CargoLock, type CargoLockPackage } from './cargo-lock.js';
import { CRATES_IO_DOWNLOAD, crateDownloadUrl } from './download-url.js';

/** "name", "name version" or "name version (source)" → the package it names. */
function resolveDependency(lock: CargoLock, from: CargoLockPackage, spec: string, problems: Diagnostic[]): CargoLockPackage | undefined {
  const m = /^(\S+)(?: (\S+))?(?: \((.+)\))?$/.exec(spec);
  const matches = m === null ? [] : lock.packages.filter((p) => p.name === m[1] && (m[2] === undefined || p.version === m[2]) && (m[3] === undefined || p.source === m[3]));
  if (matches.length === 1) return matches[0];
  const why = matches.length === 0 ? 'which no [[package]] is' : 'which several [[package]] entries match';
  problems.push(diagnostic('MANIFEST_INVALID', `${from.name} ${from.version} depends on ${JSON.stringify(spec)}, ${why}`, { file: lock.file.name, range: from.range }));
  return undefined;
}

function unsupportedSource(pkg: CargoLockPackage, file: SourceFile): Diagnostic | undefined {
  const source = pkg.source;
  if (source === undefined || isCratesIo(source)) return undefined;
  const kind = source.startsWith('git+') ? 'git sources' : source.startsWith('registry+') || source.startsWith('sparse+') ? 'registries other than crates.io' : `sources like ${source}`;
  return diagnostic('DEPENDENCY_UNSUPPORTED', `${pkg.name} ${pkg.version} comes from ${source}; ${kind} are not supported yet`, { file: file.name, range: pkg.range });
}

/**
 * The crates of one Cargo.lock, in file order.
 * @throws GoshError DEPENDENCY_UNSUPPORTED / MANIFEST_INVALID, every problem at its lines
 */
export function cargoDependencySet(spec: DependencySpec, lock: CargoLock, bytes: Uint8Array): DependencySet {
  const file = lock.file;
  const problems: Diagnostic[] = [];
  const fetchUrls = new Map<string, string>();
  const packages: LockPackage[] = [];
  for (const pkg of lock.packages) {
    const unsupported = unsupportedSource(pkg, file);
    if (unsupported !== undefined) {
      problems.push(unsupported);
      continue;
    }
    if (pkg.source === undefined) continue;
    if (pkg.checksum === undefined) {
      problems.push(diagnostic('MANIFEST_INVALID', `${pkg.name} ${pkg.version} has no checksum; run \`cargo generate-lockfile\` to add it`, { file: file.name, range: pkg.range }));
      continue;
    }
    const dependsOn: string[] = [];
    for (const dep of pkg.dependencies) {
      const target = resolveDependency(lock, pkg, dep, problems);
      // a registry crate only ever depends on registry crates; anything else was reported
      if (target?.source !== undefined) dependsOn.push(cargoPurl(target.name, target.version));
    }
    const purl = cargoPurl(pkg.name, pkg.version);
    packages.push({
      purl,
      type: 'cargo',
      name: pkg.name,
      version: pkg.version,
      checksums: [{ algorithm: 'SHA256', value: pkg.checksum }],
      downloadLocation: crateDownloadUrl(CRATES_IO_DOWNLOAD, pkg.name, pkg.version, pkg.checksum),
      dependsOn: [...new Set(dependsOn)],
      origin: { file: file.name, jsonPath: `package[${lock.packages.indexOf(pkg)}]`, range: pkg.range },
    });
    fetchUrls.set(purl, crateDownloadUrl(spec.mirror ?? CRATES_IO_DOWNLOAD, pkg.name, pkg.version, pkg.checksum));
  }
  if (problems.length > 0) throw new GoshError(problems);
  return {
    plugin: 'cargo',
    spec,
    manifest: manifestEntry(spec.lockfile, bytes),
    packages,
    fetchUrls,
  };
}
