import { compareUtf8 } from '../core/canonical.js';
import type { Platform } from '../core/platform.js';
import type { OpConstraints } from './constraints.js';
import type { Output, Vertex } from './vertex.js';

// attr keys from solver/pb/attr.go
export const ATTR_IMAGE_RESOLVE_MODE = 'image.resolvemode';
export const ATTR_IMAGE_RECORD_TYPE = 'image.recordtype';
export const ATTR_IMAGE_LAYER_LIMIT = 'image.layerlimit';
export const ATTR_LOCAL_SESSION = 'local.session';
export const ATTR_LOCAL_SHARED_KEY_HINT = 'local.sharedkeyhint';
export const ATTR_LOCAL_INCLUDE_PATTERNS = 'local.includepattern';
export const ATTR_LOCAL_EXCLUDE_PATTERNS = 'local.excludepatterns';
export const ATTR_LOCAL_FOLLOW_PATHS = 'local.followpaths';
export const ATTR_LOCAL_DIFFER = 'local.differ';
export const ATTR_HTTP_CHECKSUM = 'http.checksum';
export const ATTR_HTTP_FILENAME = 'http.filename';
export const ATTR_HTTP_PERM = 'http.perm';
export const ATTR_HTTP_UID = 'http.uid';
export const ATTR_HTTP_GID = 'http.gid';
export const ATTR_GIT_FULL_URL = 'git.fullurl';
export const ATTR_GIT_KEEP_GIT_DIR = 'git.keepgitdir';
export const ATTR_GIT_AUTH_TOKEN_SECRET = 'git.authtokensecret';
export const ATTR_GIT_AUTH_HEADER_SECRET = 'git.authheadersecret';
export const ATTR_GIT_KNOWN_SSH_HOSTS = 'git.knownsshhosts';
export const ATTR_GIT_MOUNT_SSH_SOCK = 'git.mountsshsock';
export const ATTR_OCI_SESSION = 'oci.session';
export const ATTR_OCI_STORE = 'oci.store';

export type ResolveMode = 'default' | 'pull' | 'local';

function sourceVertex(
  identifier: string,
  attrs: Readonly<Record<string, string>>,
  platformSpecific: boolean,
  caps: readonly string[],
  constraints: OpConstraints,
): Output {
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(attrs).sort(compareUtf8)) sorted[k] = attrs[k] as string;
  const vertex: Vertex = {
    inputs: [],
    body: { source: { identifier, attrs: sorted } },
    platformSpecific,
    constraints,
    caps,
  };
  return { vertex, index: 0 };
}

export interface ImageSourceOptions {
  readonly resolveMode?: ResolveMode;
  readonly recordType?: string;
  readonly layerLimit?: number;
  readonly platform?: Platform;
  readonly constraints?: OpConstraints;
}

/** docker-image://<ref>; `ref` must already be normalized (docker.io/library/busybox:latest). */
export function imageSource(ref: string, options: ImageSourceOptions = {}): Output {
  const attrs: Record<string, string> = {};
  if (options.resolveMode !== undefined && options.resolveMode !== 'default') attrs[ATTR_IMAGE_RESOLVE_MODE] = options.resolveMode;
  if (options.recordType !== undefined) attrs[ATTR_IMAGE_RECORD_TYPE] = options.recordType;
  if (options.layerLimit !== undefined) attrs[ATTR_IMAGE_LAYER_LIMIT] = String(options.layerLimit);
  const constraints = { ...options.constraints, ...(options.platform !== undefined ? { platform: options.platform } : {}) };
  const caps = ['source.image', ...(options.resolveMode !== undefined && options.resolveMode !== 'default' ? ['source.image.resolvemode'] : []), ...(options.layerLimit !== undefined ? ['source.image.layerlimit'] : [])];
  return sourceVertex(`docker-image://${ref}`, attrs, true, caps, constraints);
}

export interface LocalSourceOptions {
  /** the client session; required for BuildKit to find the directory */
  readonly sessionId?: string;
  readonly sharedKeyHint?: string;
  readonly includePatterns?: readonly string[];
  readonly excludePatterns?: readonly string[];
  readonly followPaths?: readonly string[];
  readonly differ?: 'none' | 'metadata';
  readonly constraints?: OpConstraints;
}

/** local://<name>: a directory the client sends. No random local.unique: our sessions key it. */
export function localSource(name: string, options: LocalSourceOptions = {}): Output {
  const attrs: Record<string, string> = {};
  const caps = ['source.local'];
  if (options.sessionId !== undefined) {
    attrs[ATTR_LOCAL_SESSION] = options.sessionId;
    caps.push('source.local.sessionid');
  }
  if (options.sharedKeyHint !== undefined) {
    attrs[ATTR_LOCAL_SHARED_KEY_HINT] = options.sharedKeyHint;
    caps.push('source.local.sharedkeyhint');
  }
  if (options.includePatterns !== undefined && options.includePatterns.length > 0) {
    attrs[ATTR_LOCAL_INCLUDE_PATTERNS] = JSON.stringify(options.includePatterns);
    caps.push('source.local.includepatterns');
  }
  if (options.excludePatterns !== undefined && options.excludePatterns.length > 0) {
    attrs[ATTR_LOCAL_EXCLUDE_PATTERNS] = JSON.stringify(options.excludePatterns);
    caps.push('source.local.excludepatterns');
  }
  if (options.followPaths !== undefined && options.followPaths.length > 0) {
    attrs[ATTR_LOCAL_FOLLOW_PATHS] = JSON.stringify(options.followPaths);
    caps.push('source.local.followpaths');
  }
  if (options.differ !== undefined) {
    attrs[ATTR_LOCAL_DIFFER] = options.differ;
    caps.push('source.local.differ');
  }
  return sourceVertex(`local://${name}`, attrs, false, caps, options.constraints ?? {});
}

