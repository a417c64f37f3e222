// Named contexts (`--build-context name=value`, the frontend options `context:<name>` and
// `context:<name>::<platform>`) as BuildKit v0.13.2's Dockerfile frontend finds and reads them
// (frontend/dockerui/namedcontext.go, dockerfile2llb/convert.go toDispatchState). Pure: which
// stage or image a context replaces and what its value means. What needs the gateway (image
// configs, .dockerignore of a local directory, frontend inputs) is fetched by frontend/ and
// comes back as NamedContextData.
import { fail } from '../core/errors.js';
import { isDigest, type Digest } from '../core/digest.js';
import { familiarImageRef, parseImageRef, withDefaultTag, formatImageRef, imageName, type ImageRef } from '../core/image-ref.js';
import { formatPlatform, normalizePlatform, type Platform } from '../core/platform.js';
import type { SourceRange } from '../core/source.js';
import type { Output } from '../llb/vertex.js';
import type { ImageConfig } from './image-config.js';
import type { BuildPlan, PlannedStage } from './plan.js';

/** What a named context's value says the context is. */
export type NamedContextSource =
  /** docker-image://<ref>: an image, resolved with ResolveImageConfig */
  | { readonly kind: 'image'; readonly ref: string; readonly normalizedRef: string }
  /** docker-image://scratch */
  | { readonly kind: 'scratch' }
  /** a git repository (git://, git@, or an http(s) URL that is a git remote) */
  | { readonly kind: 'git'; readonly url: string }
  /** an http(s) download: one file at the root */
  | { readonly kind: 'http'; readonly url: string }
  /** oci-layout://<store>@<digest>: an image from a client-side OCI layout */
  | { readonly kind: 'oci-layout'; readonly storeId: string; readonly ref: string; readonly digest: Digest }
  /** local:<name>: a directory the client sends, with its own .dockerignore */
  | { readonly kind: 'local'; readonly localName: string }
  /** input:<name>: a Definition passed to the frontend (gateway Inputs) */
  | { readonly kind: 'input'; readonly inputName: string };

/** One named context a compile needs, for one platform. */
export interface NamedContextRequest {
  /** NamedContextData is looked up by this */
  readonly key: string;
  /** the option value, e.g. "docker-image://busybox:local" */
  readonly value: string;
  /** the lookup name with the platform when `context:<name>::<platform>` matched: progress names use it */
  readonly nameWithPlatform: string;
  readonly source: NamedContextSource;
  /** the platform BuildKit asks for (undefined: the default) */
  readonly platform?: Platform;
}

/** What frontend/ fetched for a request; sources that need nothing (git, http, scratch) have none. */
export type NamedContextData =
  | { readonly kind: 'image'; readonly ref: string; readonly digest?: Digest; readonly config: ImageConfig }
  | { readonly kind: 'oci-layout'; readonly config: ImageConfig }
  | { readonly kind: 'local'; readonly excludePatterns: readonly string[] }
  | { readonly kind: 'input'; readonly output: Output | undefined; readonly config?: ImageConfig };

/** A stage a named context takes over: the whole stage (by its AS name) or its base image. */
export interface NamedContextUse {
  readonly stageIndex: number;
  /** true: `FROM … AS <name>` is replaced and its instructions never run */
  readonly replacesStage: boolean;
  readonly request: NamedContextRequest;
  /** where BuildKit reports errors of an image-base context (unlocated for stage names) */
  readonly range?: SourceRange;
}

// image names dockerui never looks up as contexts
const NEVER_CONTEXTS = new Set(['scratch', 'context']);

/**
 * The name a context is looked up by: the familiar reference without ":latest", so
 * `busybox`, `busybox:latest` and `docker.io/library/busybox` all find `context:busybox`.
 * @throws GoshError OPTION_INVALID when the name is no valid reference (BuildKit fails the same way)
 */
export function contextLookupName(name: string): string {
  const parsed = parseImageRef(name);
  if (!parsed.ok) return fail('OPTION_INVALID', `invalid context name ${name}: invalid reference format`);
  const familiar = familiarImageRef(parsed.ref);
  return familiar.endsWith(':latest') ? familiar.slice(0, -':latest'.length) : familiar;
}

/** The matching option: `<name>::<platform>` first, then `<name>` (dockerui NamedContext). */
export function findNamedContext(
  contexts: ReadonlyMap<string, string>,
  name: string,
  platform: Platform | undefined,
  defaultPlatform: Platform,
): { nameWithPlatform: string; value: string } | undefined {
  const withPlatform = `${name}::${formatPlatform(normalizePlatform(platform ?? defaultPlatform))}`;
  for (const key of [withPlatform, name]) {
    const value = contexts.get(key);
    if (value !== undefined) return { nameWithPlatform: key, value };
  }
  return undefined;
}

/**
 * Reads a context value: `<kind>:<rest>` with the kinds dockerui knows.
 * @throws GoshError OPTION_INVALID with BuildKit's message for a value it refuses
 */
