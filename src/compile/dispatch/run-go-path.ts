// Go's `path` package as RUN --mount uses it (dockerfile2llb/convert_runmount.go,
// convert_secrets.go): the exact results matter because they end up in mount targets,
// selectors and cache IDs, which are part of the op bytes.
import { posix } from 'node:path';

/** path.Clean: lexical cleanup; "" is "."; no trailing slash except for "/". */
export function goPathClean(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** path.Join: the non-empty elements joined with "/" and cleaned; "" when all are empty. */
export function goPathJoin(...parts: readonly string[]): string {
  const kept = parts.filter((p) => p !== '');
  return kept.length === 0 ? '' : goPathClean(kept.join('/'));
}

/** path.Base: the last element; "." for "", "/" for only slashes. */
export function goPathBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
