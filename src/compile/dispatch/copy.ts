// COPY and ADD (dockerfile2llb dispatchCopy): one FileOp with a copy action per source —
// context or stage paths, ADD's URLs and git repositories, inline heredoc files — or, with
// --link, the same copies onto scratch merged over the stage.
import { fail } from '../../core/errors.js';
import type { SourceRange } from '../../core/source.js';
import { heredocBody, type AddInstruction, type CopyInstruction } from '../../dockerfile/instructions.js';
import { lexShellWord, ShellLexError } from '../../dockerfile/shell-lexer.js';
import { fileOp, type FileAction } from '../../llb/file.js';
import { mergeOp } from '../../llb/merge.js';
import { gitSource, httpSource } from '../../llb/source.js';
import type { Output } from '../../llb/vertex.js';
import { envMap } from '../expand.js';
import { commitHistory } from '../image-config.js';
import { escapesContext, normalizePath } from '../context-paths.js';
import { displayCommand, locate, prefixCommand, stageExpander, where, type DispatchContext, type StageState } from '../stage-state.js';
import { chownOwner } from './owner.js';
import { httpFilename, isHttpSource, parseGitRef, type GitRef } from './remote-source.js';

export interface CopySource {
  /** the filesystem COPY reads from; the build context placeholder for a plain COPY */
  readonly output: Output | undefined;
  readonly isContext: boolean;
}

// the secrets BuildKit's llb.Git always names for http(s) git auth (client/llb/source.go)
const GIT_AUTH_TOKEN_SECRET = 'GIT_AUTH_TOKEN';
const GIT_AUTH_HEADER_SECRET = 'GIT_AUTH_HEADER';

