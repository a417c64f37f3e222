// Image configs of built images, read from the real OCI bytes (config blob, history included), and
// their normalized form for comparisons.
//
// Where the bytes come from:
// - `--output type=oci,dest=DIR,tar=false` (or a tar) -> readOciImage(DIR);
// - an image in the engine's store (after `--load -t TAG`) -> imageFromStore(TAG), which runs
//   `docker save` (OCI layout with the containerd store) and reads the same blobs.
// `docker image inspect` is not used: it reshapes the config and has no history.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { docker, describeResult } from './buildx.js';
import { readTar } from './tar.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

export interface OciDescriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: { readonly architecture: string; readonly os: string; readonly variant?: string };
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface OciIndex {
  readonly schemaVersion: number;
  readonly mediaType?: string;
  readonly manifests: readonly OciDescriptor[];
}

export interface OciManifest {
  readonly schemaVersion: number;
  readonly mediaType?: string;
  readonly config: OciDescriptor;
  readonly layers: readonly OciDescriptor[];
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface HealthConfig {
  readonly Test?: readonly string[];
  readonly Interval?: number;
  readonly Timeout?: number;
  readonly StartPeriod?: number;
  readonly StartInterval?: number;
  readonly Retries?: number;
}

/** The `config` object of an OCI/Docker image config (Docker's extensions included). */
export interface ImageRunConfig {
  readonly User?: string;
  readonly ExposedPorts?: Readonly<Record<string, object>>;
  readonly Env?: readonly string[];
  readonly Entrypoint?: readonly string[] | null;
  readonly Cmd?: readonly string[] | null;
  readonly Volumes?: Readonly<Record<string, object>> | null;
  readonly WorkingDir?: string;
  readonly Labels?: Readonly<Record<string, string>> | null;
  readonly StopSignal?: string;
  readonly ArgsEscaped?: boolean;
  readonly Healthcheck?: HealthConfig;
  readonly OnBuild?: readonly string[] | null;
  readonly Shell?: readonly string[];
}

export interface HistoryEntry {
  readonly created?: string;
  readonly created_by?: string;
  readonly author?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
}

export interface OciImageConfig {
  readonly created?: string;
  readonly author?: string;
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
  readonly config?: ImageRunConfig;
  /** diff_ids is null in an image without layers (Go's nil slice) */
  readonly rootfs: { readonly type: string; readonly diff_ids: readonly string[] | null };
  readonly history?: readonly HistoryEntry[];
}

export interface OciImage {
  /** os/arch[/variant] */
  readonly platform: string;
  readonly manifestDigest: string;
  readonly manifest: OciManifest;
  readonly configDigest: string;
  readonly config: OciImageConfig;
  /** the config blob exactly as stored */
  readonly configBytes: Buffer;
}

export interface OciAttestationManifest {
  readonly manifestDigest: string;
  readonly manifest: OciManifest;
  /** the image manifest it is about (`vnd.docker.reference.digest`) */
  readonly subject: string | undefined;
}

export interface OciLayout {
  readonly index: OciIndex;
  readonly images: readonly OciImage[];
  readonly attestations: readonly OciAttestationManifest[];
  /** a blob by digest; throws if the layout does not hold it */
  blob(digest: string): Promise<Buffer>;
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

function platformId(p: { architecture: string; os: string; variant?: string }): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (e) {
    throw new Error(`${what}: not JSON`, { cause: e });
  }
}

function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':');
  if (!alg || !hex) throw new Error(`bad digest ${digest}`);
  return `blobs/${alg}/${hex}`;
}

/** Opens an OCI layout: a directory or a tar file (`type=oci` output, `docker save`). */
async function openLayout(path: string): Promise<(name: string) => Promise<Buffer>> {
  if ((await stat(path)).isDirectory()) {
    return async (name) => readFile(join(path, name));
  }
  // small files only (index, manifests, configs); layers are never needed here
  const files = new Map<string, Buffer>();
  for (const rec of await readTar(path, { hash: false, keepContent: (e) => e.size <= 4 << 20 })) {
    if (rec.content) files.set(rec.entry.path, rec.content);
  }
  return (name) => {
    const bytes = files.get(name);
    return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`${path}: no ${name} (or too large)`));
  };
}

