// The dependency manifests Gosh.yaml `prepare:` names (Cargo.lock, package-lock.json files), read
// from the build context through BuildKit, then parsed by their deps/ plugins. Only those files
// are transferred (followpaths), like the .dockerignore load; a context that is not the client's
// directory (git, http, a frontend input) is solved and read the same way.
import { GoshError, type Diagnostic } from '../core/errors.js';
import { missingManifest, preparedManifests, type GoshConfig } from '../config/gosh-yaml.js';
import { readDependencySets, type ManifestInput } from '../deps/prepare.js';
import type { DependencySet } from '../deps/plugin.js';
import { marshalDefinition } from '../llb/marshal.js';
import { localSource } from '../llb/source.js';
import type { GatewayClient } from '../gateway/client.js';
import type { BuildInputs } from './inputs.js';

export interface DependencyInputs {
  /** one per manifest, in Gosh.yaml order, plugin by plugin */
  readonly sets: readonly DependencySet[];
  /** Gosh.yaml policy.network */
  readonly networkExceptions?: ReadonlyMap<string, string>;
}

/**
 * Reads and parses the manifests of `gosh.prepare`; no sets when Gosh.yaml prepares nothing.
 * @throws GoshError at Gosh.yaml's line for a missing manifest, at the manifest's lines for a bad one
 */
export async function readDependencyInputs(client: GatewayClient, sessionId: string | undefined, inputs: BuildInputs, gosh: GoshConfig | undefined): Promise<DependencyInputs> {
  const exceptions = gosh?.policy.network;
  const policy = exceptions !== undefined && exceptions.size > 0 ? { networkExceptions: exceptions } : {};
  const wanted = preparedManifests(gosh);
  if (gosh === undefined || wanted.length === 0) return { ...policy, sets: [] };
  const output =
    inputs.remoteContext !== undefined
      ? inputs.remoteContext.output
      : localSource('context', {
          ...(sessionId !== undefined ? { sessionId } : {}),
          followPaths: [...new Set(wanted.map((w) => w.spec.lockfile))],
          sharedKeyHint: 'context-gosh-dependencies',
          differ: 'none',
          constraints: { customName: '[internal] load dependency manifests' },
        });
  const solved = await client.solve({ definition: marshalDefinition(output) });
  const ref = solved.ref?.id ?? '';
  const missing: Diagnostic[] = [];
  const manifests: ManifestInput[] = [];
  for (const manifest of wanted) {
    const { kind, spec } = manifest;
    let bytes: Uint8Array | undefined;
    try {
      bytes = ref === '' ? undefined : await client.readFile(ref, spec.lockfile);
    } catch {
      bytes = undefined;
    }
    if (bytes === undefined) {
      missing.push(missingManifest(gosh, manifest));
      continue;
    }
    manifests.push({ plugin: kind, spec, file: { name: spec.lockfile, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) }, bytes });
  }
  if (missing.length > 0) throw new GoshError(missing);
  return { ...policy, sets: readDependencySets(manifests) };
}