/** COPY and ADD: one FileOp with one copy action per source (or a MergeOp with --link). */
export function dispatchCopy(st: StageState, ins: CopyInstruction | AddInstruction, source: CopySource, ctx: DispatchContext): StageState {
  const at = where(ctx, ins.range);
  const keyword = ins.kind === 'add' ? 'ADD' : 'COPY';
  const ex = stageExpander(st, ctx);
  const sources = ins.sources.map((s) => ex.word(s, at));
  const rawDest = ex.word(ins.dest, at);
  // an empty --chown= or --chmod= is the same as none
  const chown = ins.chown !== undefined ? ex.word(ins.chown, at) : '';
  const chmod = ins.chmod ?? '';
  const mode = chmod !== '' ? parseChmod(keyword, chmod, { file: ctx.file.name, range: flagRange(ins, 'chmod') }) : undefined;
  const checksum = ins.kind === 'add' && ins.checksum !== undefined ? ex.word(ins.checksum, at) : '';
  if (checksum !== '') checkChecksum(keyword, checksum, sources, { file: ctx.file.name, range: flagRange(ins, 'checksum') });
  const parents = ins.kind === 'copy' && ins.parents;

  // relative to WORKDIR and cleaned (an empty destination is the working directory itself)
  let dest = normalizePath(st.llb.dir, rawDest);
  if (rawDest === '.' || rawDest === '' || rawDest.endsWith('/')) dest = dest === '/' ? '/' : `${dest}/`;

  // options every copy action of the instruction shares
  const shared = {
    createDestPath: true,
    ...(mode !== undefined ? { mode } : {}),
    ...(chown !== '' ? { owner: chownOwner(chown) } : {}),
    // labs --exclude: patterns are not expanded in v0.13.2
    ...(ins.exclude.length > 0 ? { excludePatterns: [...ins.exclude] } : {}),
  };

  const display = displayCommand(st, ins.original, ctx);
  const named = prefixCommand(st, display, ctx);
  let next = named.stage;
  const actions: FileAction[] = [];
  const contextPaths: string[] = [];
  let message = keyword;
  if (parents) message += ' --parents';
  if (chown !== '') message += ` --chown=${chown}`;
  if (chmod !== '') message += ` --chmod=${chmod}`;

  for (const src of sources) {
    message += ` ${src}`;
    const git = parseGitRef(src);
    if (git !== undefined) {
      if (ins.kind !== 'add') fail('DOCKERFILE_INVALID_FLAG', `${keyword}: source can't be a git ref for COPY`, at);
      actions.push({ kind: 'copy', source: gitOutput(git, ins.keepGitDir, named.name), src: '/', dest, ...shared });
      // BuildKit lists every non-URL ADD source as a context path, git ones too
      contextPaths.push(normalizePath('/', src));
      continue;
    }
    if (isHttpSource(src)) {
      if (ins.kind !== 'add') fail('DOCKERFILE_INVALID_FLAG', `${keyword}: source can't be a URL for COPY`, at);
      const filename = httpFilename(src);
      const http = httpSource(src, {
        filename,
        ...(checksum !== '' ? { checksum } : {}),
        // BuildKit describes the download with its SourcesAndDest, which prints as ""
        constraints: { customName: named.name, description: { 'com.docker.dockerfile.v1.command': '' } },
      });
      actions.push({ kind: 'copy', source: http, src: `/${filename}`, dest, ...shared });
      continue;
    }
    if (source.isContext) {
      if (escapesContext(src)) fail('CONTEXT_PATH_ESCAPE', `${keyword}: source "${src}" is outside the build context`, at);
      contextPaths.push(normalizePath('/', src));
    }
    actions.push({ kind: 'copy', source: source.output, ...localPaths(src, parents), dest, ...shared, ...localCopyFlags(ins.kind === 'add') });
  }

  for (const doc of ins.heredocs) {
    message += ` <<${doc.name}`;
    const body = heredocBody(doc);
    const data = doc.expand ? expandHeredoc(st, body, at) : body;
    const file = fileOp(undefined, [{ kind: 'mkfile', path: `/${doc.name}`, mode: 0o644, data: new TextEncoder().encode(data) }], {
      customName: '[internal] preparing inline document',
      platform: st.platform,
    });
    actions.push({ kind: 'copy', source: file, src: `/${doc.name}`, dest, ...shared });
  }
  message += ` ${rawDest}`;
  if (actions.length === 0) fail('DOCKERFILE_SYNTAX', `${keyword}: requires at least two arguments`, at);

  const constraints = { customName: named.name, ...locate(ctx, ins.range), ...(st.ignoreCache ? { ignoreCache: true } : {}) };
  let output: Output | undefined;
  if (ins.link && chmod === '') {
    // --link: copy onto scratch and merge, so the layer does not depend on what is below it.
    // BuildKit's progress group id is random; ours is the line, unique within the file.
    const group = { id: `copy-link-${ins.range.startLine}`, name: named.name };
    const copied = fileOp(undefined, actions, { ...constraints, platform: st.platform, progressGroup: { ...group, weak: true } });
    const linkName = prefixCommand(st, `LINK ${display}`, ctx).name;
    output = mergeOp([next.llb.output, copied], { ...constraints, customName: linkName, progressGroup: { ...group, weak: false } });
  } else {
    output = fileOp(next.llb.output, actions, constraints);
  }
  next = { ...next, llb: next.llb.withOutput(output), contextPaths: [...next.contextPaths, ...contextPaths] };
  return { ...next, image: commitHistory(next.image, { createdBy: message, withLayer: true, fromOp: true, epochSeconds: ctx.epochSeconds }) };
}

/** Context/stage copies follow symlinks, copy directory contents and expand wildcards; ADD unpacks. */
function localCopyFlags(isAdd: boolean): Partial<Extract<FileAction, { kind: 'copy' }>> {
  return {
    followSymlink: true,
    dirCopyContents: true,
    attemptUnpackDockerCompatibility: isAdd,
    allowWildcard: true,
    allowEmptyWildcard: true,
  };
}

/**
 * The copy source path; with --parents (labs) the part before `/./` is where copying starts
 * and the rest a pattern whose directories are kept (no `/./`: everything from the root).
 */
function localPaths(src: string, parents: boolean): { src: string; includePatterns?: string[] } {
  if (!parents) return { src: normalizePath('/', src) };
  const pivot = src.indexOf('/./');
  const pattern = pivot >= 0 ? src.slice(pivot + 3) : src;
  const from = pivot >= 0 ? src.slice(0, pivot) : '/';
  return { src: normalizePath('/', from), includePatterns: [normalizePath('/', pattern).slice(1)] };
}

