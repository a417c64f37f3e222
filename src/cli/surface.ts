// Surface artefacts: payloads a scanner reads later (layer fragments, the entry-trace graph and
// its NDJSON trace), stored content-addressed in the CAS (cas.ts) and listed in a manifest that
// names each as cas://<bucket>/scanner/surface/... with its digest and size. Every setting comes
// from a flag or, failing that, its STELLAOPS_SURFACE_* variable; the manifest has no clock in
// it, so a rerun on the same inputs writes the same bytes to the same places.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { canonicalJson } from '../core/canonical.js';
import type { Digest } from '../core/digest.js';
import { fail } from '../core/errors.js';
import { stringFlag, type FlagSpec, type ParsedArgs } from './args.js';
import { casObject, ensureDirectory, writeCasObject, writeFileAtomic, type CasObject } from './cas.js';
import { decodeUtf8, lineAt, parseJsonInput } from './json-input.js';
import { CAS_LAYOUT_VERSION } from './generator-manifest.js';

export const SURFACE_MANIFEST_SCHEMA = 'gosh.surface-manifest.v1';
export const DEFAULT_SURFACE_BUCKET = 'scanner-artifacts';
export const DEFAULT_SURFACE_TENANT = 'default';

export type SurfaceKind = 'layer-fragments' | 'entrytrace-graph' | 'entrytrace-ndjson';

interface SurfaceKindSpec {
  readonly kind: SurfaceKind;
  readonly flag: string;
  readonly env: string;
  readonly ext: string;
  readonly mediaType: string;
  readonly syntax: 'json' | 'ndjson';
}

/** In manifest order. */
export const SURFACE_KINDS: readonly SurfaceKindSpec[] = [
  { kind: 'layer-fragments', flag: 'surface-layer-fragments', env: 'STELLAOPS_SURFACE_LAYER_FRAGMENTS', ext: '.json', mediaType: 'application/json', syntax: 'json' },
  { kind: 'entrytrace-graph', flag: 'surface-entrytrace-graph', env: 'STELLAOPS_SURFACE_ENTRYTRACE_GRAPH', ext: '.json', mediaType: 'application/json', syntax: 'json' },
  { kind: 'entrytrace-ndjson', flag: 'surface-entrytrace-ndjson', env: 'STELLAOPS_SURFACE_ENTRYTRACE_NDJSON', ext: '.ndjson', mediaType: 'application/x-ndjson', syntax: 'ndjson' },
];

/** The settings without a payload of their own, flag → variable (the bucket has no flag). */
export const SURFACE_SETTINGS = {
  cacheRoot: { flag: 'surface-cache-root', env: 'STELLAOPS_SURFACE_CACHE_ROOT' },
  tenant: { flag: 'surface-tenant', env: 'STELLAOPS_SURFACE_TENANT' },
  manifestOutput: { flag: 'surface-manifest-output', env: 'STELLAOPS_SURFACE_MANIFEST_OUTPUT' },
  bucket: { env: 'STELLAOPS_SURFACE_BUCKET' },
} as const;

export const SURFACE_FLAGS: readonly FlagSpec[] = [
  ...SURFACE_KINDS.map((k) => ({ name: k.flag, kind: 'string' as const })),
  { name: SURFACE_SETTINGS.cacheRoot.flag, kind: 'string' },
  { name: SURFACE_SETTINGS.tenant.flag, kind: 'string' },
  { name: SURFACE_SETTINGS.manifestOutput.flag, kind: 'string' },
];

// a path segment that cannot climb or hide: no "/", no leading "."
const TENANT_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
// S3-style bucket names
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A value and where it came from ("--surface-tenant", "STELLAOPS_SURFACE_TENANT", "default"). */
export interface Setting {
  readonly value: string;
  readonly from: string;
}

