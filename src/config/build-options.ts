import { compareUtf8 } from '../core/canonical.js';
import { fail } from '../core/errors.js';
import { parsePlatform, type Platform } from '../core/platform.js';

// Option keys as BuildKit's Dockerfile frontend reads them (frontend/dockerui/config.go,
// frontend/dockerui/namedcontext.go, frontend/attestations/parse.go).
export const OPT_FILENAME = 'filename';
export const OPT_DOCKERFILE_KEY = 'dockerfilekey';
export const OPT_CONTEXT_KEY = 'contextkey';
export const OPT_CONTEXT_SUBDIR = 'contextsubdir';
export const OPT_TARGET = 'target';
export const OPT_PLATFORM = 'platform';
export const OPT_MULTI_PLATFORM = 'multi-platform';
export const OPT_IMAGE_RESOLVE_MODE = 'image-resolve-mode';
export const OPT_NO_CACHE = 'no-cache';
export const OPT_ADD_HOSTS = 'add-hosts';
export const OPT_FORCE_NETWORK_MODE = 'force-network-mode';
export const OPT_HOSTNAME = 'hostname';
export const OPT_SHM_SIZE = 'shm-size';
export const OPT_ULIMIT = 'ulimit';
export const OPT_CGROUP_PARENT = 'cgroup-parent';
export const OPT_REQUEST_ID = 'requestid';
export const OPT_FRONTEND_CAPS = 'frontend.caps';
export const OPT_CACHE_IMPORTS = 'cache-imports';
export const OPT_CACHE_FROM = 'cache-from';
export const OPT_CMDLINE = 'cmdline';
export const OPT_SOURCE = 'source';
export const PREFIX_BUILD_ARG = 'build-arg:';
export const PREFIX_LABEL = 'label:';
export const PREFIX_CONTEXT = 'context:';
export const PREFIX_INPUT_METADATA = 'input-metadata:';
export const PREFIX_ATTEST = 'attest:';
export const PREFIX_VCS = 'vcs:';
export const BUILD_ARG_MULTI_PLATFORM = 'BUILDKIT_MULTI_PLATFORM';
export const BUILD_ARG_CACHE_MOUNT_NS = 'BUILDKIT_CACHE_MOUNT_NS';
export const BUILD_ARG_SOURCE_DATE_EPOCH = 'SOURCE_DATE_EPOCH';
export const BUILD_ARG_SYNTAX = 'BUILDKIT_SYNTAX';
export const BUILD_ARG_SANDBOX_HOSTNAME = 'BUILDKIT_SANDBOX_HOSTNAME';

const DEFAULT_FILENAME = 'Dockerfile';
const DEFAULT_DOCKERFILE_KEY = 'dockerfile';

export type ImageResolveMode = 'default' | 'pull' | 'local';
export type NetworkModeOption = 'sandbox' | 'none' | 'host';

/** What one build was asked to do, typed. Maps are key-sorted for determinism. */
export interface BuildOptions {
  readonly filename: string;
  readonly dockerfileKey: string;
  readonly target?: string;
  readonly platforms: readonly Platform[];
  readonly multiPlatform: boolean;
  readonly buildArgs: ReadonlyMap<string, string>;
  readonly labels: ReadonlyMap<string, string>;
  readonly imageResolveMode: ImageResolveMode;
  /** undefined: cache as usual; empty set: no cache for every stage; else those stage names */
  readonly noCache?: ReadonlySet<string>;
  readonly extraHosts: readonly { readonly host: string; readonly ip: string }[];
  readonly networkMode: NetworkModeOption;
  readonly hostname?: string;
  /** /dev/shm size for RUN steps, in bytes (0: the runtime default) */
  readonly shmSizeBytes: number;
  readonly ulimits: readonly { readonly name: string; readonly soft: number; readonly hard: number }[];
  readonly cgroupParent?: string;
  readonly namedContexts: ReadonlyMap<string, string>;
  readonly requestId?: string;
  readonly frontendCaps: readonly string[];
  readonly attests: ReadonlyMap<string, string>;
  readonly sourceDateEpoch?: number;
  readonly cacheMountNamespace?: string;
  /** keys we read nothing from (BuildKit ignores unknown options; we only report them) */
  readonly ignoredKeys: readonly string[];
}

