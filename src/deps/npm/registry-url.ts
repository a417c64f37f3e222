// Where an npm tarball is fetched from. The lock keeps the `resolved` URL (what npm asks its cache
// for); a Gosh.yaml mirror replaces the public registry's base, like npm's own
// replace-registry-host, and the checksum pins the bytes wherever they come from.

/** The public registry as package-lock.json records it. */
export const NPM_REGISTRY = 'https://registry.npmjs.org/';

/** `resolved` with the registry base swapped for `mirror` (a registry base URL); other hosts as they are. */
export function npmFetchUrl(resolved: string, mirror: string | undefined): string {
  if (mirror === undefined || !resolved.startsWith(NPM_REGISTRY)) return resolved;
  return `${mirror.replace(/\/+$/, '')}/${resolved.slice(NPM_REGISTRY.length)}`;
}
