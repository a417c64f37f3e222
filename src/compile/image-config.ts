import type { Platform } from '../core/platform.js';

/** The container part of an OCI image config, with Docker's extensions (JSON field names). */
export interface ContainerConfig {
  readonly User?: string;
  readonly ExposedPorts?: Readonly<Record<string, Record<string, never>>>;
  readonly Env?: readonly string[];
  readonly Entrypoint?: readonly string[] | null;
  readonly Cmd?: readonly string[] | null;
  readonly Volumes?: Readonly<Record<string, Record<string, never>>>;
  readonly WorkingDir?: string;
  readonly Labels?: Readonly<Record<string, string>>;
  readonly StopSignal?: string;
  readonly ArgsEscaped?: boolean;
  readonly Healthcheck?: Readonly<Record<string, unknown>>;
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

/**
 * How many entries of which history array belong to an image (see commitHistory). A symbol:
 * spreads copy it along with `history`, JSON never shows it.
 */
export const HISTORY_LENGTH: unique symbol = Symbol('history length');

interface HistoryLength {
  readonly of: readonly HistoryEntry[];
  readonly length: number;
}

/** An OCI image config as BuildKit's exporter reads it; unknown fields of a base survive. */
export interface ImageConfig {
  readonly [HISTORY_LENGTH]?: HistoryLength;
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
  readonly 'os.version'?: string;
  readonly created?: string;
  readonly author?: string;
  readonly rootfs: { readonly type: string; readonly diff_ids?: readonly string[] };
  readonly history?: readonly HistoryEntry[];
  readonly config: ContainerConfig;
  readonly [extra: string]: unknown;
}

export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
// the comment BuildKit's Dockerfile frontend puts on every history entry it writes
export const HISTORY_COMMENT = 'buildkit.dockerfile.v0';

/** The config of FROM scratch (dockerfile2llb emptyImage). */
export function emptyImageConfig(platform: Platform): ImageConfig {
  return {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant !== undefined ? { variant: platform.variant } : {}),
    rootfs: { type: 'layers' },
    config: { Env: [DEFAULT_PATH_ENV], WorkingDir: '/' },
  };
}

/** A base image's config as a new stage starts from it: `created` dropped, PATH ensured. */
export function baseImageConfig(raw: ImageConfig): ImageConfig {
  const { created: _created, ...rest } = raw;
  const env = raw.config?.Env ?? [];
  const hasPath = env.some((e) => e.split('=', 1)[0] === 'PATH');
  return { ...rest, config: { ...(raw.config ?? {}), Env: hasPath ? env : [...env, DEFAULT_PATH_ENV] } };
}

/** True for an image with no layers (BuildKit then starts from scratch instead of pulling). */
export function hasNoLayers(raw: ImageConfig): boolean {
  if ((raw.rootfs?.diff_ids?.length ?? 0) > 0) return false;
  return imageHistory(raw).every((h) => h.empty_layer === true);
}

/** Patches the container config; a null value removes the field (Go's nil + omitempty). */
export function withConfig(img: ImageConfig, patch: Partial<ContainerConfig>): ImageConfig {
  const config: Record<string, unknown> = { ...img.config, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === null) delete config[k];
  return { ...img, config: config };
}

export interface HistoryCommit {
  readonly createdBy: string;
  /** the instruction produced a filesystem change */
  readonly withLayer: boolean;
  /** the change came from an op of ours (RUN, COPY, ADD): BuildKit appends "# buildkit" */
  readonly fromOp: boolean;
  readonly epochSeconds: number | undefined;
}

// history arrays made by commitHistory, which later commits may extend in place
const ownHistories = new WeakSet<readonly HistoryEntry[]>();

/**
 * Appends a history entry as BuildKit's commitToHistory does. Each instruction appends one, so
 * copying the list every time would be quadratic: the new image shares the array and extends it
 * in place when no other commit has extended it since (`HISTORY_LENGTH` records how much of it
 * is this image's); a second commit on the same image (a fork, such as two stages FROM one)
 * copies. The older image's `history` array then shows later entries too: read history from the
 * newest image of a line (what compileDockerfile returns), or through imageHistory.
 */
export function commitHistory(img: ImageConfig, c: HistoryCommit): ImageConfig {
  const { createdBy, withLayer, fromOp, epochSeconds } = c;
  const entry: HistoryEntry = {
    ...(epochSeconds !== undefined ? { created: new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z') } : {}),
    created_by: fromOp ? `${createdBy} # buildkit` : createdBy,
    comment: HISTORY_COMMENT,
    ...(withLayer ? {} : { empty_layer: true }),
  };
  const current = img.history ?? [];
  const length = ownLength(img, current);
  let history: HistoryEntry[];
  if (ownHistories.has(current) && current.length === length) {
    history = current as HistoryEntry[];
  } else {
    history = current.slice(0, length);
    ownHistories.add(history);
  }
  history.push(entry);
  return { ...img, history, [HISTORY_LENGTH]: { of: history, length: history.length } };
}

/** An image's own history entries (commitHistory may have extended the array it shares). */
export function imageHistory(img: ImageConfig): readonly HistoryEntry[] {
  const history = img.history ?? [];
  const length = ownLength(img, history);
  return length === history.length ? history : history.slice(0, length);
}

function ownLength(img: ImageConfig, history: readonly HistoryEntry[]): number {
  const own = img[HISTORY_LENGTH];
  // a history set by other means than commitHistory is all the image's
  return own !== undefined && own.of === history ? own.length : history.length;
}

/** Sets each KEY=value in order in a copy of an image Env list (a key keeps its first position). */
export function setImageEnvAll(env: readonly string[], pairs: readonly (readonly [string, string])[]): string[] {
  const out = [...env];
  for (const [key, value] of pairs) {
    const prefix = `${key}=`;
    const at = out.findIndex((e) => e.startsWith(prefix) || e === key);
    if (at >= 0) out[at] = `${key}=${value}`;
    else out.push(`${key}=${value}`);
  }
  return out;
}

export function parseEnvEntry(entry: string): [string, string] {
  const eq = entry.indexOf('=');
  return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
}
