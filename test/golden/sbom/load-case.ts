// Reads one golden case folder into the inputs of renderSbomOutputs. Used in-process by the
// runner and, in a child process with another TZ and LANG, by emit-case.ts.
//
// A case folder holds options.json and either sbom.spdx.json (a lock to read; its recorded
// facts are the build's facts unless facts.json is given) or lock.json + facts.json.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Digest } from '../../../src/core/digest.js';
import { GoshError } from '../../../src/core/errors.js';
import { createLock, type LockEntries } from '../../../src/lock/create.js';
import type { BuildFacts, Checksum, Lock, LockDocumentInfo, PackageType } from '../../../src/lock/model.js';
import { renderSbomOutputs, type SbomRenderOptions } from '../../../src/sbom/render.js';
import { readSpdxLock } from '../../../src/sbom/spdx-read.js';

export interface SbomCase {
  readonly name: string;
  readonly dir: string;
  readonly lock: Lock;
  readonly facts: BuildFacts;
  readonly options: SbomRenderOptions;
}

/** The three files a case expects, by name. */
export interface SbomCaseOutput {
  readonly 'expect.spdx.json': string;
  readonly 'expect.cdx.json': string;
  readonly 'expect.descriptor.json': string;
}

/** lock.json: LockEntries with plain arrays and no origins. */
interface LockJson {
  readonly document?: LockDocumentInfo;
  readonly images?: readonly { ref: string; digest: Digest }[];
  readonly packages?: readonly { purl: string; type: PackageType; name: string; version: string; checksums: Checksum[]; downloadLocation: string; dependsOn: string[] }[];
  readonly subimages?: readonly { name: string; dockerfile: string; stableHash: Digest }[];
  readonly manifests?: readonly { path: string; sha1: string; sha256: string }[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Builds a Lock from lock.json-shaped entries; a duplicate is a broken fixture. */
export function lockFromJson(json: LockJson): Lock {
  const entries: LockEntries = { ...json };
  const built = createLock(entries);
  if (built.diagnostics.length > 0) throw new GoshError(built.diagnostics);
  return built.lock;
}

export function loadSbomCase(dir: string): SbomCase {
  const options = readJson<SbomRenderOptions>(join(dir, 'options.json'));
  const name = dir.split('/').pop() ?? dir;
  const factsPath = join(dir, 'facts.json');
  const lockPath = join(dir, 'sbom.spdx.json');
  if (existsSync(lockPath)) {
    const read = readSpdxLock({ name: 'sbom.spdx.json', text: readFileSync(lockPath, 'utf8') });
    const facts = existsSync(factsPath) ? readJson<BuildFacts>(factsPath) : read.recorded;
    return { name, dir, lock: read.lock, facts, options };
  }
  return { name, dir, lock: lockFromJson(readJson<LockJson>(join(dir, 'lock.json'))), facts: readJson<BuildFacts>(factsPath), options };
}

export function renderSbomCase(c: Pick<SbomCase, 'lock' | 'facts' | 'options'>): SbomCaseOutput {
  const out = renderSbomOutputs(c.lock, c.facts, c.options);
  return { 'expect.spdx.json': out.spdx.text, 'expect.cdx.json': out.cyclonedx, 'expect.descriptor.json': out.descriptorText };
}

/** Every case folder (a folder with options.json) under `root`, sorted. */
export function listSbomCases(root: string): string[] {
  return readdirSync(root)
    .filter((entry) => statSync(join(root, entry)).isDirectory() && existsSync(join(root, entry, 'options.json')))
    .sort()
    .map((entry) => join(root, entry));
}
