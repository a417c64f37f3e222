// The SBOM files as BuildKit results: one scratch filesystem holding sbom.spdx.json,
// sbom.cdx.json and sbom.descriptor.json. Lock mode returns it as the build's result (so
// `--output type=local` writes the lock); image builds attach each file as an in-toto
// attestation, which lands in the image index and, for local/tar exports, as statement files.
import { fileOp, type FileAction } from '../llb/file.js';
import { marshalDefinition } from '../llb/marshal.js';
import type { GatewayClient } from '../gateway/client.js';
import type { Attestation } from '../gateway/client-types.js';
import type { SbomOutputs } from '../sbom/render.js';

export const SPDX_FILE = 'sbom.spdx.json';
export const CYCLONEDX_FILE = 'sbom.cdx.json';
export const DESCRIPTOR_FILE = 'sbom.descriptor.json';

/** in-toto predicate types (BuildKit's SBOM processor skips its scanner when the SPDX one is present) */
export const SPDX_PREDICATE = 'https://spdx.dev/Document';
export const CYCLONEDX_PREDICATE = 'https://cyclonedx.org/bom';
/** ours, for the descriptor (README "Lock modes") */
export const DESCRIPTOR_PREDICATE = 'https://gosh.dev/sbom-descriptor/v1';

/** One output file: name, bytes, in-toto predicate type. */
export interface SbomFile {
  readonly name: string;
  readonly text: string;
  readonly predicateType: string;
}

/** The files a build writes, in a fixed order; CycloneDX only when Gosh.yaml's sbom.formats lists it. */
export function sbomFiles(outputs: SbomOutputs, withCycloneDx: boolean): SbomFile[] {
  return [
    { name: SPDX_FILE, text: outputs.spdx.text, predicateType: SPDX_PREDICATE },
    ...(withCycloneDx ? [{ name: CYCLONEDX_FILE, text: outputs.cyclonedx, predicateType: CYCLONEDX_PREDICATE }] : []),
    { name: DESCRIPTOR_FILE, text: outputs.descriptorText, predicateType: DESCRIPTOR_PREDICATE },
  ];
}

/**
 * Solves a scratch filesystem with the files, modes 0644 and mtimes at the SBOM's `created`
 * instant, so the same SBOM is the same LLB on every run (and the same cache key).
 * @returns the ref id
 */
export async function solveSbomFiles(client: GatewayClient, files: readonly SbomFile[], created: string): Promise<string> {
  // whole seconds × 1e9 is exact in a double up to year 2255
  const timestampNs = (Date.parse(created) / 1000) * 1e9;
  const actions: FileAction[] = files.map((f) => ({ kind: 'mkfile', path: `/${f.name}`, mode: 0o644, data: new TextEncoder().encode(f.text), timestampNs }));
  const output = fileOp(undefined, actions, { customName: `[gosh] write ${files.map((f) => f.name).join(', ')}` });
  const solved = await client.solve({ definition: marshalDefinition(output), evaluate: true });
  return solved.ref?.id ?? '';
}

/** The in-toto attestations for the files in ref `refId`; BuildKit binds the subject (kind self). */
export function sbomAttestations(refId: string, files: readonly SbomFile[]): Attestation[] {
  return files.map((f) => ({ kind: 'intoto', refId, path: `/${f.name}`, predicateType: f.predicateType }));
}