export interface SurfaceSettings {
  readonly cacheRoot: Setting;
  readonly bucket: Setting;
  readonly tenant: Setting;
  readonly payloads: readonly { readonly spec: SurfaceKindSpec; readonly file: Setting }[];
  readonly manifestOutput?: Setting;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The flag's value, else the variable's (an empty variable counts as unset), else undefined. */
function setting(args: ParsedArgs, env: Env, flag: string | undefined, name: string, who: string): Setting | undefined {
  if (flag !== undefined) {
    const v = stringFlag(args, flag);
    if (v !== undefined) {
      if (v === '') fail('CLI_USAGE', `${who}: --${flag} needs a non-empty value`);
      return { value: v, from: `--${flag}` };
    }
  }
  const e = env[name];
  return e !== undefined && e !== '' ? { value: e, from: name } : undefined;
}

/**
 * The Surface settings of one run, or undefined when no payload was named (by flag or variable).
 * `casRoot` is the command's --cas, the cache root of last resort.
 * @throws GoshError CLI_USAGE for a Surface flag without a payload, no cache root, a malformed
 *   tenant or bucket, or a manifest output that is a directory
 */
export function resolveSurfaceSettings(args: ParsedArgs, env: Env, casRoot: string | undefined, who: string): SurfaceSettings | undefined {
  const payloads = SURFACE_KINDS.flatMap((spec) => {
    const file = setting(args, env, spec.flag, spec.env, who);
    return file === undefined ? [] : [{ spec, file }];
  });
  const given = SURFACE_FLAGS.map((f) => f.name).filter((name) => stringFlag(args, name) !== undefined);
  if (payloads.length === 0) {
    if (given.length > 0) {
      fail('CLI_USAGE', `${who}: --${given[0] ?? ''} without a Surface payload (--${SURFACE_KINDS.map((k) => k.flag).join(', --')} or their STELLAOPS_SURFACE_* variables)`);
    }
    return undefined;
  }
  const cacheRoot = setting(args, env, SURFACE_SETTINGS.cacheRoot.flag, SURFACE_SETTINGS.cacheRoot.env, who) ?? (casRoot !== undefined ? { value: casRoot, from: '--cas' } : undefined);
  if (cacheRoot === undefined) {
    fail('CLI_USAGE', `${who}: Surface payloads need a cache root: --surface-cache-root DIR, ${SURFACE_SETTINGS.cacheRoot.env} or --cas DIR`);
  }
  if (existsSync(cacheRoot.value) && !statSync(cacheRoot.value).isDirectory()) {
    fail('CLI_USAGE', `${who}: the Surface cache root ${JSON.stringify(cacheRoot.value)} (${cacheRoot.from}) is not a directory`);
  }
  const tenant = setting(args, env, SURFACE_SETTINGS.tenant.flag, SURFACE_SETTINGS.tenant.env, who) ?? { value: DEFAULT_SURFACE_TENANT, from: 'default' };
  if (!TENANT_RE.test(tenant.value)) {
    fail('CLI_USAGE', `${who}: tenant ${JSON.stringify(tenant.value)} (${tenant.from}) must be letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  const bucket = setting(args, env, undefined, SURFACE_SETTINGS.bucket.env, who) ?? { value: DEFAULT_SURFACE_BUCKET, from: 'default' };
  if (!BUCKET_RE.test(bucket.value)) {
    fail('CLI_USAGE', `${who}: bucket ${JSON.stringify(bucket.value)} (${bucket.from}) must be 3-63 lowercase letters, digits, "." or "-"`);
  }
  const manifestOutput = setting(args, env, SURFACE_SETTINGS.manifestOutput.flag, SURFACE_SETTINGS.manifestOutput.env, who);
  if (manifestOutput !== undefined && existsSync(manifestOutput.value) && statSync(manifestOutput.value).isDirectory()) {
    fail('CLI_USAGE', `${who}: the Surface manifest output ${JSON.stringify(manifestOutput.value)} (${manifestOutput.from}) is a directory`);
  }
  return { cacheRoot, bucket, tenant, payloads, ...(manifestOutput !== undefined ? { manifestOutput } : {}) };
}

/** Checks a payload's syntax. @throws GoshError OPTION_INVALID located in the file */
function checkPayload(spec: SurfaceKindSpec, file: string, bytes: Uint8Array): void {
  const text = decodeUtf8(file, bytes, 'OPTION_INVALID');
  if (spec.syntax === 'json') {
    parseJsonInput(file, text, 'OPTION_INVALID');
    return;
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) fail('OPTION_INVALID', 'the file is empty (expected NDJSON: one JSON value per line)', { file });
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') fail('OPTION_INVALID', 'invalid NDJSON: empty line', { file, range: lineAt(i + 1) });
    try {
      JSON.parse(line);
    } catch (cause) {
      fail('OPTION_INVALID', `invalid NDJSON: not a JSON value (${cause instanceof Error ? cause.message : String(cause)})`, { file, range: lineAt(i + 1) }, undefined, cause);
    }
  });
}

export interface SurfacePayloadEntry {
  readonly kind: SurfaceKind;
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly uri: string;
}

/** What the descriptor records of a Surface run. */
export interface SurfaceReference {
  readonly tenant: string;
  readonly manifest: { readonly uri: string; readonly digest: Digest; readonly size: number };
}

export interface SurfacePlan {
  /** absolute cache root */
  readonly root: string;
  readonly payloads: readonly CasObject[];
  readonly manifest: CasObject;
  readonly manifestText: string;
  /** absolute path of the extra manifest copy */
  readonly manifestOutput?: string;
  readonly reference: SurfaceReference;
}

const casUri = (relPath: string): string => `cas://${relPath}`;

/**
 * Reads and checks every payload and builds the manifest; writes nothing.
 * @throws GoshError OPTION_INVALID for a payload that cannot be read or is malformed
 */
export function planSurface(settings: SurfaceSettings, image: string, generator: { readonly name: string; readonly version: string }): SurfacePlan {
  const prefix = `${settings.bucket.value}/scanner/surface/${settings.tenant.value}`;
  const payloads: CasObject[] = [];
  const entries: SurfacePayloadEntry[] = [];
  for (const { spec, file } of settings.payloads) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file.value);
    } catch (cause) {
      return fail('OPTION_INVALID', `cannot read the ${spec.kind} payload ${JSON.stringify(file.value)} (${file.from}): ${cause instanceof Error ? cause.message : String(cause)}`, {}, undefined, cause);
    }
    checkPayload(spec, file.value, bytes);
    const object = casObject(`${prefix}/${spec.kind}`, bytes, spec.ext);
    payloads.push(object);
    entries.push({ kind: spec.kind, mediaType: spec.mediaType, digest: object.digest, size: bytes.byteLength, uri: casUri(object.relPath) });
  }
  const manifestText = `${canonicalJson(
    {
      schema: SURFACE_MANIFEST_SCHEMA,
      generator: { name: generator.name, version: generator.version },
      casLayoutVersion: CAS_LAYOUT_VERSION,
      tenant: settings.tenant.value,
      image,
      payloads: entries,
    },
    2,
  )}\n`;
  const manifest = casObject(`${prefix}/manifests`, Buffer.from(manifestText, 'utf8'), '.json');
  return {
    root: resolve(settings.cacheRoot.value),
    payloads,
    manifest,
    manifestText,
    ...(settings.manifestOutput !== undefined ? { manifestOutput: resolve(settings.manifestOutput.value) } : {}),
    reference: {
      tenant: settings.tenant.value,
      manifest: { uri: casUri(manifest.relPath), digest: manifest.digest, size: manifest.bytes.byteLength },
    },
  };
}

/** Stores the payloads, then the manifest, then its copy. @throws GoshError CAS_WRITE */
export function writeSurface(plan: SurfacePlan): void {
  ensureDirectory(plan.root, 'the Surface cache root');
  for (const object of plan.payloads) writeCasObject(plan.root, object);
  writeCasObject(plan.root, plan.manifest);
  if (plan.manifestOutput !== undefined) writeFileAtomic(plan.manifestOutput, plan.manifest.bytes, 'the Surface manifest');
}
