// Where a crate is downloaded from: a registry `dl` template with cargo's markers
// (doc/src/reference/registry-index.md): {crate} {version} {prefix} {lowerprefix}
// {sha256-checksum}; a template without any marker gets `/{crate}/{version}/download` appended.

/** crates.io's static file server, which cargo's `dl` redirects to; the URL the lock records. */
export const CRATES_IO_DOWNLOAD = 'https://static.crates.io/crates/{crate}/{crate}-{version}.crate';

const MARKERS = ['{crate}', '{version}', '{prefix}', '{lowerprefix}', '{sha256-checksum}'];

/** cargo's index directory prefix: 1, 2, 3/a, ab/cd. */
export function cratePrefix(name: string): string {
  if (name.length <= 2) return String(name.length);
  if (name.length === 3) return `3/${name.slice(0, 1)}`;
  return `${name.slice(0, 2)}/${name.slice(2, 4)}`;
}

/** The template filled in for one crate. */
export function crateDownloadUrl(template: string, name: string, version: string, checksum: string): string {
  const t = MARKERS.some((m) => template.includes(m)) ? template : `${template.replace(/\/+$/, '')}/{crate}/{version}/download`;
  const prefix = cratePrefix(name);
  const values: Readonly<Record<string, string>> = {
    '{crate}': name,
    '{version}': version,
    '{prefix}': prefix,
    '{lowerprefix}': prefix.toLowerCase(),
    '{sha256-checksum}': checksum,
  };
  return t.replace(/\{[a-z0-9-]+\}/g, (m) => values[m] ?? m);
}
