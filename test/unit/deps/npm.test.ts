// The npm plugin: package-lock.json v2/v3 → packages (purls, npm's SHA512, edges found the way
// node resolves node_modules) → an npm cache in LLB whose paths are the ones npm itself uses.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GoshError } from '../../../src/core/errors.js';
import { packagesWithoutSha256, sha256FromLock, withSha256 } from '../../../src/deps/checksums.js';
import { assembleNpm, contentPath, indexEntry, NPM_MOUNT_TARGET } from '../../../src/deps/npm/cache.js';
import { parsePackageLock } from '../../../src/deps/npm/package-lock.js';
import { npmDependencySet, sha512FromIntegrity } from '../../../src/deps/npm/packages.js';
import { npmFetchUrl } from '../../../src/deps/npm/registry-url.js';
import { dumpDefinition } from '../../../src/llb/dump.js';
import { marshalDefinition } from '../../../src/llb/marshal.js';
import { verifyDependencies } from '../../../src/deps/verify.js';
import type { Lock, LockPackage } from '../../../src/lock/model.js';
import { repoRoot } from '../../helpers/shared-fixture.js';

const SMALL_PATH = join(repoRoot, 'test/fixtures/npm/locks/small-v3.json');
const APP_PATH = join(repoRoot, 'test/fixtures/npm/app/package-lock.json');
const SMALL = readFileSync(SMALL_PATH, 'utf8');
/** the small lock with `resolved` back on its one entry that lacks it */
const SMALL_RESOLVED = SMALL.replace('"version": "2.1.3",\n', '"version": "2.1.3",\n      "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",\n');

function readSet(text: string, mirror?: string, name = 'package-lock.json') {
  const file = { name, text };
  return npmDependencySet({ lockfile: name, ...(mirror !== undefined ? { mirror } : {}) }, parsePackageLock(file), new TextEncoder().encode(text));
}

function messagesOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof GoshError) return e.diagnostics.map((d) => `${d.file ?? ''}:${d.range?.startLine ?? 0}: ${d.code}: ${d.message}`);
    throw e;
  }
  throw new Error('no error');
}

