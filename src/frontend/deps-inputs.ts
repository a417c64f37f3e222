// The dependency manifests Gosh.yaml `prepare:` names (Cargo.lock files), read from the build
// context through BuildKit, then parsed by their deps/ plugins. Only those files are transferred
// (followpaths), like the .dockerignore load; a context that is not the client's directory (git,
// http, a frontend input) is solved and read the same way.
import { GoshError, diagnostic, type Diagnostic } from '../core/errors.js';
import type { CargoPrepare, GoshConfig } from '../config/gosh-yaml.js';
import { prepareDependencies, type ManifestInput, type PreparedDependencies } from '../deps/prepare.js';
import { marshalDefinition } from '../llb/marshal.js';
import { localSource } from '../llb/source.js';
import type { GatewayClient } from '../gateway/client.js';
import type { BuildInputs } from './inputs.js';

export interface DependencyInputs {
  readonly dependencies?: PreparedDependencies;
  /** Gosh.yaml policy.network */
  readonly networkExceptions?: ReadonlyMap<string, string>;
}

/**
 * Reads and parses the manifests of `gosh.prepare`; nothing when Gosh.yaml prepares nothing.
 * @throws GoshError at Gosh.yaml's line for a missing manifest, at the manifest's lines for a bad one
 */
export async function readDependencyInputs(client: GatewayClient, sessionId: string | undefined, inputs: BuildInputs, gosh: GoshConfig | undefined): Promise<DependencyInputs> {
  const exceptions = gosh?.policy.network;
  const policy = exceptions !== undefined && exceptions.size > 0 ? { networkExceptions: exceptions } : {};
  const specs: readonly CargoPrepare[] = gosh?.prepare.cargo ?? [];
  if (gosh === undefined || specs.length === 0) return policy;
  const paths = specs.map((s) => s.lockfile);
  const output =
    inputs.remoteContext !== undefined
      ? inputs.remoteContext.output
      : localSource('context', {
          ...(sessionId !== undefined ? { sessionId } : {}),
          followPaths: paths,
          sharedKeyHint: 'context-gosh-dependencies',
          differ: 'none',
          constraints: { customName: '[internal] load dependency manifests' },
        });
  const solved = await client.solve({ definition: marshalDefinition(output) });
  const ref = solved.ref?.id ?? '';
  const missing: Diagnostic[] = [];
  const manifests: ManifestInput[] = [];
  for (const [i, spec] of specs.entries()) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = ref === '' ? undefined : await client.readFile(ref, spec.lockfile);
    } catch {
      bytes = undefined;
    }
    if (bytes === undefined) {
      const range = gosh.ranges.get(`prepare.cargo[${i}].lockfile`);
      missing.push(diagnostic('GOSH_YAML_INVALID', `prepare.cargo[${i}].lockfile: ${spec.lockfile} is not in the build context`, { file: gosh.file, range }));
      continue;
    }
    manifests.push({ plugin: 'cargo', spec, file: { name: spec.lockfile, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) }, bytes });
  }
  if (missing.length > 0) throw new GoshError(missing);
  return { ...policy, dependencies: prepareDependencies(manifests) };
}