function gitOutput(git: GitRef, keepGitDir: boolean, name: string): Output {
  return gitSource(git.identifier, {
    ...(git.commit !== '' ? { ref: git.commit } : {}),
    ...(git.subdir !== '' ? { subdir: git.subdir } : {}),
    fullUrl: git.remote,
    keepGitDir,
    authTokenSecret: GIT_AUTH_TOKEN_SECRET,
    authHeaderSecret: GIT_AUTH_HEADER_SECRET,
    // ssh remotes use the client's default agent socket; BuildKit's best-effort ssh-keyscan
    // of the host is left out (no network in the compiler), as when the scan fails
    ...(git.scheme === 'ssh' ? { mountSshSock: 'default' } : {}),
    constraints: { customName: name },
  });
}

/**
 * `--chmod` as BuildKit v0.13.2 reads it: octal digits parsed into 32 bits (07777 and beyond
 * are passed on; the engine keeps the permission, setuid, setgid and sticky bits).
 * BuildKit silently ignores anything else and keeps the source's modes; we refuse it, so a
 * symbolic mode or a `$VAR` (never expanded here) does not quietly build something else.
 * @throws GoshError DOCKERFILE_INVALID_FLAG
 */
export function parseChmod(keyword: string, chmod: string, at: { file: string; range: SourceRange }): number {
  const value = /^[0-7]+$/.test(chmod) ? parseInt(chmod, 8) : Number.NaN;
  if (!(value <= 0xffffffff)) {
    const hint = chmod.includes('$') ? '; variables are not expanded in --chmod' : '';
    fail('DOCKERFILE_INVALID_FLAG', `${keyword}: invalid --chmod=${chmod} (want an octal mode such as 0755${hint})`, at);
  }
  // the op field is an int32, as Go's int32(os.FileMode) conversion wraps it
  return value | 0;
}

/**
 * ADD --checksum: a digest for the one http(s) source. BuildKit accepts any digest it can
 * parse but hashes downloads with sha256 only, so another algorithm can never match; we say so
 * up front. A checksum on a git URL is ignored by BuildKit; we refuse it.
 */
function checkChecksum(keyword: string, checksum: string, sources: readonly string[], at: { file: string; range: SourceRange }): void {
  const m = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/.exec(checksum);
  if (m === null) fail('DOCKERFILE_INVALID_FLAG', `${keyword}: invalid --checksum=${checksum}: invalid checksum digest format`, at);
  if (m[1] !== 'sha256') {
    fail('DOCKERFILE_INVALID_FLAG', `${keyword}: unsupported --checksum=${checksum} (downloads are verified with sha256 only)`, at);
  }
  if (!/^[a-f0-9]{64}$/.test(m[2] as string)) {
    fail('DOCKERFILE_INVALID_FLAG', `${keyword}: invalid --checksum=${checksum} (want sha256:<64 lowercase hex digits>)`, at);
  }
  if (sources.length !== 1) fail('DOCKERFILE_INVALID_FLAG', `${keyword}: checksum can't be specified for multiple sources`, at);
  const src = sources[0] as string;
  if (!isHttpSource(src)) fail('DOCKERFILE_INVALID_FLAG', `${keyword}: checksum can't be specified for non-HTTP sources`, at);
  if (parseGitRef(src) !== undefined) fail('DOCKERFILE_INVALID_FLAG', `${keyword}: checksum can't be specified for git sources`, at);
}

/** Heredoc bodies expand variables but keep quotes, with `\` as escape whatever the directive says. */
function expandHeredoc(st: StageState, body: string, at: { file: string; range: SourceRange }): string {
  try {
    return lexShellWord(body, envMap(st.llb.env), { escape: '\\', skipProcessQuotes: true }).word;
  } catch (e) {
    if (e instanceof ShellLexError) fail('DOCKERFILE_EXPANSION', `failed to process "${body}": ${e.message}`, at);
    throw e;
  }
}

function flagRange(ins: CopyInstruction | AddInstruction, name: string): SourceRange {
  return ins.flags.find((f) => f.name === name)?.range ?? ins.range;
}