describe('package-lock.json', () => {
  it('turns SRI into hex, picking sha512 among several hashes', () => {
    const sri = 'sha512-nG96G3Wp6acyAgJqGasjODb+acrI7KltPiRxzHPXnP3NgI28bpQDRv53olbqGXbfcgF5aiiHmO3xpwEpS5Ld9g==';
    const hex = Buffer.from(sri.slice(7), 'base64').toString('hex');
    expect(sha512FromIntegrity(sri)).toBe(hex);
    expect(sha512FromIntegrity(`sha1-Zm9vYmFyYmF6cXV4eHl6enk= ${sri}`)).toBe(hex);
    expect(sha512FromIntegrity('sha1-Zm9vYmFyYmF6cXV4eHl6enk=')).toBeUndefined();
  });

  it('reads installed packages, skipping the root, workspace folders and links, with edges resolved like node', () => {
    const set = readSet(SMALL_RESOLVED);
    expect(set.plugin).toBe('npm');
    expect(set.packages.map((p) => p.purl)).toEqual(['pkg:npm/%40types/ms@0.7.34', 'pkg:npm/debug@4.3.4', 'pkg:npm/ms@2.1.2', 'pkg:npm/is-number@7.0.0', 'pkg:npm/ms@2.1.3']);
    const debug = set.packages.find((p) => p.name === 'debug') as LockPackage;
    // debug's own nested ms 2.1.2 wins over the hoisted 2.1.3
    expect(debug.dependsOn).toEqual(['pkg:npm/ms@2.1.2']);
    const scoped = set.packages[0] as LockPackage;
    expect(scoped.name).toBe('@types/ms');
    expect(scoped.downloadLocation).toBe('https://registry.npmjs.org/@types/ms/-/ms-0.7.34.tgz');
    expect(scoped.checksums).toEqual([{ algorithm: 'SHA512', value: sha512FromIntegrity('sha512-nG96G3Wp6acyAgJqGasjODb+acrI7KltPiRxzHPXnP3NgI28bpQDRv53olbqGXbfcgF5aiiHmO3xpwEpS5Ld9g==') }]);
    expect(scoped.origin?.jsonPath).toBe('packages["node_modules/@types/ms"]');
    expect(scoped.origin?.range?.startLine).toBe(SMALL.split('\n').findIndex((l) => l.includes('"node_modules/@types/ms"')) + 1);
    expect(set.manifest.sha256).toBe(createHash('sha256').update(SMALL_RESOLVED).digest('hex'));
  });

  it('an alias (npm:real@x) is the real package, and the edge to it follows the alias path', () => {
    const aliased = SMALL_RESOLVED.replace('"dependencies": {\n        "ms": "2.1.2"\n      },', '"dependencies": {\n        "ms": "2.1.2",\n        "num": "npm:is-number@7.0.0"\n      },').replace(
      '"node_modules/is-number": {',
      '"node_modules/num": {\n      "name": "is-number",\n      "version": "7.0.0",\n      "resolved": "https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz",\n      "integrity": "sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng=="\n    },\n    "node_modules/is-number": {',
    );
    const set = readSet(aliased);
    // the alias and the real name are one package
    expect(set.packages.filter((p) => p.name === 'is-number').map((p) => p.purl)).toEqual(['pkg:npm/is-number@7.0.0']);
    expect(set.packages.find((p) => p.name === 'debug')?.dependsOn).toEqual(['pkg:npm/ms@2.1.2', 'pkg:npm/is-number@7.0.0']);
  });

  it('refuses an entry without resolved at its line, naming the way out', () => {
    const line = SMALL.split('\n').findIndex((l) => l.includes('"node_modules/ms"')) + 1;
    expect(messagesOf(() => readSet(SMALL))).toEqual([
      `package-lock.json:${line}: DEPENDENCY_UNSUPPORTED: ms 2.1.3 has no "resolved" tarball URL (npm's omit-lockfile-registry-resolved), so npm would ask the registry for it; write the lock with \`npm install --package-lock-only --no-omit-lockfile-registry-resolved\``,
    ]);
  });

  it('refuses git and file dependencies, sha1-only integrity, version 1 and bad JSON, each located', () => {
    const git = SMALL_RESOLVED.replace('"resolved": "https://registry.npmjs.org/debug/-/debug-4.3.4.tgz"', '"resolved": "git+ssh://git@github.com/debug-js/debug.git#abc"');
    expect(messagesOf(() => readSet(git))[0]).toMatch(/^package-lock\.json:\d+: DEPENDENCY_UNSUPPORTED: debug 4\.3\.4 comes from git\+ssh:.* git dependencies are not supported yet$/);
    const sha1 = SMALL_RESOLVED.replace(/"integrity": "sha512-41C[^"]+"/, '"integrity": "sha1-Zm9vYmFyYmF6cXV4eHl6enk="');
    expect(messagesOf(() => readSet(sha1))[0]).toContain('DEPENDENCY_UNSUPPORTED: is-number 7.0.0 has no sha512 integrity (sha1 only)');
    const escaping = SMALL_RESOLVED.replace('"node_modules/is-number"', '"node_modules/../../etc/passwd"');
    expect(messagesOf(() => readSet(escaping))[0]).toMatch(/^package-lock\.json:\d+: MANIFEST_INVALID: node_modules\/\.\.\/\.\.\/etc\/passwd: "\.\.\/\.\.\/etc\/passwd" is not an npm package name$/);
    const badVersion = SMALL_RESOLVED.replace('"version": "7.0.0"', '"version": "../7.0.0"');
    expect(messagesOf(() => readSet(badVersion))[0]).toContain('MANIFEST_INVALID: node_modules/is-number: "../7.0.0" is not a package version');
    expect(messagesOf(() => readSet('{\n  "lockfileVersion": 1,\n  "dependencies": {}\n}\n'))).toEqual([
      'package-lock.json:2: MANIFEST_INVALID: package-lock.json: lockfileVersion 1 is not supported (2 and 3 are); npm 7 or later writes version 3: run `npm install --package-lock-only`',
    ]);
    expect(messagesOf(() => readSet('{\n  "lockfileVersion": 3,\n  "packages": {,}\n}\n'))[0]).toMatch(/^package-lock\.json:3: MANIFEST_INVALID: invalid JSON/);
  });

  it('reads the fixture app: every package once, with a SHA512 and edges inside the set', () => {
    const set = readSet(readFileSync(APP_PATH, 'utf8'));
    expect(set.packages.length).toBeGreaterThanOrEqual(20);
    const purls = new Set(set.packages.map((p) => p.purl));
    expect(purls.size).toBe(set.packages.length);
    for (const pkg of set.packages) {
      expect(pkg.checksums.map((c) => c.algorithm)).toEqual(['SHA512']);
      for (const dep of pkg.dependsOn) expect(purls.has(dep), `${pkg.purl} -> ${dep}`).toBe(true);
    }
    expect(set.packages.find((p) => p.name === 'express')?.dependsOn).toContain('pkg:npm/body-parser@1.20.3');
  });
});

