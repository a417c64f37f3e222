// A parsed package-lock.json → the tarballs an offline npm cache needs, as lock packages: purl,
// npm's SHA512 integrity (the SHA256 BuildKit verifies is recorded at lock time,
// deps/checksums.ts), the tarball URL and DEPENDS_ON edges found the way node resolves
// node_modules. Links and bundled packages come with the context or their parent; git, local and
// registry-less entries are refused by name until they are supported.
import { GoshError, diagnostic, type Diagnostic } from '../../core/errors.js';
import type { LockPackage } from '../../lock/model.js';
import { npmPurl } from '../../lock/purl.js';
import { manifestEntry, type DependencySet, type DependencySpec } from '../plugin.js';
import type { NpmLock, NpmLockPackage } from './package-lock.js';
import { npmFetchUrl } from './registry-url.js';

const SRI_SHA512_RE = /^sha512-([A-Za-z0-9+/]{86}==)$/;
/** npm's name rules, loosely (old packages have capitals): no slash but the scope's, no leading dot */
const NAME_RE = /^(?:@[A-Za-z0-9~-][A-Za-z0-9._~-]*\/)?[A-Za-z0-9~-][A-Za-z0-9._~-]*$/;
/** semver with prerelease and build parts; nothing that could be a path */
const VERSION_RE = /^[0-9A-Za-z][0-9A-Za-z.+-]*$/;

/** The hex SHA512 of an SRI string (`sha512-<base64>`, possibly among other hashes), if it has one. */
export function sha512FromIntegrity(integrity: string): string | undefined {
  for (const part of integrity.trim().split(/\s+/)) {
    const m = SRI_SHA512_RE.exec(part.replace(/\?.*$/, ''));
    if (m?.[1] !== undefined) return Buffer.from(m[1], 'base64').toString('hex');
  }
  return undefined;
}

/** node's lookup: the nearest node_modules/<name> at or above `from`. */
function resolveDependency(byPath: ReadonlyMap<string, NpmLockPackage>, from: string, name: string): NpmLockPackage | undefined {
  let dir = from;
  for (;;) {
    const found = byPath.get(`${dir}/node_modules/${name}`);
    if (found !== undefined) return found;
    const at = dir.lastIndexOf('/node_modules/');
    if (at < 0) return byPath.get(`node_modules/${name}`);
    dir = dir.slice(0, at);
  }
}

/** Why an entry cannot come from the cache, or undefined when it can. */
function unsupported(pkg: NpmLockPackage, file: string): Diagnostic | undefined {
  const where = { file, range: pkg.range };
  if (!NAME_RE.test(pkg.name) || pkg.name.length > 214) return diagnostic('MANIFEST_INVALID', `${pkg.path}: ${JSON.stringify(pkg.name)} is not an npm package name`, where);
  if (!VERSION_RE.test(pkg.version)) return diagnostic('MANIFEST_INVALID', `${pkg.path}: ${JSON.stringify(pkg.version)} is not a package version`, where);
  const label = `${pkg.name} ${pkg.version}`;
  const resolved = pkg.resolved;
  if (resolved === undefined) {
    return diagnostic('DEPENDENCY_UNSUPPORTED', `${label} has no "resolved" tarball URL (npm's omit-lockfile-registry-resolved), so npm would ask the registry for it; write the lock with \`npm install --package-lock-only --no-omit-lockfile-registry-resolved\``, where);
  }
  if (!/^https?:\/\//.test(resolved)) {
    const kind = /^(git\+|git:|github:)/.test(resolved) ? 'git dependencies' : resolved.startsWith('file:') ? 'local file dependencies' : `sources like ${resolved}`;
    return diagnostic('DEPENDENCY_UNSUPPORTED', `${label} comes from ${resolved}; ${kind} are not supported yet`, where);
  }
  if (pkg.integrity === undefined) return diagnostic('MANIFEST_INVALID', `${label} has no integrity; run \`npm install\` to record it`, where);
  if (sha512FromIntegrity(pkg.integrity) === undefined) {
    return diagnostic('DEPENDENCY_UNSUPPORTED', `${label} has no sha512 integrity (${pkg.integrity.split('-')[0] ?? ''} only); run \`npm install\` with npm 5 or later to record one`, where);
  }
  return undefined;
}

/**
 * The packages of one package-lock.json, in file order, each once (the first path of a
 * name@version wins, with every path's edges).
 * @throws GoshError DEPENDENCY_UNSUPPORTED / MANIFEST_INVALID, every problem at its line
 */
export function npmDependencySet(spec: DependencySpec, lock: NpmLock, bytes: Uint8Array): DependencySet {
  const file = lock.file.name;
  const byPath = new Map(lock.packages.map((p) => [p.path, p]));
  const problems: Diagnostic[] = [];
  const fetchUrls = new Map<string, string>();
  const packages = new Map<string, { pkg: LockPackage; dependsOn: Set<string> }>();
  for (const entry of lock.packages) {
    if (entry.link || entry.inBundle) continue;
    const problem = unsupported(entry, file);
    if (problem !== undefined) {
      problems.push(problem);
      continue;
    }
    const purl = npmPurl(entry.name, entry.version);
    let known = packages.get(purl);
    if (known === undefined) {
      const resolved = entry.resolved ?? '';
      known = {
        pkg: {
          purl,
          type: 'npm',
          name: entry.name,
          version: entry.version,
          checksums: [{ algorithm: 'SHA512', value: sha512FromIntegrity(entry.integrity ?? '') ?? '' }],
          downloadLocation: resolved,
          dependsOn: [],
          origin: { file, jsonPath: entry.jsonPath, get range() { return entry.range; } },
        },
        dependsOn: new Set(),
      };
      packages.set(purl, known);
      fetchUrls.set(purl, npmFetchUrl(resolved, spec.mirror));
    }
    for (const name of entry.dependencies) {
      const target = resolveDependency(byPath, entry.path, name);
      // a missing optional or peer dependency is npm's business, a link is built from the context
      if (target !== undefined && !target.link && !target.inBundle) known.dependsOn.add(npmPurl(target.name, target.version));
    }
  }
  if (problems.length > 0) throw new GoshError(problems);
  return {
    plugin: 'npm',
    spec,
    manifest: manifestEntry(spec.lockfile, bytes),
    packages: [...packages.values()].map(({ pkg, dependsOn }) => ({ ...pkg, dependsOn: [...dependsOn].filter((d) => d !== pkg.purl) })),
    fetchUrls,
  };
}