const KNOWN_KEYS = new Set([
  OPT_FILENAME, OPT_DOCKERFILE_KEY, OPT_CONTEXT_KEY, OPT_CONTEXT_SUBDIR, OPT_TARGET, OPT_PLATFORM, OPT_MULTI_PLATFORM,
  OPT_IMAGE_RESOLVE_MODE, OPT_NO_CACHE, OPT_ADD_HOSTS, OPT_FORCE_NETWORK_MODE, OPT_HOSTNAME, OPT_SHM_SIZE, OPT_ULIMIT,
  OPT_CGROUP_PARENT, OPT_REQUEST_ID, OPT_FRONTEND_CAPS, OPT_CACHE_IMPORTS, OPT_CACHE_FROM, OPT_CMDLINE, OPT_SOURCE,
]);
const KNOWN_PREFIXES = [PREFIX_BUILD_ARG, PREFIX_LABEL, PREFIX_CONTEXT, PREFIX_INPUT_METADATA, PREFIX_ATTEST, PREFIX_VCS];

/** Reads BUILDKIT_FRONTEND_OPT_<n>=key=value pairs from an environment into an options map. */
export function frontendOptsFromEnv(env: Readonly<Record<string, string | undefined>>): Map<string, string> {
  const opts = new Map<string, string>();
  const keys = Object.keys(env).filter((k) => k.startsWith('BUILDKIT_FRONTEND_OPT_')).sort(compareUtf8);
  for (const k of keys) {
    const raw = env[k] ?? '';
    const eq = raw.indexOf('=');
    if (eq < 0) opts.set(raw, '');
    else opts.set(raw.slice(0, eq), raw.slice(eq + 1));
  }
  return opts;
}

/**
 * Types the frontend options once, at the edge.
 * @throws GoshError OPTION_INVALID for a malformed value of an option we read
 */