export function parseNamedContextValue(value: string, nameWithPlatform: string, name: string): NamedContextSource {
  const colon = value.indexOf(':');
  if (colon < 0) fail('OPTION_INVALID', `invalid context specifier ${value} for ${nameWithPlatform}`);
  let kind = value.slice(0, colon);
  const rest = value.slice(colon + 1);
  // git@host:repo without a scheme is accepted for SSH remotes
  if (kind.startsWith('git@')) kind = 'git';
  switch (kind) {
    case 'docker-image': {
      const ref = rest.startsWith('//') ? rest.slice(2) : rest;
      if (ref === 'scratch') return { kind: 'scratch' };
      const parsed = parseImageRef(ref);
      if (!parsed.ok) fail('OPTION_INVALID', `invalid reference format: ${parsed.reason} (context ${nameWithPlatform}=${value})`);
      return { kind: 'image', ref, normalizedRef: formatImageRef(withDefaultTag(parsed.ref)) };
    }
    case 'git':
      return { kind: 'git', url: value };
    case 'http':
    case 'https':
      return { kind: 'http', url: value };
    case 'oci-layout':
      return ociLayoutSource(rest.startsWith('//') ? rest.slice(2) : rest, name);
    case 'local':
      return { kind: 'local', localName: rest };
    case 'input':
      return { kind: 'input', inputName: rest };
    default:
      return fail('OPTION_INVALID', `unsupported context source ${kind} for ${nameWithPlatform}`);
  }
}

/**
 * oci-layout://<store>[:tag]@<digest>: the store id is the reference's name as written (not
 * normalized); the source names the image `<context name>@<digest>` for progress output.
 */
function ociLayoutSource(refSpec: string, name: string): NamedContextSource {
  const at = refSpec.lastIndexOf('@');
  const digest = at >= 0 ? refSpec.slice(at + 1) : '';
  const named = at >= 0 ? refSpec.slice(0, at) : refSpec;
  if (named === '') fail('OPTION_INVALID', `oci-layout reference "${refSpec}" has no name`);
  if (!isDigest(digest)) fail('OPTION_INVALID', `oci-layout reference "${refSpec}" has no digest`);
  // the name part without a tag (reference.Named.Name())
  const lastSlash = named.lastIndexOf('/');
  const tagColon = named.lastIndexOf(':');
  const storeId = tagColon > lastSlash ? named.slice(0, tagColon) : named;
  const dummy = parseImageRef(name);
  if (!dummy.ok) fail('OPTION_INVALID', `could not parse oci-layout reference "${name}"`);
  return { kind: 'oci-layout', storeId, ref: `${imageName(dummy.ref)}@${digest}`, digest };
}

export interface NamedContextScope {
  /** `context:*` options, keyed by what follows `context:` */
  readonly contexts: ReadonlyMap<string, string>;
  /** the target platform of this compile, undefined when none was asked for */
  readonly explicitTarget: Platform | undefined;
  /** the platform stages default to (the explicit target or the worker's) */
  readonly targetPlatform: Platform;
  /** the frontend's own platform, for `<name>::<platform>` when no platform is known */
  readonly defaultPlatform: Platform;
  readonly file: string;
}

/**
 * Every stage a named context replaces, in stage order: named stages first by their AS name,
 * then image bases (file stages and the ones made for `COPY --from`/`RUN --mount from=`).
 * BuildKit looks them up for all stages, reachable or not, so a bad value fails any build.
 * @throws GoshError OPTION_INVALID for an invalid stage name or context value
 */
export function namedContextUses(plan: BuildPlan, fileStageCount: number, scope: NamedContextScope): NamedContextUse[] {
  const uses: NamedContextUse[] = [];
  for (const planned of plan.stages) {
    const byName = planned.index < fileStageCount ? stageNameUse(planned, scope) : undefined;
    if (byName !== undefined) {
      uses.push(byName);
      continue;
    }
    if (planned.base.kind !== 'image') continue;
    const request = lookup(formatImageRef(planned.base.ref), planned.platform ?? scope.targetPlatform, scope);
    if (request !== undefined) uses.push({ stageIndex: planned.index, replacesStage: false, request, range: planned.stage.from.range });
  }
  return uses;
}

function stageNameUse(planned: PlannedStage, scope: NamedContextScope): NamedContextUse | undefined {
  const name = planned.stage.name;
  if (name === undefined || NEVER_CONTEXTS.has(name.toLowerCase())) return undefined;
  const request = lookup(name, planned.platform ?? scope.explicitTarget, scope);
  return request !== undefined ? { stageIndex: planned.index, replacesStage: true, request } : undefined;
}

function lookup(rawName: string, platform: Platform | undefined, scope: NamedContextScope): NamedContextRequest | undefined {
  const name = contextLookupName(rawName);
  const found = findNamedContext(scope.contexts, name, platform, scope.defaultPlatform);
  if (found === undefined) return undefined;
  const source = parseNamedContextValue(found.value, found.nameWithPlatform, name);
  return {
    key: namedContextKey(found.nameWithPlatform, platform),
    value: found.value,
    nameWithPlatform: found.nameWithPlatform,
    source,
    ...(platform !== undefined ? { platform } : {}),
  };
}

/** The key of a request's data: the option it matched and the platform it is read for. */
export function namedContextKey(nameWithPlatform: string, platform: Platform | undefined): string {
  return `${nameWithPlatform} ${platform !== undefined ? formatPlatform(platform) : '-'}`;
}

/** The ref an image context's source op names: the resolved one, normalized with a tag. */
export function contextImageRef(resolved: string): string {
  const parsed = parseImageRef(resolved);
  return parsed.ok ? formatImageRef(withDefaultTag(parsed.ref)) : resolved;
}

export type { ImageRef };
