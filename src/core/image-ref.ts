import { isDigest, type Digest } from './digest.js';

/**
 * A container image reference in Docker's normalized form: `docker.io/library/busybox:latest`,
 * `localhost:5000/app@sha256:…`. Rules from distribution/reference (ParseNormalizedNamed,
 * TagNameOnly), rewritten here.
 */
export interface ImageRef {
  /** registry host, e.g. docker.io, localhost:5000 */
  readonly domain: string;
  /** repository path, e.g. library/busybox */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: Digest;
}

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
const COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DOMAIN_RE = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$|^\[[a-fA-F0-9:]+\](?::[0-9]+)?$/;

export type ImageRefResult = { ok: true; ref: ImageRef } | { ok: false; reason: string };

/** Parses and normalizes a user-written reference; never throws. */
export function parseImageRef(input: string): ImageRefResult {
  if (input === '') return { ok: false, reason: 'empty image reference' };
  let rest = input;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const d = rest.slice(at + 1);
    if (!isDigest(d)) return { ok: false, reason: `invalid digest "${d}"` };
    digest = d;
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG_RE.test(tag)) return { ok: false, reason: `invalid tag "${tag}"` };
  }
  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(slash + 1);
    }
  }
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (!DOMAIN_RE.test(domain)) return { ok: false, reason: `invalid registry "${domain}"` };
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_PREFIX + path;
  if (path !== path.toLowerCase()) return { ok: false, reason: 'repository name must be lowercase' };
  for (const component of path.split('/')) {
    if (!COMPONENT_RE.test(component)) return { ok: false, reason: `invalid reference format "${input}"` };
  }
  if (domain.length + 1 + path.length > 255) return { ok: false, reason: 'repository name must not be more than 255 characters' };
  return { ok: true, ref: { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) } };
}

/** Adds `:latest` when the reference has neither tag nor digest (TagNameOnly). */
export function withDefaultTag(ref: ImageRef): ImageRef {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: 'latest' } : ref;
}

export function formatImageRef(ref: ImageRef): string {
  let out = `${ref.domain}/${ref.path}`;
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}

/** The name without tag or digest: docker.io/library/busybox */
export function imageName(ref: ImageRef): string {
  return `${ref.domain}/${ref.path}`;
}

/** The short form Docker prints: busybox:latest, localhost:5000/app:1 */
export function familiarImageRef(ref: ImageRef): string {
  let name = formatImageRef(ref);
  if (ref.domain === DEFAULT_DOMAIN) {
    name = name.slice(DEFAULT_DOMAIN.length + 1);
    if (name.startsWith(OFFICIAL_PREFIX)) name = name.slice(OFFICIAL_PREFIX.length);
  }
  return name;
}

export function withDigest(ref: ImageRef, digest: Digest): ImageRef {
  return { ...ref, digest };
}
