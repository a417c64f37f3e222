import { compareUtf8 } from '../core/canonical.js';
import { fail } from '../core/errors.js';
import { parsePlatform, type Platform } from '../core/platform.js';
import { readFirstCsvRecord } from './csv-record.js';
import { canonicalIp } from './host-ip.js';

// Option keys as BuildKit's Dockerfile frontend reads them (frontend/dockerui/config.go,
// frontend/dockerui/namedcontext.go, frontend/attestations/parse.go).
export const OPT_FILENAME = 'filename';
export const OPT_DOCKERFILE_KEY = 'dockerfilekey';
export const OPT_CONTEXT_KEY = 'contextkey';
/** the default option holding a remote (git or http) context URL; `contextkey` renames it */
export const OPT_CONTEXT = 'context';
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
export const BUILD_ARG_CONTEXT_KEEP_GIT_DIR = 'BUILDKIT_CONTEXT_KEEP_GIT_DIR';

const DEFAULT_FILENAME = 'Dockerfile';
const DEFAULT_DOCKERFILE_KEY = 'dockerfile';

export type ImageResolveMode = 'default' | 'pull' | 'local';
export type NetworkModeOption = 'sandbox' | 'none' | 'host';

/** The executor's proxy variables (pb.ProxyEnv) */
export interface ProxyEnvOption {
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  readonly ftpProxy?: string;
  readonly noProxy?: string;
  readonly allProxy?: string;
}

/** One cache source for Solve (controlapi.CacheOptionsEntry). */
export interface CacheImportOption {
  readonly type: string;
  readonly attrs: Readonly<Record<string, string>>;
}

/** What one build was asked to do, typed. Maps are key-sorted for determinism. */
export interface BuildOptions {
  readonly filename: string;
  readonly dockerfileKey: string;
  /** `dockerfilekey` was given: the Dockerfile always comes from that local, never from inputs */
  readonly forceLocalDockerfile: boolean;
  /** the value of the option `contextkey` names (default `context`): a git or http(s) URL */
  readonly remoteContext?: string;
  /** `contextsubdir`, applied to a remote or input context */
  readonly contextSubdir?: string;
  /** build-arg BUILDKIT_CONTEXT_KEEP_GIT_DIR: keep .git of a git context */
  readonly keepGitDir: boolean;
  readonly target?: string;
  readonly platforms: readonly Platform[];
  readonly multiPlatform: boolean;
  readonly buildArgs: ReadonlyMap<string, string>;
  readonly labels: ReadonlyMap<string, string>;
  readonly imageResolveMode: ImageResolveMode;
  /**
   * undefined: cache as usual; empty set: no cache for every stage; else those stage names,
   * lowercased (BuildKit compares them ignoring case; "" stands for unnamed stages)
   */
  readonly noCache?: ReadonlySet<string>;
  readonly extraHosts: readonly { readonly host: string; readonly ip: string }[];
  readonly networkMode: NetworkModeOption;
  readonly hostname?: string;
  /** /dev/shm size for RUN steps, in bytes (0: the runtime default) */
  readonly shmSizeBytes: number;
  readonly ulimits: readonly { readonly name: string; readonly soft: number; readonly hard: number }[];
  readonly cgroupParent?: string;
  /** `context:<name>[::<platform>]` → value, keyed by what follows `context:` */
  readonly namedContexts: ReadonlyMap<string, string>;
  /** `input-metadata:<input>` → its raw JSON */
  readonly inputMetadata: ReadonlyMap<string, string>;
  /** `cache-imports` then the legacy `cache-from` registry refs, for every Solve */
  readonly cacheImports: readonly CacheImportOption[];
  readonly requestId?: string;
  readonly frontendCaps: readonly string[];
  readonly attests: ReadonlyMap<string, string>;
  readonly sourceDateEpoch?: number;
  readonly cacheMountNamespace?: string;
  /**
   * proxy build args (http_proxy, https_proxy, ftp_proxy, no_proxy, all_proxy, any case), declared
   * or not: every RUN gets them as the exec's proxy env (dockerfile2llb proxyEnvFromBuildArgs)
   */
  readonly proxyEnv?: ProxyEnvOption;
  /** keys we read nothing from (BuildKit ignores unknown options; we only report them) */
  readonly ignoredKeys: readonly string[];
}

