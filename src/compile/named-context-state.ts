// The LLB a named context stands for, as dockerui's namedContext builds it: an image source
// with the image's env/dir/platform, a git or http source, an OCI layout source, a frontend
// input, or a local directory. Local directories are placeholders until the whole build is
// dispatched: their followpaths depend on what later instructions read from them.
import { fail } from '../core/errors.js';
import type { Platform } from '../core/platform.js';
import { gitSource, httpSource, imageSource, localSource, ociLayoutSource } from '../llb/source.js';
import { State } from '../llb/state.js';
import { replaceOutput } from '../llb/rewrite.js';
import type { Output, Vertex } from '../llb/vertex.js';
import { parseGitRef } from './dispatch/remote-source.js';
import { followPaths } from './context-paths.js';
import { parseEnvEntry, type ImageConfig } from './image-config.js';
import { contextImageRef, type NamedContextData, type NamedContextRequest } from './named-context.js';

// the secrets llb.Git names by default (client/llb/source.go)
const GIT_AUTH_TOKEN_SECRET = 'GIT_AUTH_TOKEN';
const GIT_AUTH_HEADER_SECRET = 'GIT_AUTH_HEADER';

/** What a named context gives a stage to start from. */
export interface NamedContextBase {
  /** the filesystem (undefined: scratch) */
  readonly output: Output | undefined;
  /** the image config it carries (images, OCI layouts, inputs with metadata) */
  readonly image?: ImageConfig;
  /** the process state after BuildKit's WithImageConfig: env, dir and platform of the config */
  readonly state: State;
}

/** A local directory context waiting for its followpaths. */
export interface LocalContextPlaceholder {
  readonly vertex: Vertex;
  readonly request: NamedContextRequest;
  readonly localName: string;
  readonly excludePatterns: readonly string[];
}

export interface NamedContextEnv {
  readonly sessionId?: string;
  /** local contexts made so far; the caller swaps them for real sources at the end */
  readonly locals: LocalContextPlaceholder[];
}

/**
 * The base a named context gives, from the request and what frontend/ fetched for it.
 * @throws GoshError INTERNAL when the data the request needs was not passed in
 */
export function namedContextBase(request: NamedContextRequest, data: NamedContextData | undefined, env: NamedContextEnv): NamedContextBase {
  const src = request.source;
  const label = `[context ${request.nameWithPlatform}]`;
  const platformOpt = request.platform !== undefined ? { platform: request.platform } : {};
  const session = env.sessionId !== undefined ? { sessionId: env.sessionId } : {};
  switch (src.kind) {
    case 'scratch':
      return { output: undefined, state: State.scratch() };
    case 'image': {
      const d = need(data, 'image', request);
      const output = imageSource(contextImageRef(d.ref), { ...platformOpt, constraints: { customName: `${label} ${src.ref}` } });
      // dockerui drops `created` of image contexts; their history keeps its times
      const { created: _created, ...image } = d.config;
      return { output, image, state: withImageConfig(State.from(output).withPlatform(request.platform), d.config) };
    }
    case 'oci-layout': {
      const d = need(data, 'oci-layout', request);
      const output = ociLayoutSource(src.ref, { ...session, storeId: src.storeId, ...platformOpt, constraints: { customName: `${label} OCI load from client` } });
      return { output, image: d.config, state: withImageConfig(State.from(output).withPlatform(request.platform), d.config) };
    }
    case 'git': {
      const git = parseGitRef(src.url);
      if (git === undefined) fail('OPTION_INVALID', `invalid git context ${src.url}`);
      const output = gitSource(git.identifier, {
        ...(git.commit !== '' || git.subdir !== '' ? { ref: git.commit } : {}),
        ...(git.subdir !== '' ? { subdir: git.subdir } : {}),
        fullUrl: git.remote,
        // dockerui always keeps .git of a git named context
        keepGitDir: true,
        authTokenSecret: GIT_AUTH_TOKEN_SECRET,
        authHeaderSecret: GIT_AUTH_HEADER_SECRET,
        ...(git.scheme === 'ssh' ? { mountSshSock: 'default' } : {}),
        constraints: { customName: `[internal] load git source ${src.url}` },
      });
      return { output, state: State.from(output) };
    }
    case 'http': {
      // an http URL of a git repository is a git context
      if (parseGitRef(src.url) !== undefined) return namedContextBase({ ...request, source: { kind: 'git', url: src.url } }, data, env);
      const output = httpSource(src.url, { constraints: { customName: `${label} ${src.url}` } });
      return { output, state: State.from(output) };
    }
    case 'local': {
      const d = need(data, 'local', request);
      return { output: localPlaceholder(request, src.localName, d.excludePatterns, env), state: State.scratch() };
    }
    case 'input': {
      const d = need(data, 'input', request);
      const state = State.from(d.output);
      return { output: d.output, ...(d.config !== undefined ? { image: d.config, state: withImageConfig(state, d.config) } : { state }) };
    }
  }
}