export interface HttpSourceOptions {
  /** "sha256:<hex>"; BuildKit fails the op when the download differs */
  readonly checksum?: string;
  readonly filename?: string;
  /** file mode of the downloaded file, e.g. 0o644 */
  readonly perm?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly constraints?: OpConstraints;
}

/** http(s)://…: one file, written at the result root. */
export function httpSource(url: string, options: HttpSourceOptions = {}): Output {
  const attrs: Record<string, string> = {};
  const caps = [url.startsWith('https://') ? 'source.https' : 'source.http'];
  if (options.checksum !== undefined) {
    attrs[ATTR_HTTP_CHECKSUM] = options.checksum;
    caps.push('source.http.checksum');
  }
  if (options.filename !== undefined) attrs[ATTR_HTTP_FILENAME] = options.filename;
  if (options.perm !== undefined) {
    attrs[ATTR_HTTP_PERM] = `0${options.perm.toString(8)}`;
    caps.push('source.http.perm');
  }
  if (options.uid !== undefined) attrs[ATTR_HTTP_UID] = String(options.uid);
  if (options.gid !== undefined) attrs[ATTR_HTTP_GID] = String(options.gid);
  if (options.uid !== undefined || options.gid !== undefined) caps.push('soruce.http.uidgid'); // sic, upstream spelling
  return sourceVertex(url, attrs, false, caps, options.constraints ?? {});
}

export interface GitSourceOptions {
  /** branch, tag or commit */
  readonly ref?: string;
  readonly subdir?: string;
  /** the real remote with its scheme, when it differs from https://<remote> */
  readonly fullUrl?: string;
  readonly keepGitDir?: boolean;
  readonly authTokenSecret?: string;
  readonly authHeaderSecret?: string;
  readonly knownSshHosts?: string;
  readonly mountSshSock?: string;
  readonly constraints?: OpConstraints;
}

/** git://<host/path>[#ref[:subdir]]; `remote` is host plus path, without scheme. */
export function gitSource(remote: string, options: GitSourceOptions = {}): Output {
  let id = `git://${remote}`;
  if (options.ref !== undefined || options.subdir !== undefined) {
    id += `#${options.ref ?? ''}`;
    if (options.subdir !== undefined) id += `:${options.subdir}`;
  }
  const attrs: Record<string, string> = {};
  const caps = ['source.git'];
  if (options.fullUrl !== undefined) {
    attrs[ATTR_GIT_FULL_URL] = options.fullUrl;
    caps.push('source.git.fullurl');
  }
  if (options.keepGitDir === true) {
    attrs[ATTR_GIT_KEEP_GIT_DIR] = 'true';
    caps.push('source.git.keepgitdir');
  }
  if (options.authTokenSecret !== undefined) attrs[ATTR_GIT_AUTH_TOKEN_SECRET] = options.authTokenSecret;
  if (options.authHeaderSecret !== undefined) attrs[ATTR_GIT_AUTH_HEADER_SECRET] = options.authHeaderSecret;
  if (options.knownSshHosts !== undefined) attrs[ATTR_GIT_KNOWN_SSH_HOSTS] = options.knownSshHosts;
  if (options.mountSshSock !== undefined) attrs[ATTR_GIT_MOUNT_SSH_SOCK] = options.mountSshSock;
  if (options.subdir !== undefined) caps.push('source.git.subdir');
  return sourceVertex(id, attrs, false, caps, options.constraints ?? {});
}

export interface OciLayoutSourceOptions {
  readonly sessionId?: string;
  readonly storeId?: string;
  readonly layerLimit?: number;
  readonly platform?: Platform;
  readonly constraints?: OpConstraints;
}

/** oci-layout://<name>@<digest> from a client-side OCI layout store. */
export function ociLayoutSource(refWithDigest: string, options: OciLayoutSourceOptions = {}): Output {
  const attrs: Record<string, string> = {};
  if (options.sessionId !== undefined) attrs[ATTR_OCI_SESSION] = options.sessionId;
  if (options.storeId !== undefined) attrs[ATTR_OCI_STORE] = options.storeId;
  if (options.layerLimit !== undefined) attrs['oci.layerlimit'] = String(options.layerLimit);
  const constraints = { ...options.constraints, ...(options.platform !== undefined ? { platform: options.platform } : {}) };
  return sourceVertex(`oci-layout://${refWithDigest}`, attrs, true, ['source.ocilayout'], constraints);
}
