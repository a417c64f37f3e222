/** An OCI platform; the lowercase JSON field names of image configs and indexes. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

const ARCH_ALIASES: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  x86: '386',
  i386: '386',
  aarch64: 'arm64',
  armhf: 'arm',
  armel: 'arm',
};

/**
 * Parses "os/arch[/variant]" (or a bare "arch") and normalizes it the way containerd's
 * platforms.Normalize does: arm64/v8 loses its variant, plain arm becomes arm/v7.
 * Returns undefined for a malformed specifier.
 */
export function parsePlatform(spec: string): Platform | undefined {
  const parts = spec.trim().toLowerCase().split('/');
  if (parts.some((p) => p === '' || !/^[a-z0-9_.-]+$/.test(p))) return undefined;
  let os: string;
  let arch: string;
  let variant: string | undefined;
  if (parts.length === 1) {
    os = 'linux';
    arch = parts[0] as string;
  } else if (parts.length === 2 || parts.length === 3) {
    os = parts[0] as string;
    arch = parts[1] as string;
    variant = parts[2];
  } else {
    return undefined;
  }
  return normalizePlatform({ os, architecture: arch, ...(variant !== undefined ? { variant } : {}) });
}

export function normalizePlatform(p: Platform): Platform {
  const architecture = ARCH_ALIASES[p.architecture] ?? p.architecture;
  let variant = p.variant;
  if (architecture === 'arm64' && (variant === 'v8' || variant === '8')) variant = undefined;
  if (architecture === 'arm' && variant === undefined) variant = 'v7';
  if (architecture === 'arm' && variant !== undefined && /^\d$/.test(variant)) variant = `v${variant}`;
  if (architecture === 'amd64' && variant === 'v1') variant = undefined;
  return { os: p.os, architecture, ...(variant !== undefined && variant !== '' ? { variant } : {}) };
}

/** "linux/amd64", "linux/arm/v7" */
export function formatPlatform(p: Platform): string {
  return p.variant !== undefined ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

export function samePlatform(a: Platform, b: Platform): boolean {
  return formatPlatform(normalizePlatform(a)) === formatPlatform(normalizePlatform(b));
}

export const LINUX_AMD64: Platform = { os: 'linux', architecture: 'amd64' };