const KNOWN_KEYS = new Set([
  OPT_FILENAME, OPT_DOCKERFILE_KEY, OPT_CONTEXT_KEY, OPT_CONTEXT, OPT_CONTEXT_SUBDIR, OPT_TARGET, OPT_PLATFORM, OPT_MULTI_PLATFORM,
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
  const inputMetadata = new Map<string, string>();
  const attests = new Map<string, string>();
  const ignoredKeys: string[] = [];
  for (const key of [...opts.keys()].sort(compareUtf8)) {
    const value = opts.get(key) ?? '';
    if (key.startsWith(PREFIX_BUILD_ARG)) buildArgs.set(key.slice(PREFIX_BUILD_ARG.length), value);
    else if (key.startsWith(PREFIX_LABEL)) labels.set(key.slice(PREFIX_LABEL.length), value);
    else if (key.startsWith(PREFIX_CONTEXT)) namedContexts.set(key.slice(PREFIX_CONTEXT.length), value);
    else if (key.startsWith(PREFIX_INPUT_METADATA)) inputMetadata.set(key.slice(PREFIX_INPUT_METADATA.length), value);
    else if (key.startsWith(PREFIX_ATTEST)) attests.set(key.slice(PREFIX_ATTEST.length), value);
    else if (!KNOWN_KEYS.has(key) && !KNOWN_PREFIXES.some((p) => key.startsWith(p))) ignoredKeys.push(key);
  }

  const platforms: Platform[] = [];
  for (const spec of (get(OPT_PLATFORM) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const p = parsePlatform(spec);
    if (p === undefined) fail('OPTION_INVALID', `failed to parse target platform ${spec}`);
    platforms.push(p);
  }

  const resolveMode = nonEmpty(get(OPT_IMAGE_RESOLVE_MODE)) ?? 'default';
  if (resolveMode !== 'default' && resolveMode !== 'pull' && resolveMode !== 'local') {
    fail('OPTION_INVALID', `invalid ${OPT_IMAGE_RESOLVE_MODE}: ${resolveMode} (want default, pull or local)`);
  }

  const network = get(OPT_FORCE_NETWORK_MODE) ?? 'sandbox';
  if (network !== 'sandbox' && network !== 'none' && network !== 'host' && network !== '') {
    fail('OPTION_INVALID', `invalid ${OPT_FORCE_NETWORK_MODE} "${network}" (want sandbox, none or host)`);
  }

  const multiPlatform = parseMultiPlatform(nonEmpty(buildArgs.get(BUILD_ARG_MULTI_PLATFORM)) ?? get(OPT_MULTI_PLATFORM), platforms.length);
  const noCacheRaw = get(OPT_NO_CACHE);
  const sourceDateEpoch = parseSourceDateEpoch(buildArgs.get(BUILD_ARG_SOURCE_DATE_EPOCH) ?? '');
  const target = get(OPT_TARGET);
  // BUILDKIT_SANDBOX_HOSTNAME overrides the hostname option (dockerui/config.go)
  const hostname = nonEmpty(buildArgs.get(BUILD_ARG_SANDBOX_HOSTNAME)) ?? get(OPT_HOSTNAME);
  const shmRaw = get(OPT_SHM_SIZE) ?? '';
  if (shmRaw !== '' && !/^\d+$/.test(shmRaw)) fail('OPTION_INVALID', `invalid ${OPT_SHM_SIZE} "${shmRaw}" (want a size in bytes)`);
  const cgroupParent = get(OPT_CGROUP_PARENT);
  const requestId = get(OPT_REQUEST_ID);
  const cacheNs = buildArgs.get(BUILD_ARG_CACHE_MOUNT_NS);
  const proxyEnv = parseProxyEnv(buildArgs);
  const remoteContext = get(get(OPT_CONTEXT_KEY) ?? OPT_CONTEXT);
  const contextSubdir = get(OPT_CONTEXT_SUBDIR);

  return {
    filename: nonEmpty(get(OPT_FILENAME)) ?? DEFAULT_FILENAME,
    dockerfileKey: nonEmpty(get(OPT_DOCKERFILE_KEY)) ?? DEFAULT_DOCKERFILE_KEY,
    forceLocalDockerfile: opts.has(OPT_DOCKERFILE_KEY),
    ...(nonEmpty(remoteContext) !== undefined ? { remoteContext: remoteContext as string } : {}),
    ...(contextSubdir !== undefined ? { contextSubdir } : {}),
    keepGitDir: parseBool(buildArgs.get(BUILD_ARG_CONTEXT_KEEP_GIT_DIR), BUILD_ARG_CONTEXT_KEEP_GIT_DIR, false) ?? false,
    ...(nonEmpty(target) !== undefined ? { target: target as string } : {}),
    platforms,
    multiPlatform,
    buildArgs,
    labels,
    imageResolveMode: resolveMode,
    // dockerui splits on "," without trimming: "a," also names the unnamed stages ("")
    ...(noCacheRaw !== undefined ? { noCache: new Set(noCacheRaw === '' ? [] : noCacheRaw.split(',').map((s) => s.toLowerCase())) } : {}),
    extraHosts: parseExtraHosts(get(OPT_ADD_HOSTS) ?? ''),
    networkMode: network === '' ? 'sandbox' : network,
    ...(nonEmpty(hostname) !== undefined ? { hostname: hostname as string } : {}),
    shmSizeBytes: shmRaw === '' ? 0 : Number(shmRaw),
    ulimits: parseUlimits(get(OPT_ULIMIT) ?? ''),
    ...(nonEmpty(cgroupParent) !== undefined ? { cgroupParent: cgroupParent as string } : {}),
    namedContexts,
    inputMetadata,
    cacheImports: parseCacheImports(get(OPT_CACHE_IMPORTS) ?? '', get(OPT_CACHE_FROM) ?? ''),
    ...(nonEmpty(requestId) !== undefined ? { requestId: requestId as string } : {}),
    frontendCaps: (get(OPT_FRONTEND_CAPS) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    attests,
    ...(sourceDateEpoch !== undefined ? { sourceDateEpoch } : {}),
    ...(cacheNs !== undefined ? { cacheMountNamespace: cacheNs } : {}),
    ...(proxyEnv !== undefined ? { proxyEnv } : {}),
    ignoredKeys,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

const PROXY_ARGS: Readonly<Record<string, keyof ProxyEnvOption>> = {
  http_proxy: 'httpProxy',
  https_proxy: 'httpsProxy',
  ftp_proxy: 'ftpProxy',
  no_proxy: 'noProxy',
  all_proxy: 'allProxy',
};

/**
 * The proxy build args, matched ignoring case; present even when empty. When two spellings are
 * given (HTTP_PROXY and http_proxy) BuildKit keeps whichever its map iteration sees last; we
 * keep the last in sorted key order, the lowercase one.
 */
function parseProxyEnv(buildArgs: ReadonlyMap<string, string>): ProxyEnvOption | undefined {
  const out: Record<string, string> = {};
  let found = false;
  for (const [key, value] of buildArgs) {
    const field = PROXY_ARGS[key.toLowerCase()];
    if (field === undefined) continue;
    out[field] = value;
    found = true;
  }
  return found ? out : undefined;
}

/** Go's strconv.ParseBool; `strict` false turns a malformed value into undefined (ignored). */
function parseBool(v: string | undefined, key: string, strict = true): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return strict ? fail('OPTION_INVALID', `invalid boolean value for ${key}: ${v}`) : undefined;
}

/**
 * `multi-platform` (build-arg BUILDKIT_MULTI_PLATFORM wins when set): several platforms always
 * mean a multi-platform result, and saying false then is a conflict (dockerui/config.go).
 */
function parseMultiPlatform(v: string | undefined, platformCount: number): boolean {
  const several = platformCount > 1;
  const b = parseBool(v, OPT_MULTI_PLATFORM);
  if (b === undefined) return several;
  if (!b && several) fail('OPTION_INVALID', 'conflicting config: returning multiple target platforms is not allowed');
  return b;
}

/** Seconds as strconv.ParseInt reads them; the range a JSON timestamp (years 0–9999) allows. */
function parseSourceDateEpoch(v: string): number | undefined {
  if (v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) fail('OPTION_INVALID', `invalid ${BUILD_ARG_SOURCE_DATE_EPOCH}: ${v}`);
  const n = Number(v);
  if (n < -62135596800 || n > 253402300799) fail('OPTION_INVALID', `invalid ${BUILD_ARG_SOURCE_DATE_EPOCH}: ${v} (year outside of range [0,9999])`);
  return n;
}

/**
 * "h1=10.0.0.1,h2=::1": one CSV record of host=ip, lowercased as a whole; each IP must parse
 * and is written the way Go prints it (dockerui/attr.go parseExtraHosts).
 */
function parseExtraHosts(v: string): { host: string; ip: string }[] {
  if (v === '') return [];
  const record = readFirstCsvRecord(v);
  if (!record.ok) fail('OPTION_INVALID', `failed to parse additional hosts: ${record.error}`);
  const out: { host: string; ip: string }[] = [];
  for (const field of record.fields) {
    const lower = field.toLowerCase();
    const eq = lower.indexOf('=');
    if (eq < 0) fail('OPTION_INVALID', `failed to parse additional hosts: invalid key-value pair ${lower}`);
    const ip = canonicalIp(lower.slice(eq + 1));
    if (ip === undefined) fail('OPTION_INVALID', `failed to parse additional hosts: failed to parse IP ${lower.slice(eq + 1)}`);
    out.push({ host: lower.slice(0, eq), ip });
  }
  return out;
}

/** `cache-imports` JSON ([{Type, Attrs}]) followed by one registry import per `cache-from` ref. */
function parseCacheImports(json: string, legacy: string): CacheImportOption[] {
  const out: CacheImportOption[] = [];
  if (json !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      return fail('OPTION_INVALID', `failed to unmarshal ${OPT_CACHE_IMPORTS} (${JSON.stringify(json)})`, {}, undefined, e);
    }
    if (parsed !== null && !Array.isArray(parsed)) fail('OPTION_INVALID', `failed to unmarshal ${OPT_CACHE_IMPORTS} (${JSON.stringify(json)}): want an array`);
    for (const entry of (parsed ?? []) as unknown[]) {
      const e = (entry ?? {}) as { Type?: unknown; Attrs?: unknown };
      const attrs = e.Attrs ?? {};
      const valid = (e.Type === undefined || typeof e.Type === 'string') && typeof attrs === 'object' && attrs !== null && !Array.isArray(attrs) && Object.values(attrs).every((x) => typeof x === 'string');
      if (!valid) fail('OPTION_INVALID', `failed to unmarshal ${OPT_CACHE_IMPORTS} (${JSON.stringify(json)}): want [{"Type":"…","Attrs":{…}}]`);
      out.push({ type: (e.Type as string | undefined) ?? '', attrs: attrs as Record<string, string> });
    }
  }
  if (legacy !== '') for (const ref of legacy.split(',')) out.push({ type: 'registry', attrs: { ref } });
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
