import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cratePrefix, crateDownloadUrl } from '../../../src/deps/cargo/download-url.js';
import { assembleCargo, cargoConfigToml } from '../../../src/deps/cargo/vendor.js';
import { definitionToJson } from '../../../src/llb/dump.js';
import { marshalDefinition } from '../../../src/llb/marshal.js';
import type { LockPackage } from '../../../src/lock/model.js';
import type { DependencySet, DependencySpec } from '../../../src/deps/plugin.js';
import { dependencyFacts, prepareDependencies, type ManifestInput } from '../../../src/deps/prepare.js';
import { verifyDependencies } from '../../../src/deps/verify.js';
import { formatDiagnostic } from '../../../src/core/errors.js';
import { createLock } from '../../../src/lock/create.js';
import { ROOT } from '../../../src/lock/model.js';
import { repoRoot } from '../../helpers/shared-fixture.js';

const SMALL = readFileSync(join(repoRoot, 'test/fixtures/cargo/locks/small-v4.lock'));

function manifest(spec: DependencySpec, bytes: Uint8Array = SMALL): ManifestInput {
  return { plugin: 'cargo', spec, file: { name: spec.lockfile, text: Buffer.from(bytes).toString('utf8') }, bytes };
}

describe('crate download URLs', () => {
  it.each([
    ['a', '1'],
    ['ab', '2'],
    ['abc', '3/a'],
    ['Serde', 'Se/rd'],
  ])('prefix of %s is %s', (name, prefix) => {
    expect(cratePrefix(name)).toBe(prefix);
  });

  it('fills every marker and appends /{crate}/{version}/download to a template without any', () => {
    expect(crateDownloadUrl('http://m/{lowerprefix}/{crate}/{version}/{sha256-checksum}/{prefix}', 'Serde', '1.0.0', 'ab')).toBe('http://m/se/rd/Serde/1.0.0/ab/Se/rd');
    expect(crateDownloadUrl('https://mirror.example/api/', 'hex', '0.4.3', 'x')).toBe('https://mirror.example/api/hex/0.4.3/download');
  });
});