export function parseBuildOptions(opts: ReadonlyMap<string, string>): BuildOptions {
  const get = (k: string): string | undefined => opts.get(k);
  const buildArgs = new Map<string, string>();
  const labels = new Map<string, string>();
  const namedContexts = new Map<string, string>();
  const attests = new Map<string, string>();
  const ignoredKeys: string[] = [];
  for (const key of [...opts.keys()].sort(compareUtf8)) {
    const value = opts.get(key) ?? '';
    if (key.startsWith(PREFIX_BUILD_ARG)) buildArgs.set(key.slice(PREFIX_BUILD_ARG.length), value);
    else if (key.startsWith(PREFIX_LABEL)) labels.set(key.slice(PREFIX_LABEL.length), value);
    else if (key.startsWith(PREFIX_CONTEXT)) namedContexts.set(key.slice(PREFIX_CONTEXT.length), value);
    else if (key.startsWith(PREFIX_ATTEST)) attests.set(key.slice(PREFIX_ATTEST.length), value);
    else if (!KNOWN_KEYS.has(key) && !KNOWN_PREFIXES.some((p) => key.startsWith(p))) ignoredKeys.push(key);
  }

  const platforms: Platform[] = [];
  for (const spec of (get(OPT_PLATFORM) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const p = parsePlatform(spec);
    if (p === undefined) fail('OPTION_INVALID', `invalid platform "${spec}" in option ${OPT_PLATFORM}`);
    platforms.push(p);
  }

  const resolveMode = get(OPT_IMAGE_RESOLVE_MODE) ?? 'default';
  if (resolveMode !== 'default' && resolveMode !== 'pull' && resolveMode !== 'local') {
    fail('OPTION_INVALID', `invalid ${OPT_IMAGE_RESOLVE_MODE} "${resolveMode}" (want default, pull or local)`);
  }

  const network = get(OPT_FORCE_NETWORK_MODE) ?? 'sandbox';
  if (network !== 'sandbox' && network !== 'none' && network !== 'host' && network !== '') {
    fail('OPTION_INVALID', `invalid ${OPT_FORCE_NETWORK_MODE} "${network}" (want sandbox, none or host)`);
  }

  const multi = parseBool(get(OPT_MULTI_PLATFORM) ?? buildArgs.get(BUILD_ARG_MULTI_PLATFORM), OPT_MULTI_PLATFORM);
  const noCacheRaw = get(OPT_NO_CACHE);
  const epochRaw = buildArgs.get(BUILD_ARG_SOURCE_DATE_EPOCH);
  let sourceDateEpoch: number | undefined;
  if (epochRaw !== undefined && epochRaw !== '') {
    if (!/^\d+$/.test(epochRaw)) fail('OPTION_INVALID', `invalid ${BUILD_ARG_SOURCE_DATE_EPOCH} "${epochRaw}" (want seconds since the epoch)`);
    sourceDateEpoch = Number(epochRaw);
  }
  const target = get(OPT_TARGET);
  // BUILDKIT_SANDBOX_HOSTNAME overrides the hostname option (dockerui/config.go)
  const hostname = nonEmpty(buildArgs.get(BUILD_ARG_SANDBOX_HOSTNAME)) ?? get(OPT_HOSTNAME);
  const shmRaw = get(OPT_SHM_SIZE) ?? '';
  if (shmRaw !== '' && !/^\d+$/.test(shmRaw)) fail('OPTION_INVALID', `invalid ${OPT_SHM_SIZE} "${shmRaw}" (want a size in bytes)`);
  const cgroupParent = get(OPT_CGROUP_PARENT);
  const requestId = get(OPT_REQUEST_ID);
  const cacheNs = buildArgs.get(BUILD_ARG_CACHE_MOUNT_NS);

  return {
    filename: nonEmpty(get(OPT_FILENAME)) ?? DEFAULT_FILENAME,
    dockerfileKey: nonEmpty(get(OPT_DOCKERFILE_KEY)) ?? DEFAULT_DOCKERFILE_KEY,
    ...(nonEmpty(target) !== undefined ? { target: target as string } : {}),
    platforms,
    multiPlatform: multi ?? platforms.length > 1,
    buildArgs,
    labels,
    imageResolveMode: resolveMode,
    ...(noCacheRaw !== undefined ? { noCache: new Set(noCacheRaw.split(',').map((s) => s.trim()).filter((s) => s !== '')) } : {}),
    extraHosts: parseExtraHosts(get(OPT_ADD_HOSTS) ?? ''),
    networkMode: network === '' ? 'sandbox' : network,
    ...(nonEmpty(hostname) !== undefined ? { hostname: hostname as string } : {}),
    shmSizeBytes: shmRaw === '' ? 0 : Number(shmRaw),
    ulimits: parseUlimits(get(OPT_ULIMIT) ?? ''),
    ...(nonEmpty(cgroupParent) !== undefined ? { cgroupParent: cgroupParent as string } : {}),
    namedContexts,
    ...(nonEmpty(requestId) !== undefined ? { requestId: requestId as string } : {}),
    frontendCaps: (get(OPT_FRONTEND_CAPS) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    attests,
    ...(sourceDateEpoch !== undefined ? { sourceDateEpoch } : {}),
    ...(cacheNs !== undefined ? { cacheMountNamespace: cacheNs } : {}),
    ignoredKeys,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function parseBool(v: string | undefined, key: string): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return fail('OPTION_INVALID', `invalid boolean "${v}" for ${key}`);
}

/** "h1=10.0.0.1,h2=::1" (buildx also sends host:ip) */
function parseExtraHosts(v: string): { host: string; ip: string }[] {
  const out: { host: string; ip: string }[] = [];
  for (const item of v.split(/[,\s]+/).filter((s) => s !== '')) {
    const eq = item.indexOf('=');
    const sep = eq >= 0 ? eq : item.indexOf(':');
    if (sep <= 0) fail('OPTION_INVALID', `invalid ${OPT_ADD_HOSTS} entry "${item}" (want host=ip)`);
    out.push({ host: item.slice(0, sep), ip: item.slice(sep + 1) });
  }
  return out;
}

// names docker/go-units accepts in a ulimit
const ULIMIT_NAMES = new Set(['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack']);

/** "nofile=1024:2048,nproc=512" (a CSV record of name=soft[:hard]) */
function parseUlimits(v: string): { name: string; soft: number; hard: number }[] {
  const out: { name: string; soft: number; hard: number }[] = [];
  for (const field of v.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(field);
    if (m === null || !ULIMIT_NAMES.has(m[1] as string)) fail('OPTION_INVALID', `invalid ${OPT_ULIMIT} "${field}" (want name=soft[:hard])`);
    const soft = Number(m[2]);
    const hard = m[3] !== undefined ? Number(m[3]) : soft;
    if (soft > hard && hard !== -1) fail('OPTION_INVALID', `invalid ${OPT_ULIMIT} "${field}": soft limit above hard limit`);
    out.push({ name: m[1] as string, soft, hard });
  }
  return out;
}
