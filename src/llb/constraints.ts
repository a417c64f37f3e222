import type { Platform } from '../core/platform.js';
import type { SourceFile, SourceRange } from '../core/source.js';

/** Where an op came from, for BuildKit's source map (errors show these lines). */
export interface SourceLocation {
  readonly file: SourceFile;
  /** the language BuildKit shows for the snippet, e.g. "Dockerfile" */
  readonly language?: string;
  readonly ranges: readonly SourceRange[];
}

export interface ProgressGroup {
  readonly id: string;
  readonly name: string;
  readonly weak?: boolean;
}

/**
 * Per-op settings that are not part of the op's own arguments. Only `platform` and
 * `workerConstraints` change the op bytes; the rest becomes OpMetadata or the source map.
 */
export interface OpConstraints {
  readonly platform?: Platform;
  readonly workerConstraints?: readonly string[];
  /** the vertex name shown in progress output (llb.customname) */
  readonly customName?: string;
  /** extra description entries, e.g. com.docker.dockerfile.v1.command */
  readonly description?: Readonly<Record<string, string>>;
  readonly ignoreCache?: boolean;
  readonly progressGroup?: ProgressGroup;
  readonly sourceLocations?: readonly SourceLocation[];
}

export const CUSTOM_NAME_KEY = 'llb.customname'; // client/llb/meta.go WithCustomName

export function mergeConstraints(base: OpConstraints | undefined, over: OpConstraints | undefined): OpConstraints {
  if (base === undefined) return over ?? {};
  if (over === undefined) return base;
  const description = base.description !== undefined || over.description !== undefined
    ? { ...base.description, ...over.description }
    : undefined;
  return {
    ...base,
    ...over,
    ...(description !== undefined ? { description } : {}),
    ...(base.sourceLocations !== undefined || over.sourceLocations !== undefined
      ? { sourceLocations: [...(base.sourceLocations ?? []), ...(over.sourceLocations ?? [])] }
      : {}),
  };
}
