// One build's SBOM outputs from one call: the SPDX lock, its CycloneDX twin (same time, serial
// number = the SPDX namespace UUID) and the descriptor of the SPDX file.
import type { BuildFacts, Lock } from '../lock/model.js';
import { LOCK_FILE_NAME } from '../lock/model.js';
import { writeCycloneDx } from './cyclonedx.js';
import { createSbomDescriptor, renderSbomDescriptor, type OciDescriptor, type SbomDescriptor } from './descriptor.js';
import { writeSpdxLock, type SpdxOutput, type SpdxWriteOptions } from './spdx-write.js';

export interface SbomRenderOptions extends SpdxWriteOptions {
  readonly generator: { readonly name: string; readonly version: string };
  /** the file name recorded in the descriptor; sbom.spdx.json by default */
  readonly spdxFileName?: string;
  readonly subject?: OciDescriptor;
  readonly attestorUri?: string;
}

export interface SbomOutputs {
  readonly spdx: SpdxOutput;
  readonly cyclonedx: string;
  readonly descriptor: SbomDescriptor;
  readonly descriptorText: string;
}

/** @throws GoshError LOCK_IMAGE_MISSING / LOCK_ENTRY_MISSING when a use is not pinned */
export function renderSbomOutputs(lock: Lock, facts: BuildFacts, options: SbomRenderOptions): SbomOutputs {
  const spdx = writeSpdxLock(lock, facts, options);
  const cyclonedx = writeCycloneDx(lock, facts, { created: spdx.created, serialUuid: spdx.uuid, generator: options.generator });
  const descriptor = createSbomDescriptor({
    sbom: spdx.text,
    format: 'spdx-json',
    title: options.spdxFileName ?? LOCK_FILE_NAME,
    created: spdx.created,
    documentNamespace: spdx.documentNamespace,
    imageName: facts.name,
    generator: options.generator,
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
    ...(options.attestorUri !== undefined ? { attestorUri: options.attestorUri } : {}),
  });
  return { spdx, cyclonedx, descriptor, descriptorText: renderSbomDescriptor(descriptor) };
}
