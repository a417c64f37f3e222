// The platform part of a vertex name when several platforms are built at once
// (dockerfile2llb prefixCommand, formatTargetPlatform, platformFromEnv): "linux/amd64" plus
// "->arm64" when the stage's TARGET* variables say it builds for another platform.
import { normalizePlatform, parsePlatform, type Platform } from '../core/platform.js';
import type { EnvList } from '../llb/state.js';

/** containerd's platforms.Format: "unknown" without an OS. */
function formatForName(p: Platform): string {
  if (p.os === '') return 'unknown';
  return [p.os, p.architecture, p.variant ?? ''].filter((s) => s !== '').join('/');
}

/** "linux/amd64" or "linux/amd64->arm64" for a stage on `platform` with these env variables. */
export function platformNamePrefix(platform: Platform, env: EnvList): string {
  return formatForName(platform) + crossSuffix(platform, targetFromEnv(env));
}

function crossSuffix(base: Platform, target: Partial<Platform> | undefined): string {
  if (target === undefined) return '';
  const p = normalizePlatform({
    os: target.os !== undefined && target.os !== '' ? target.os : base.os,
    architecture: target.architecture !== undefined && target.architecture !== '' ? target.architecture : base.architecture,
    ...(target.variant !== undefined && target.variant !== '' ? { variant: target.variant } : {}),
  });
  if (p.os === base.os && p.architecture !== base.architecture) return `->${p.variant !== undefined ? `${p.architecture}/${p.variant}` : p.architecture}`;
  if (p.os !== base.os) return `->${formatForName(p)}`;
  return '';
}

/** TARGETPLATFORM when it parses, else TARGETOS/TARGETARCH/TARGETVARIANT, else nothing. */
function targetFromEnv(env: EnvList): Partial<Platform> | undefined {
  let os: string | undefined;
  let architecture: string | undefined;
  let variant: string | undefined;
  for (const [k, v] of env) {
    if (k === 'TARGETPLATFORM') {
      const p = parsePlatform(v);
      if (p !== undefined) return p;
    } else if (k === 'TARGETOS') os = v;
    else if (k === 'TARGETARCH') architecture = v;
    else if (k === 'TARGETVARIANT') variant = v;
  }
  if (os === undefined && architecture === undefined && variant === undefined) return undefined;
  return { ...(os !== undefined ? { os } : {}), ...(architecture !== undefined ? { architecture } : {}), ...(variant !== undefined ? { variant } : {}) };
}
