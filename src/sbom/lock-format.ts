// The names gosh-lock-1 gives its own facts inside standard SPDX fields (sbom-lock.md §7).

/** The lock format this gosh reads and writes, recorded as a creator. */
export const LOCK_FORMAT = 'gosh-lock-1';
export const LOCK_CREATOR = `Tool: ${LOCK_FORMAT}`;
/** OTHER external reference: a sub-image's stable hash, sha256:<hex> (authoritative) */
export const STABLE_HASH_REF = 'gosh-stable-hash';
/** OTHER external reference: a sub-image's context-relative Dockerfile path */
export const SUBIMAGE_CONTEXT_REF = 'gosh-subimage-context';

/** A context-relative path: no "./" prefix, no "." or ".." segment, not absolute, not empty. */
export function isContextPath(path: string): boolean {
  return path !== '' && !path.startsWith('/') && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}