/** Another placeholder for the same local directory (each `COPY --from=<it>` gets its own source). */
export function localPlaceholder(request: NamedContextRequest, localName: string, excludePatterns: readonly string[], env: NamedContextEnv): Output {
  const vertex: Vertex = { inputs: [], body: { source: { identifier: `local://${localName}-placeholder-${env.locals.length}`, attrs: {} } }, platformSpecific: false, constraints: {}, caps: [] };
  env.locals.push({ vertex, request, localName, excludePatterns });
  return { vertex, index: 0 };
}

/**
 * Swaps every local-context placeholder under `root` for its local source. Its followpaths are
 * the paths read from it: copy sources and mount selectors; any other use needs all of it.
 */
export function resolveLocalContexts(root: Output | undefined, locals: readonly LocalContextPlaceholder[], sessionId: string | undefined): Output | undefined {
  let out = root;
  for (const p of locals) {
    const paths = pathsReadFrom(out, p.vertex);
    if (paths.length === 0) continue;
    const fp = followPaths(paths);
    const local = localSource(p.localName, {
      ...(sessionId !== undefined ? { sessionId } : {}),
      sharedKeyHint: `context:${p.request.nameWithPlatform}`,
      excludePatterns: p.excludePatterns,
      ...(fp !== undefined ? { followPaths: fp } : {}),
      constraints: { customName: `[context ${p.request.nameWithPlatform}] load from client` },
    });
    out = replaceOutput(out, p.vertex, local);
  }
  return out;
}

/** The paths ops under `root` read from `placeholder`; [] when nothing uses it. */
function pathsReadFrom(root: Output | undefined, placeholder: Vertex): string[] {
  if (root === undefined) return [];
  if (root.vertex === placeholder) return ['/'];
  const paths: string[] = [];
  const seen = new Set<Vertex>();
  const visit = (v: Vertex): void => {
    if (seen.has(v)) return;
    seen.add(v);
    v.inputs.forEach((input, i) => {
      if (input.vertex === placeholder) paths.push(...usesOfInput(v, i));
      else visit(input.vertex);
    });
  };
  visit(root.vertex);
  return paths;
}

function usesOfInput(v: Vertex, index: number): string[] {
  const body = v.body as { file?: { actions: FileActionBody[] }; exec?: { mounts: MountBody[] } };
  const out: string[] = [];
  if (body.file !== undefined) {
    for (const a of body.file.actions) {
      if (a.input === index) out.push('/');
      if (a.secondaryInput === index) out.push(a.copy?.src ?? '/');
    }
    return out;
  }
  if (body.exec !== undefined) {
    for (const m of body.exec.mounts) if (m.input === index) out.push(m.dest === '/' ? '/' : (m.selector ?? '/'));
    return out;
  }
  return ['/'];
}

interface FileActionBody {
  readonly input: number;
  readonly secondaryInput: number;
  readonly copy?: { readonly src: string };
}
interface MountBody {
  readonly input?: number;
  readonly dest: string;
  readonly selector?: string;
}

/** llb.State.WithImageConfig: the config's env and working dir, and its platform when it names one. */
function withImageConfig(state: State, config: ImageConfig): State {
  let st = state.withEnvPairs((config.config?.Env ?? []).map(parseEnvEntry).filter(([k]) => k !== ''));
  const wd = config.config?.WorkingDir ?? '';
  if (wd !== '') st = st.withDir(wd.startsWith('/') ? wd : `${st.dir.replace(/\/$/, '')}/${wd}`);
  if (config.os !== '' && config.architecture !== '') {
    const platform: Platform = { os: config.os, architecture: config.architecture, ...(config.variant !== undefined && config.variant !== '' ? { variant: config.variant } : {}) };
    st = st.withPlatform(platform);
  }
  return st;
}

function need<K extends NamedContextData['kind']>(data: NamedContextData | undefined, kind: K, request: NamedContextRequest): Extract<NamedContextData, { kind: K }> {
  if (data === undefined || data.kind !== kind) fail('INTERNAL', `named context ${request.nameWithPlatform} (${request.value}) was not resolved before compiling`);
  return data as Extract<NamedContextData, { kind: K }>;
}