describe('mirror', () => {
  it('replaces the public registry base only', () => {
    expect(npmFetchUrl('https://registry.npmjs.org/@types/ms/-/ms-0.7.34.tgz', 'http://127.0.0.1:4873/npm/')).toBe('http://127.0.0.1:4873/npm/@types/ms/-/ms-0.7.34.tgz');
    expect(npmFetchUrl('https://registry.npmjs.org/ms/-/ms-2.1.3.tgz', 'http://127.0.0.1:4873')).toBe('http://127.0.0.1:4873/ms/-/ms-2.1.3.tgz');
    expect(npmFetchUrl('https://example.com/x.tgz', 'http://127.0.0.1:4873/')).toBe('https://example.com/x.tgz');
    expect(npmFetchUrl('https://registry.npmjs.org/ms/-/ms-2.1.3.tgz', undefined)).toBe('https://registry.npmjs.org/ms/-/ms-2.1.3.tgz');
  });
});

describe('the npm cache', () => {
  it('puts content and index where npm (cacache) looks for them', () => {
    // paths npm 11 wrote on this project's fixture: index bucket = sha256 of the request-cache key
    const url = 'https://registry.npmjs.org/gopd/-/gopd-1.2.0.tgz';
    const hex = sha512FromIntegrity('sha512-ZUKRh6/kUFoAiTAtTYPZJ3hw9wNxx+BIBOijnlG9PnrJsCcSjs1wyyD6vJpaYtgnzDrKYRSqf3OO6Rfa93xsRg==') as string;
    const entry = indexEntry(url, hex);
    expect(entry.path).toBe('/_cacache/index-v5/84/3c/a34aeaf29195f5f9401c15f6857af1bd76c7606e0b093aab991c9bb6dc49');
    expect(contentPath(hex)).toBe(`/_cacache/content-v2/sha512/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex.slice(4)}`);
    // "\n<sha1 of the JSON>\t<JSON>": cacache drops a line whose hash does not match
    const [, sum, json] = /^\n([0-9a-f]{40})\t(.*)$/s.exec(entry.text) ?? [];
    expect(createHash('sha1').update(json ?? '').digest('hex')).toBe(sum);
    expect(JSON.parse(json ?? '{}')).toMatchObject({ key: `make-fetch-happen:request-cache:${url}`, integrity: 'sha512-ZUKRh6/kUFoAiTAtTYPZJ3hw9wNxx+BIBOijnlG9PnrJsCcSjs1wyyD6vJpaYtgnzDrKYRSqf3OO6Rfa93xsRg==', time: 0 });
  });

  it('assembles one pinned source per tarball, fetched from the mirror, with the offline env', () => {
    const sums = new Map<string, string>();
    const set = readSet(SMALL_RESOLVED, 'http://127.0.0.1:4873/');
    for (const pkg of set.packages) sums.set(pkg.purl, createHash('sha256').update(pkg.purl).digest('hex'));
    const mount = assembleNpm(withSha256([set], sums));
    expect(mount.target).toBe(NPM_MOUNT_TARGET);
    expect(mount.packageCount).toBe(5);
    expect(Object.fromEntries(mount.env)).toMatchObject({ npm_config_cache: NPM_MOUNT_TARGET, npm_config_offline: 'true' });
    const dump = dumpDefinition(marshalDefinition(mount.output));
    for (const pkg of set.packages) {
      // fetched from the mirror, pinned by the recorded SHA256, indexed under the lock's URL
      expect(dump).toContain(`"identifier": "${npmFetchUrl(pkg.downloadLocation, 'http://127.0.0.1:4873/')}"`);
      expect(dump).toContain(`"http.checksum": "sha256:${sums.get(pkg.purl) ?? ''}"`);
      expect(dump).toContain(indexEntry(pkg.downloadLocation, pkg.checksums[0]?.value ?? '').path);
    }
    // without a recorded SHA256 the source is not pinned (dev mode records one before building)
    expect(dumpDefinition(marshalDefinition(assembleNpm([set]).output))).not.toContain('http.checksum');
  });
});

