// Fetches what named contexts need from BuildKit before compiling (frontend/dockerui/
// namedcontext.go): image configs of docker-image:// and oci-layout:// contexts, the
// .dockerignore of local directories, and frontend inputs with their metadata.
import { fail } from '../core/errors.js';
import type { BuildOptions } from '../config/build-options.js';
import { parseDockerignore } from '../config/dockerignore.js';
import type { ImageConfig } from '../compile/image-config.js';
import type { NamedContextData, NamedContextRequest } from '../compile/named-context.js';
import { localSource } from '../llb/source.js';
import { marshalDefinition } from '../llb/marshal.js';
import { definitionOutput } from '../llb/definition-input.js';
import type { Definition } from '../llb/definition.js';
import type { GatewayClient } from '../gateway/client.js';

// result metadata key an input's image config travels under (exptypes.ExporterImageConfigKey)
const INPUT_IMAGE_CONFIG = 'containerimage.config';
const DOCKERIGNORE = '.dockerignore';

export interface NamedContextFetchEnv {
  readonly client: GatewayClient;
  readonly options: BuildOptions;
  readonly sessionId: string | undefined;
}

/**
 * Fetches for several compiles (one per platform); equal requests are fetched once.
 */
export class NamedContextFetcher {
  private readonly cache = new Map<string, Promise<NamedContextData | undefined>>();
  private inputs: Promise<Record<string, Definition>> | undefined;

  constructor(private readonly env: NamedContextFetchEnv) {}

  /** The data of each request that needs some, by request key. */
  async fetch(requests: readonly NamedContextRequest[]): Promise<Map<string, NamedContextData>> {
    const entries = await Promise.all(
      requests.map(async (r) => {
        let pending = this.cache.get(r.key);
        if (pending === undefined) {
          pending = this.fetchOne(r);
          this.cache.set(r.key, pending);
        }
        return [r.key, await pending] as const;
      }),
    );
    const out = new Map<string, NamedContextData>();
    for (const [key, data] of entries) if (data !== undefined) out.set(key, data);
    return out;
  }

  private async fetchOne(r: NamedContextRequest): Promise<NamedContextData | undefined> {
    const { client, options, sessionId } = this.env;
    const src = r.source;
    const label = `[context ${r.nameWithPlatform}]`;
    switch (src.kind) {
      case 'scratch':
      case 'git':
      case 'http':
        return undefined;
      case 'image': {
        const resolved = await resolve(r, () =>
          client.resolveImageConfig(src.normalizedRef, {
            ...(r.platform !== undefined ? { platform: r.platform } : {}),
            resolveMode: options.imageResolveMode,
            logName: `${label} load metadata for ${src.ref}`,
          }),
        );
        return { kind: 'image', ref: resolved.ref, digest: resolved.digest, config: parseConfig(resolved.config, r) };
      }
      case 'oci-layout': {
        const resolved = await resolve(r, () =>
          client.resolveImageConfig(src.ref, {
            ...(r.platform !== undefined ? { platform: r.platform } : {}),
            logName: `${label} load metadata for ${src.ref}`,
            resolverType: 'oci-layout',
            ...(sessionId !== undefined ? { sessionId } : {}),
            storeId: src.storeId,
          }),
        );
        return { kind: 'oci-layout', config: parseConfig(resolved.config, r) };
      }
      case 'local': {
        const ignoreLoad = localSource(src.localName, {
          ...(sessionId !== undefined ? { sessionId } : {}),
          followPaths: [DOCKERIGNORE],
          sharedKeyHint: `context:${r.nameWithPlatform}-${DOCKERIGNORE}`,
          differ: 'none',
          constraints: { customName: `${label} load ${DOCKERIGNORE}` },
        });
        const solved = await client.solve({ definition: marshalDefinition(ignoreLoad), evaluate: true });
        let text = '';
        try {
          text = new TextDecoder().decode(await client.readFile(solved.ref?.id ?? '', DOCKERIGNORE));
        } catch {
          // no .dockerignore: nothing excluded
        }
        return { kind: 'local', excludePatterns: text !== '' ? parseDockerignore(text) : [] };
      }
      case 'input': {
        this.inputs ??= client.inputs();
        const def = (await this.inputs)[src.inputName];
        if (def === undefined) fail('OPTION_INVALID', `invalid input ${src.inputName} for ${r.nameWithPlatform}`);
        const output = definitionOutput(def, `named context ${r.nameWithPlatform}`);
        const config = inputImageConfig(options.inputMetadata.get(src.inputName), r);
        return { kind: 'input', output, ...(config !== undefined ? { config } : {}) };
      }
    }
  }
}

async function resolve<T>(r: NamedContextRequest, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return fail('IMAGE_RESOLVE', `failed to resolve named context ${r.nameWithPlatform}=${r.value}: ${reason}`, {}, undefined, e);
  }
}

/** An image config as the exporter needs it: config and rootfs objects present. */
function parseConfig(bytes: Uint8Array, r: NamedContextRequest): ImageConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return fail('IMAGE_RESOLVE', `named context ${r.nameWithPlatform}: the image config is not JSON`, {}, undefined, e);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('IMAGE_RESOLVE', `named context ${r.nameWithPlatform}: the image config is not an object`);
  const o = raw as Record<string, unknown>;
  return {
    ...o,
    architecture: typeof o['architecture'] === 'string' ? o['architecture'] : '',
    os: typeof o['os'] === 'string' ? o['os'] : '',
    rootfs: (o['rootfs'] ?? { type: '' }) as ImageConfig['rootfs'],
    config: (o['config'] ?? {}),
  };
}

/** `input-metadata:<name>`: a JSON object of base64 values; the image config among them. */
function inputImageConfig(json: string | undefined, r: NamedContextRequest): ImageConfig | undefined {
  if (json === undefined) return undefined;
  let md: unknown;
  try {
    md = JSON.parse(json);
  } catch (e) {
    return fail('OPTION_INVALID', `failed to parse input metadata ${json}`, {}, undefined, e);
  }
  const value = md !== null && typeof md === 'object' ? (md as Record<string, unknown>)[INPUT_IMAGE_CONFIG] : undefined;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail('OPTION_INVALID', `failed to parse input metadata ${json}`);
  return parseConfig(Buffer.from(value, 'base64'), r);
}
