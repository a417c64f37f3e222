// Usage lines of every command, in one light module: main.ts shows them all without loading any
// command's module graph (commands are imported only when they run, which keeps start-up quick).
export const LLB_USAGE = 'gosh llb [--target T] [--build-arg K=V]... [--platform P] [-f FILE] CONTEXT_DIR';

export const HANDSHAKE_USAGE = 'gosh handshake [--manifest DIR] --cas DIR';

export const DESCRIPTOR_USAGE = `gosh descriptor --image REF@sha256:<hex> --sbom FILE [--manifest DIR] [--sbom-name N]
      [--artifact-type T] [--sbom-format cyclonedx-json|spdx-json] [--sbom-kind inventory|usage]
      [--repository R] [--build-ref REF] [--metadata-file BUILDX_METADATA]
      [--attestor URL [--attestor-token T] [--attestor-insecure]] [--cas DIR]
      [--surface-layer-fragments F] [--surface-entrytrace-graph F] [--surface-entrytrace-ndjson F]
      [--surface-cache-root DIR] [--surface-tenant T] [--surface-manifest-output F]`;

export const VERIFY_USAGE = 'gosh verify [-f FILE] [--target T] [--build-arg K=V]... [--platform P] [CONTEXT_DIR]';

export const DIFF_USAGE = 'gosh diff [--json] [--exit-code] OLD NEW';

export const LOCK_USAGE = `gosh lock [--frontend IMAGE] [-f FILE] [--target T] [--build-arg K=V]... [--platform P]
      [CONTEXT_DIR]`;