describe('SHA256 from the lock', () => {
  const set = readSet(SMALL_RESOLVED);
  const ms = set.packages.find((p) => p.purl === 'pkg:npm/ms@2.1.3') as LockPackage;
  const sha512 = ms.checksums[0]?.value as string;
  const lockWith = (checksums: LockPackage['checksums']): Lock => ({
    file: 'sbom.spdx.json',
    images: new Map(),
    packages: new Map([[ms.purl, { ...ms, checksums, origin: { file: 'sbom.spdx.json', jsonPath: 'packages[3]', range: { startLine: 40, endLine: 40 } } }]]),
    subimages: new Map(),
    manifests: new Map(),
  });

  it('takes the SHA256 of an entry whose SHA512 agrees, and only then', () => {
    const good = lockWith([{ algorithm: 'SHA256', value: 'a'.repeat(64) }, { algorithm: 'SHA512', value: sha512 }]);
    expect(sha256FromLock([set], good)).toEqual(new Map([[ms.purl, 'a'.repeat(64)]]));
    const other = lockWith([{ algorithm: 'SHA256', value: 'a'.repeat(64) }, { algorithm: 'SHA512', value: 'b'.repeat(128) }]);
    expect(sha256FromLock([set], other).size).toBe(0);
    const filled = withSha256([set], sha256FromLock([set], good));
    expect(packagesWithoutSha256(filled).map((p) => p.pkg.purl)).not.toContain(ms.purl);
    expect(filled[0]?.packages.find((p) => p.purl === ms.purl)?.checksums.map((c) => c.algorithm)).toEqual(['SHA256', 'SHA512']);
  });

  it('prod: a SHA512 the lock does not repeat is a mismatch at the package-lock line', () => {
    const other = lockWith([{ algorithm: 'SHA256', value: 'a'.repeat(64) }, { algorithm: 'SHA512', value: 'b'.repeat(128) }]);
    const problems = verifyDependencies([set], other).filter((d) => d.code === 'LOCK_CHECKSUM_MISMATCH');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toBe(`npm package ms 2.1.3 has checksum ${sha512} but sbom.spdx.json pins ${'b'.repeat(128)}; run gosh lock`);
    expect(problems[0]?.notes?.[0]?.message).toBe(`sbom.spdx.json pins sha512 ${'b'.repeat(128)}`);
  });
});