/** Reads an OCI layout and every image and attestation manifest it references. */
export async function readOciLayout(path: string): Promise<OciLayout> {
  const read = await openLayout(path);
  const blob = (digest: string): Promise<Buffer> => read(blobPath(digest));
  const index = parseJson<OciIndex>(await read('index.json'), `${path}/index.json`);
  const images: OciImage[] = [];
  const attestations: OciAttestationManifest[] = [];
  const seen = new Set<string>();

  const visit = async (desc: OciDescriptor): Promise<void> => {
    if (seen.has(desc.digest)) return;
    seen.add(desc.digest);
    if (INDEX_TYPES.has(desc.mediaType)) {
      const child = parseJson<OciIndex>(await blob(desc.digest), `index ${desc.digest}`);
      for (const d of child.manifests) await visit(d);
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await blob(desc.digest);
    } catch (e) {
      // docker save may leave out attestation blobs it does not hold; images must be there
      if (desc.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return;
      throw e;
    }
    const manifest = parseJson<OciManifest>(bytes, `manifest ${desc.digest}`);
    if (desc.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') {
      attestations.push({
        manifestDigest: desc.digest,
        manifest,
        subject: desc.annotations['vnd.docker.reference.digest'],
      });
      return;
    }
    const configBytes = await blob(manifest.config.digest);
    const config = parseJson<OciImageConfig>(configBytes, `config ${manifest.config.digest}`);
    images.push({
      platform: platformId(desc.platform ?? config),
      manifestDigest: desc.digest,
      manifest,
      configDigest: manifest.config.digest,
      config,
      configBytes,
    });
  };
  for (const d of index.manifests) await visit(d);
  return { index, images, attestations, blob };
}

/**
 * The one image of an OCI layout (directory or tar). With several platforms, `platform`
 * ("linux/amd64") picks one; otherwise more than one image is an error.
 */
export async function readOciImage(path: string, options: { platform?: string } = {}): Promise<OciImage> {
  const { images } = await readOciLayout(path);
  const matching = options.platform ? images.filter((i) => i.platform === options.platform) : images;
  if (matching.length !== 1) {
    const found = images.map((i) => i.platform).join(', ') || 'none';
    throw new Error(`${path}: expected one image${options.platform ? ` for ${options.platform}` : ''}, found ${found}`);
  }
  return matching[0]!;
}

/** An image from the engine's store (e.g. after `--load -t tag`), through `docker save`. */
export async function imageFromStore(ref: string, options: { platform?: string } = {}): Promise<OciImage> {
  const dir = await makeTempDir('save');
  try {
    const tar = join(dir, 'image.tar');
    const result = await docker(['save', '--output', tar, ref]);
    if (result.exitCode !== 0) throw new Error(`docker save ${ref} failed\n${describeResult(result)}`);
    return await readOciImage(tar, options);
  } finally {
    await removeTempDir(dir);
  }
}

/** What the differential test compares of an image config; absent fields are null. */
export interface NormalizedImageConfig {
  readonly platform: string;
  readonly config: {
    readonly Env: readonly string[] | null;
    readonly Cmd: readonly string[] | null;
    readonly Entrypoint: readonly string[] | null;
    readonly WorkingDir: string | null;
    readonly User: string | null;
    /** keys sorted */
    readonly Labels: Readonly<Record<string, string>> | null;
    /** the port keys, sorted ("80/tcp") */
    readonly ExposedPorts: readonly string[] | null;
    /** the volume paths, sorted */
    readonly Volumes: readonly string[] | null;
    readonly StopSignal: string | null;
    readonly Healthcheck: HealthConfig | null;
    readonly Shell: readonly string[] | null;
    readonly OnBuild: readonly string[] | null;
    readonly ArgsEscaped: boolean | null;
  };
  /** one entry per history item: what it ran and whether it made a layer */
  readonly history: readonly { readonly created_by: string; readonly empty_layer: boolean }[];
  /** number of layers (rootfs.diff_ids) */
  readonly layers: number;
}

function sortedKeys(o: Readonly<Record<string, unknown>> | null | undefined): string[] | null {
  return o ? Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : null;
}

/** Normalizes a config for comparison: fixed key set, sorted maps, no times, no digests. */
export function normalizeImageConfig(image: OciImageConfig): NormalizedImageConfig {
  const c = image.config ?? {};
  const labelKeys = sortedKeys(c.Labels);
  const health = c.Healthcheck
    ? Object.fromEntries(
        Object.entries(c.Healthcheck).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      )
    : null;
  return {
    platform: platformId(image),
    config: {
      Env: c.Env ?? null,
      Cmd: c.Cmd ?? null,
      Entrypoint: c.Entrypoint ?? null,
      WorkingDir: c.WorkingDir ?? null,
      User: c.User ?? null,
      Labels: labelKeys && c.Labels ? Object.fromEntries(labelKeys.map((k) => [k, c.Labels![k]!])) : null,
      ExposedPorts: sortedKeys(c.ExposedPorts),
      Volumes: sortedKeys(c.Volumes),
      StopSignal: c.StopSignal ?? null,
      Healthcheck: health,
      Shell: c.Shell ?? null,
      OnBuild: c.OnBuild ?? null,
      ArgsEscaped: c.ArgsEscaped ?? null,
    },
    history: (image.history ?? []).map((h) => ({
      created_by: h.created_by ?? '',
      empty_layer: h.empty_layer ?? false,
    })),
    layers: image.rootfs.diff_ids?.length ?? 0,
  };
}
