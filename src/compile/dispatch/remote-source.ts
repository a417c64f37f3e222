// What a COPY/ADD source string means when it is not a context path: a git repository
// (BuildKit's util/gitutil ParseGitRef, which the Dockerfile frontend asks first) or an
// http(s) URL and the file name BuildKit gives its download. Both lean on Go's net/url, so
// the small part of url.Parse they depend on is modelled here.

/** The pieces of a URL as Go's url.Parse returns them (path and fragment unescaped). */
interface GoUrl {
  readonly scheme: string;
  readonly host: string;
  readonly path: string;
  /** undefined when the URL has no `#` */
  readonly fragment: string | undefined;
  /** the URL without its fragment, what BuildKit passes to git as the remote */
  readonly withoutFragment: string;
}

/** A git source as ParseGitRef reads it. */
export interface GitRef {
  /** the remote with its scheme (`https://host/repo.git`) or scp-like (`git@host:repo.git`) */
  readonly remote: string;
  /** `ssh` for scp-like and ssh:// remotes, else the URL scheme */
  readonly scheme: string;
  /** host (with port) and path: the git source identifier without `git://` */
  readonly identifier: string;
  /** branch, tag or commit after `#`; '' when not given */
  readonly commit: string;
  /** the part after `#ref:`; '' when not given */
  readonly subdir: string;
}

const SUPPORTED_PROTOCOLS = new Set(['http', 'https', 'ssh', 'git']);
const PROTOCOL = /^[a-zA-Z0-9]+:\/\//;
// util/sshutil: user@host:path[#fragment]
const SCP_STYLE = /^([a-zA-Z0-9-_]+)@([a-zA-Z0-9-.]+):(.*?)(?:#(.*))?$/s;

/** `http://` or `https://` (case-sensitive, as BuildKit checks it). */
export function isHttpSource(src: string): boolean {
  return src.startsWith('http://') || src.startsWith('https://');
}

/**
 * The git repository `src` names, or undefined when BuildKit would not treat it as git:
 * scp-like `user@host:path`, `git://`/`ssh://` URLs, and http(s) URLs (or bare `host/path`)
 * whose path ends in `.git`. `github.com/…` without a scheme stays a local path, as do
 * `./` and `../` paths.
 */
export function parseGitRef(src: string): GitRef | undefined {
  if (src.startsWith('./') || src.startsWith('../') || src.startsWith('github.com/')) return undefined;
  let url: GoUrl | undefined;
  let scheme: string;
  const proto = PROTOCOL.exec(src)?.[0];
  if (proto !== undefined) {
    scheme = proto.slice(0, -3).toLowerCase();
    if (!SUPPORTED_PROTOCOLS.has(scheme)) return undefined;
    url = parseGoUrl(src);
  } else {
    const scp = SCP_STYLE.exec(src);
    if (scp !== null) return scpGitRef(scp);
    scheme = 'https';
    url = parseGoUrl(`https://${src}`);
  }
  if (url === undefined) return undefined;
  if ((scheme === 'http' || scheme === 'https') && !url.path.endsWith('.git')) return undefined;
  const { commit, subdir } = splitFragment(url.fragment ?? '');
  return { remote: url.withoutFragment, scheme, identifier: url.host + cleanAbsolute(url.path), commit, subdir };
}

function scpGitRef(m: RegExpExecArray): GitRef {
  const [, user, host, path, fragment] = m as unknown as [string, string, string, string, string | undefined];
  const { commit, subdir } = splitFragment(fragment ?? '');
  return { remote: `${user}@${host}:${path}`, scheme: 'ssh', identifier: host + cleanAbsolute(path), commit, subdir };
}

function splitFragment(fragment: string): { commit: string; subdir: string } {
  const colon = fragment.indexOf(':');
  return colon < 0 ? { commit: fragment, subdir: '' } : { commit: fragment.slice(0, colon), subdir: fragment.slice(colon + 1) };
}

/**
 * The file name ADD gives a downloaded URL: the last element of the URL's path, or
 * `__unnamed__` when the path has none or the URL does not parse (BuildKit's dispatchCopy).
 */
export function httpFilename(url: string): string {
  const parsed = parseGoUrl(url);
  if (parsed === undefined) return '__unnamed__';
  const base = goPathBase(parsed.path);
  return base === '.' || base === '/' ? '__unnamed__' : base;
}

/** Go's path.Base. */
function goPathBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Go's path.Join("/", p): absolute and cleaned. */
function cleanAbsolute(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/**
 * The part of Go's url.Parse these rules need, for a string that starts with `scheme://`.
 * undefined where Go returns an error: control characters, bad `%` escapes, a non-numeric
 * port, characters not allowed in user info.
 */
function parseGoUrl(raw: string): GoUrl | undefined {
  if (/[\x00-\x1f\x7f]/.test(raw)) return undefined;
  const hash = raw.indexOf('#');
  const withoutFragment = hash < 0 ? raw : raw.slice(0, hash);
  const fragment = hash < 0 ? undefined : unescapePercent(raw.slice(hash + 1));
  if (fragment === null) return undefined;
  const sep = withoutFragment.indexOf('://');
  const scheme = withoutFragment.slice(0, sep).toLowerCase();
  let rest = withoutFragment.slice(sep + 3);
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const rawPath = slash < 0 ? '' : rest.slice(slash);
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo) || unescapePercent(userinfo) === null) return undefined;
  }
  const host = at < 0 ? authority : authority.slice(at + 1);
  if (!isValidHost(host)) return undefined;
  const path = unescapePercent(rawPath);
  if (path === null) return undefined;
  return { scheme, host, path, fragment, withoutFragment };
}

function isValidHost(host: string): boolean {
  let port: string;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return false;
    port = host.slice(close + 1);
    if (port !== '' && !port.startsWith(':')) return false;
  } else {
    const colon = host.lastIndexOf(':');
    port = colon < 0 ? '' : host.slice(colon);
  }
  if (port !== '' && !/^:\d*$/.test(port)) return false;
  // ASCII outside these is refused in a host name (net/url shouldEscape, encodeHost)
  if (/[^\x80-\u{10ffff}A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"%]/u.test(host)) return false;
  return unescapePercent(host) !== null;
}

/** Percent-decoding that fails (null) on a malformed escape, as Go's url.unescape does. */
function unescapePercent(s: string): string | null {
  if (!s.includes('%')) return s;
  if (/%(?![0-9A-Fa-f]{2})/.test(s)) return null;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const cp = s.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      bytes.push(...encoder.encode(ch));
      i += ch.length - 1;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
