import { posix } from 'node:path';

/** Cleans `p` against `parent` like BuildKit's system.NormalizePath; the result is absolute. */
export function normalizePath(parent: string, p: string, keepTrailingSlash = false): string {
  const joined = p.startsWith('/') ? p : posix.join(parent === '' ? '/' : parent, p);
  let cleaned = posix.normalize(`/${joined}`);
  if (cleaned.length > 1 && cleaned.endsWith('/')) cleaned = cleaned.slice(0, -1);
  if (keepTrailingSlash && (p.endsWith('/') || p.endsWith('/.')) && cleaned !== '/') cleaned += '/';
  return cleaned;
}

/**
 * True when a context-relative source path climbs out of the context. BuildKit clamps such
 * paths to the context root silently; we refuse them instead (a hermetic build must not
 * suggest it reads outside its context).
 */
export function escapesContext(src: string): boolean {
  const parts = src.split('/');
  let depth = 0;
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      depth--;
      if (depth < 0) return true;
    } else {
      depth++;
    }
  }
  return false;
}

/** local.followpaths: sorted, relative, dropped entirely once the root is used. */
export function followPaths(paths: Iterable<string>): string[] | undefined {
  const out = new Set<string>();
  for (const p of paths) {
    if (p === '/') return undefined;
    out.add(posix.normalize(p).replace(/^\/+/, '') || '.');
  }
  if (out.size === 0) return undefined;
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
