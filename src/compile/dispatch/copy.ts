import { fail } from '../../core/errors.js';
import { isDigest } from '../../core/digest.js';
import type { AddInstruction, CopyInstruction } from '../../dockerfile/instructions.js';
import { httpSource } from '../../llb/source.js';
import { fileOp, type FileAction } from '../../llb/file.js';
import { mergeOp } from '../../llb/merge.js';
import type { Output } from '../../llb/vertex.js';
import { commitHistory } from '../image-config.js';
import { escapesContext, normalizePath } from '../context-paths.js';
import { displayCommand, locate, prefixCommand, stageExpander, where, type DispatchContext, type StageState } from '../stage-state.js';
import { chownOwner } from './owner.js';

export interface CopySource {
  /** the filesystem COPY reads from; the build context placeholder for a plain COPY */
  readonly output: Output | undefined;
  readonly isContext: boolean;
}

/** COPY and ADD: one FileOp with one copy action per source (or a MergeOp with --link). */
export function dispatchCopy(st: StageState, ins: CopyInstruction | AddInstruction, source: CopySource, ctx: DispatchContext): StageState {
  const at = where(ctx, ins.range);
  const keyword = ins.kind === 'add' ? 'ADD' : 'COPY';
  const ex = stageExpander(st, ctx);
  const sources = ins.sources.map((s) => ex.word(s, at));
  const rawDest = ex.word(ins.dest, at);
  const chown = ins.chown !== undefined ? ex.word(ins.chown, at) : undefined;
  const checksum = ins.kind === 'add' && ins.checksum !== undefined ? ex.word(ins.checksum, at) : undefined;
  const parents = ins.kind === 'copy' && ins.parents;

  let mode: number | undefined;
  if (ins.chmod !== undefined) {
    if (!/^[0-7]{1,4}$/.test(ins.chmod)) fail('DOCKERFILE_INVALID_FLAG', `${keyword}: invalid --chmod=${ins.chmod} (want an octal mode such as 0755)`, at);
    mode = parseInt(ins.chmod, 8);
  }
  if (checksum !== undefined) {
    if (!isDigest(checksum)) fail('DOCKERFILE_INVALID_FLAG', `${keyword}: invalid --checksum=${checksum} (want sha256:<64 hex digits>)`, at);
    if (sources.length !== 1) fail('DOCKERFILE_INVALID_FLAG', `${keyword}: checksum can't be specified for multiple sources`, at);
    if (!isHttpSource(sources[0] as string)) fail('DOCKERFILE_INVALID_FLAG', `${keyword}: checksum can't be specified for non-HTTP sources`, at);
  }

  let dest = rawDest === '' ? st.llb.dir : normalizePath(st.llb.dir, rawDest);
  if (rawDest === '.' || rawDest === '' || rawDest.endsWith('/')) dest = dest === '/' ? '/' : `${dest}/`;

  const owner = chown !== undefined && chown !== '' ? { owner: chownOwner(chown) } : {};
  const excludes = ins.exclude.map((e) => ex.word(e, at));
  const exclude = excludes.length > 0 ? { excludePatterns: excludes } : {};
  const modeOpt = mode !== undefined ? { mode } : {};

  const named = prefixCommand(st, displayCommand(st, ins.original, ctx), ctx);
  let next = named.stage;
  const actions: FileAction[] = [];
  const contextPaths: string[] = [];
  let message = keyword;
  if (parents) message += ' --parents';
  if (chown !== undefined && chown !== '') message += ` --chown=${chown}`;
  if (ins.chmod !== undefined) message += ` --chmod=${ins.chmod}`;

  for (const src of sources) {
    message += ` ${src}`;
    if (isHttpSource(src)) {
      if (ins.kind !== 'add') fail('DOCKERFILE_INVALID_FLAG', `${keyword}: source can't be a URL for COPY`, at);
      const filename = urlFilename(src);
      const http = httpSource(src, {
        filename,
        ...(checksum !== undefined ? { checksum } : {}),
        constraints: { customName: named.name, description: { 'com.docker.dockerfile.v1.command': ins.original } },
      });
      actions.push({ kind: 'copy', source: http, src: `/${filename}`, dest, createDestPath: true, ...modeOpt, ...owner, ...exclude });
      continue;
    }
    if (isGitSource(src)) {
      if (ins.kind !== 'add') fail('DOCKERFILE_INVALID_FLAG', `${keyword}: source can't be a git ref for COPY`, at);
      fail('DOCKERFILE_UNSUPPORTED', `${keyword}: git sources are not supported yet`, at);
    }
    if (source.isContext) {
      if (escapesContext(src)) fail('CONTEXT_PATH_ESCAPE', `${keyword}: source "${src}" is outside the build context`, at);
      contextPaths.push(normalizePath('/', src));
    }
    let copySrc = src;
    let include: string[] | undefined;
    if (parents) {
      const pivot = src.indexOf('/./');
      const pattern = pivot >= 0 ? src.slice(pivot + 3) : src;
      copySrc = pivot >= 0 ? src.slice(0, pivot) : '/';
      include = [normalizePath('/', pattern).replace(/^\//, '')];
    }
    actions.push({
      kind: 'copy',
      source: source.output,
      src: normalizePath('/', copySrc),
      dest,
      followSymlink: true,
      dirCopyContents: true,
      attemptUnpackDockerCompatibility: ins.kind === 'add',
      createDestPath: true,
      allowWildcard: true,
      allowEmptyWildcard: true,
      ...(include !== undefined ? { includePatterns: include } : {}),
      ...modeOpt,
      ...owner,
      ...exclude,
    });
  }

  for (const doc of ins.heredocs) {
    message += ` <<${doc.name}`;
    let data = doc.content;
    if (doc.expand) data = ex.word(data, at);
    const file = fileOp(undefined, [{ kind: 'mkfile', path: `/${doc.name}`, mode: 0o644, data: new TextEncoder().encode(data) }], {
      customName: '[internal] preparing inline document',
    });
    actions.push({ kind: 'copy', source: file, src: `/${doc.name}`, dest, createDestPath: true, ...modeOpt, ...owner, ...exclude });
  }
  message += ` ${rawDest}`;
  if (actions.length === 0) fail('DOCKERFILE_SYNTAX', `${keyword}: requires at least two arguments`, at);

  const constraints = { customName: named.name, ...locate(ctx, ins.range), ...(st.ignoreCache ? { ignoreCache: true } : {}) };
  let output: Output | undefined;
  if (ins.link && ins.chmod === undefined) {
    // --link: copy onto scratch and merge, so the layer does not depend on what is below it
    const group = { id: `copy-link-${ins.range.startLine}`, name: named.name };
    const copied = fileOp(undefined, actions, { ...constraints, platform: st.platform, progressGroup: { ...group, weak: true } });
    const linkName = prefixCommand(st, `LINK ${displayCommand(st, ins.original, ctx)}`, ctx).name;
    output = mergeOp([next.llb.output, copied], { ...constraints, customName: linkName, progressGroup: { ...group, weak: false } });
  } else {
    output = fileOp(next.llb.output, actions, constraints);
  }
  next = { ...next, llb: next.llb.withOutput(output), contextPaths: [...next.contextPaths, ...contextPaths] };
  return { ...next, image: commitHistory(next.image, { createdBy: message, withLayer: true, fromOp: true, epochSeconds: ctx.epochSeconds }) };
}

export function isHttpSource(src: string): boolean {
  return src.startsWith('http://') || src.startsWith('https://');
}

function isGitSource(src: string): boolean {
  return src.startsWith('git@') || src.startsWith('git://') || /\.git(#|$)/.test(src) && /^[a-z]+:\/\//.test(src);
}

function urlFilename(url: string): string {
  try {
    const base = new URL(url).pathname.split('/').filter((p) => p !== '').pop();
    return base !== undefined && base !== '.' ? decodeURIComponent(base) : '__unnamed__';
  } catch {
    return '__unnamed__';
  }
}