describe('prepareDependencies', () => {
  it('reads the crates with purls, checksums, canonical URLs, edges and Cargo.lock lines', () => {
    const prepared = prepareDependencies([manifest({ lockfile: 'Cargo.lock', mirror: 'http://127.0.0.1:1/{crate}-{version}.crate' })]);
    const [set] = prepared.sets;
    expect(set?.manifest.path).toBe('Cargo.lock');
    expect(set?.manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(set?.packages.map((p) => [p.purl, p.dependsOn, p.origin?.range?.startLine])).toEqual([
      ['pkg:cargo/generic-array@0.14.7', ['pkg:cargo/typenum@1.17.0', 'pkg:cargo/version_check@0.9.5'], 13],
      ['pkg:cargo/hex@0.4.3', [], 23],
      ['pkg:cargo/typenum@1.17.0', [], 29],
      ['pkg:cargo/version_check@0.9.5', [], 35],
    ]);
    expect(set?.packages[1]?.downloadLocation).toBe('https://static.crates.io/crates/hex/hex-0.4.3.crate');
    expect(set?.fetchUrls.get('pkg:cargo/hex@0.4.3')).toBe('http://127.0.0.1:1/hex-0.4.3.crate');
    expect(dependencyFacts(prepared.sets, ROOT).manifests).toEqual([{ consumer: ROOT, path: 'Cargo.lock' }]);
  });

  it('mounts into the named stages only, or, without stages, into stages that run cargo', () => {
    const prepared = prepareDependencies([manifest({ lockfile: 'Cargo.lock', stages: ['Build'] }), manifest({ lockfile: 'tools/Cargo.lock' })]);
    const named = prepared.mountsForStage({ name: 'build', index: 0, runCommands: ['make'] });
    expect(named.map((m) => [m.target, m.packageCount, m.env])).toEqual([['/.cargo', 4, [['CARGO_NET_OFFLINE', 'true']]]]);
    // both manifests: one tree with every crate once
    expect(prepared.mountsForStage({ name: 'build', index: 0, runCommands: ['cargo build'] })[0]?.packageCount).toBe(4);
    expect(prepared.mountsForStage({ index: 1, runCommands: ['echo cargo-ish', 'ls /opt/cargo_home', 'cargoes'] })).toEqual([]);
    expect(prepared.mountsForStage({ index: 1, runCommands: ['/usr/bin/cargo build'] })).toHaveLength(1);
    expect(prepared.mountsForStage({ name: 'other', index: 2, runCommands: ['make'] })).toEqual([]);
    // the same combination is assembled once
    const again = prepared.mountsForStage({ name: 'BUILD', index: 5, runCommands: [] });
    expect(again[0]).toBe(named[0]);
  });

  it('writes a config that replaces crates.io with the vendor tree and stays offline', () => {
    expect(cargoConfigToml()).toContain('[source.crates-io]\nreplace-with = "gosh-vendored-sources"\n\n[source.gosh-vendored-sources]\ndirectory = "/.cargo/vendor"\n\n[net]\noffline = true\n');
  });
});

describe('verifyDependencies (prod)', () => {
  const prepared = prepareDependencies([manifest({ lockfile: 'Cargo.lock' })]);
  const set = prepared.sets[0];
  if (set === undefined) throw new Error('no set');

  it('accepts manifests that match the lock', () => {
    const { lock } = createLock({ packages: set.packages, manifests: [set.manifest] });
    expect(verifyDependencies(prepared.sets, lock)).toEqual([]);
  });

  it('names the Cargo.lock line of a missing crate, a changed checksum and a stale manifest', () => {
    const [generic, hex, ...rest] = set.packages;
    if (generic === undefined || hex === undefined) throw new Error('fixture');
    const tampered = { ...hex, checksums: [{ algorithm: 'SHA256' as const, value: '0'.repeat(64) }], origin: { file: 'sbom.spdx.json', jsonPath: 'packages[2]' } };
    const { lock } = createLock({ packages: [tampered, ...rest.map((p) => ({ ...p, dependsOn: [] }))], manifests: [{ ...set.manifest, sha256: '1'.repeat(64) }] });
    expect(verifyDependencies(prepared.sets, lock).map(formatDiagnostic)).toEqual([
      'Cargo.lock:13: cargo package generic-array 0.14.7 is not in sbom.spdx.json; run gosh lock',
      `Cargo.lock:23: cargo package hex 0.4.3 has checksum ${hex.checksums[0]?.value} but sbom.spdx.json pins ${'0'.repeat(64)}; run gosh lock\n  note: sbom.spdx.json: sbom.spdx.json pins sha256 ${'0'.repeat(64)}`,
      `Cargo.lock:1: Cargo.lock changed since sbom.spdx.json was written (sha256 ${set.manifest.sha256}, locked ${'1'.repeat(64)}); run gosh lock`,
    ]);
  });

  it('asks for a lock entry when the manifest is not in the lock', () => {
    const { lock } = createLock({ packages: set.packages });
    expect(verifyDependencies(prepared.sets, lock).map(formatDiagnostic)).toEqual(['Cargo.lock:1: Cargo.lock is not in sbom.spdx.json; run gosh lock']);
  });
});

describe('assembleCargo', () => {
  const pkg = (i: number): LockPackage => {
    const name = `crate${i}`;
    const value = createHash('sha256').update(name).digest('hex');
    return { purl: `pkg:cargo/${name}@1.0.0`, type: 'cargo', name, version: '1.0.0', checksums: [{ algorithm: 'SHA256', value }], downloadLocation: `https://x/${name}`, dependsOn: [] };
  };
  const set = (pkgs: LockPackage[]): DependencySet => ({ plugin: 'cargo', spec: { lockfile: 'Cargo.lock' }, manifest: { path: 'Cargo.lock', sha1: '', sha256: '' }, packages: pkgs, fetchUrls: new Map() });
  /** unpack op digest → the crate files it copies */
  const unpackOps = (pkgs: LockPackage[]): Map<string, string[]> => {
    const def = marshalDefinition(assembleCargo([set(pkgs)]).output);
    const ops = definitionToJson(def).ops as { digest: string; op: { file?: { actions: { copy?: { src: string } }[] } } }[];
    return new Map(ops.flatMap((o) => (o.op.file !== undefined && o.op.file.actions.some((a) => a.copy !== undefined) ? [[o.digest, o.op.file.actions.flatMap((a) => (a.copy ? [a.copy.src] : []))] as const] : [])));
  };

  it('unpacks every crate exactly once, in at most 16 FileOps', () => {
    const all = Array.from({ length: 40 }, (_, i) => pkg(i));
    const ops = unpackOps(all);
    expect(ops.size).toBeLessThanOrEqual(16);
    expect([...ops.values()].flat().sort()).toEqual(all.map((p) => `/${p.name}-1.0.0.crate`).sort());
  });

  it('keeps every other group unchanged when one crate goes away', () => {
    const all = Array.from({ length: 40 }, (_, i) => pkg(i));
    const before = unpackOps(all);
    const after = unpackOps(all.filter((p) => p.name !== 'crate7'));
    const changed = [...before.keys()].filter((d) => !after.has(d));
    expect(changed).toHaveLength(1);
    expect(before.get(changed[0] as string)).toContain('/crate7-1.0.0.crate');
  });
});
