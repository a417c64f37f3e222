import type { OpConstraints } from './constraints.js';
import { dedupedInputIndex, type Output, type Vertex } from './vertex.js';

/** A user or group: by numeric id, or by name looked up in the target's /etc/passwd|group. */
export type UserRef = { readonly id: number } | { readonly name: string };

export interface Owner {
  readonly user?: UserRef;
  readonly group?: UserRef;
}

export type FileAction =
  | {
      readonly kind: 'mkdir';
      readonly path: string;
      readonly mode: number;
      readonly makeParents?: boolean;
      readonly owner?: Owner;
      /** ns since the epoch; -1/undefined keeps the current time */
      readonly timestampNs?: number;
    }
  | {
      readonly kind: 'mkfile';
      readonly path: string;
      readonly mode: number;
      readonly data: Uint8Array;
      readonly owner?: Owner;
      readonly timestampNs?: number;
    }
  | { readonly kind: 'rm'; readonly path: string; readonly allowNotFound?: boolean; readonly allowWildcard?: boolean }
  | {
      readonly kind: 'copy';
      /** where the files come from; undefined = scratch */
      readonly source: Output | undefined;
      readonly src: string;
      readonly dest: string;
      readonly owner?: Owner;
      /** file mode to force; undefined keeps the source modes */
      readonly mode?: number;
      readonly followSymlink?: boolean;
      readonly dirCopyContents?: boolean;
      readonly attemptUnpackDockerCompatibility?: boolean;
      readonly createDestPath?: boolean;
      readonly allowWildcard?: boolean;
      readonly allowEmptyWildcard?: boolean;
      readonly timestampNs?: number;
      readonly includePatterns?: readonly string[];
      readonly excludePatterns?: readonly string[];
    };

/**
 * One FileOp applying `actions` in order to `base` (undefined = scratch): each action takes
 * the previous action's result, and only the last one is an output. Owners given by name are
 * looked up in `base`, as BuildKit's llb does.
 */
export function fileOp(base: Output | undefined, actions: readonly FileAction[], constraints: OpConstraints = {}): Output {
  if (actions.length === 0) throw new Error('fileOp needs at least one action');
  const inputs: Output[] = [];
  const baseIndex = base !== undefined ? dedupedInputIndex(inputs, base) : -1;
  const caps = new Set<string>(['file.base']);
  // secondary inputs must be known before relative indexes (len(inputs)+k) can be computed
  const secondary = actions.map((a) => (a.kind === 'copy' && a.source !== undefined ? dedupedInputIndex(inputs, a.source) : -1));
  const pbActions = actions.map((action, k) => {
    const input = k === 0 ? baseIndex : inputs.length + (k - 1);
    const output = k === actions.length - 1 ? 0 : -1;
    return { input, secondaryInput: secondary[k] as number, output, ...actionBody(action, baseIndex, caps) };
  });
  const vertex: Vertex = { inputs, body: { file: { actions: pbActions } }, platformSpecific: false, constraints, caps: [...caps].sort() };
  return { vertex, index: 0 };
}

function actionBody(action: FileAction, baseIndex: number, caps: Set<string>): Record<string, unknown> {
  switch (action.kind) {
    case 'mkdir':
      return {
        mkdir: {
          path: action.path,
          mode: action.mode,
          makeParents: action.makeParents === true,
          ...owner(action.owner, baseIndex),
          timestamp: action.timestampNs ?? -1,
        },
      };
    case 'mkfile':
      return {
        mkfile: {
          path: action.path,
          mode: action.mode,
          data: action.data,
          ...owner(action.owner, baseIndex),
          timestamp: action.timestampNs ?? -1,
        },
      };
    case 'rm':
      if (action.allowWildcard === true) caps.add('file.rm.wildcard');
      return { rm: { path: action.path, allowNotFound: action.allowNotFound === true, allowWildcard: action.allowWildcard === true } };
    case 'copy':
      if ((action.includePatterns?.length ?? 0) > 0 || (action.excludePatterns?.length ?? 0) > 0) {
        caps.add('file.copy.includeexcludepatterns');
      }
      return {
        copy: {
          src: action.src,
          dest: action.dest,
          ...owner(action.owner, baseIndex),
          mode: action.mode ?? -1,
          followSymlink: action.followSymlink === true,
          dirCopyContents: action.dirCopyContents === true,
          attemptUnpackDockerCompatibility: action.attemptUnpackDockerCompatibility === true,
          createDestPath: action.createDestPath === true,
          allowWildcard: action.allowWildcard === true,
          allowEmptyWildcard: action.allowEmptyWildcard === true,
          timestamp: action.timestampNs ?? -1,
          includePatterns: [...(action.includePatterns ?? [])],
          excludePatterns: [...(action.excludePatterns ?? [])],
        },
      };
  }
}

function owner(o: Owner | undefined, baseIndex: number): Record<string, unknown> {
  if (o === undefined) return {};
  const user = (u: UserRef | undefined): Record<string, unknown> | undefined => {
    if (u === undefined) return undefined;
    return 'id' in u ? { byID: u.id } : { byName: { name: u.name, input: baseIndex } };
  };
  const chown: Record<string, unknown> = {};
  const pu = user(o.user);
  const pg = user(o.group);
  if (pu !== undefined) chown['user'] = pu;
  if (pg !== undefined) chown['group'] = pg;
  return { owner: chown };
}
