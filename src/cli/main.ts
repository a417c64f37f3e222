import { formatDiagnostic, isGoshError, type GoshErrorCode } from '../core/errors.js';
import { withCommandPrefix, type CommandContext } from './command-context.js';
import { DESCRIPTOR_USAGE, DIFF_USAGE, HANDSHAKE_USAGE, LLB_USAGE, LOCK_USAGE, VERIFY_USAGE } from './usage.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** the environment (process.env when absent) */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** the clock (generatedAt without SOURCE_DATE_EPOCH) */
  readonly now?: () => Date;
}

const USAGE = `usage: gosh <command> [flags]

commands:
  ${LLB_USAGE}
      compile a Dockerfile to LLB without BuildKit and print it with the image config
  ${HANDSHAKE_USAGE}
      store the CAS probe (content-addressed) and print where it is
  ${DESCRIPTOR_USAGE}
      print the OCI descriptor and pending provenance of an SBOM; store Surface artefacts;
      POST the descriptor to an attestor
  ${VERIFY_USAGE}
      check sbom.spdx.json against the Dockerfile and itself, offline (exit 0 ok, 1 problems)
  ${DIFF_USAGE}
      what changed between two locks (files or context directories), per entry
  ${LOCK_USAGE}
      run the lock-mode build through docker buildx and replace sbom.spdx.json,
      sbom.cdx.json and sbom.descriptor.json in the context (frontend: --frontend, else
      $GOSH_FRONTEND_IMAGE, else gosh-frontend:dev)

exit codes: 0 ok, 1 user error (gosh diff --exit-code: the locks differ), 2 usage, 3 attestor refused, 4 attestor unavailable, 70 internal
`;

/** Exit code per error code: the attestor's two failure kinds are told apart for CI scripts. */
function exitCodeFor(code: GoshErrorCode): number {
  switch (code) {
    case 'CLI_USAGE':
      return 2;
    case 'ATTESTOR_REJECTED':
      return 3;
    case 'ATTESTOR_UNAVAILABLE':
      return 4;
    case 'INTERNAL':
      return 70;
    default:
      return 1;
  }
}

/**
 * Runs one CLI command; returns the exit code (0 ok, 1 user error, 2 usage, 3 attestor refused,
 * 4 attestor unavailable, 70 bug). stdout gets the result only, and only on success.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const ctx: CommandContext = { env: io.env ?? process.env, now: io.now ?? ((): Date => new Date()), stderr: io.stderr };
  try {
    switch (command) {
      case 'llb': {
        const { runLlbCommand } = await import('./llb-command.js');
        io.stdout(runLlbCommand(rest));
        return 0;
      }
      case 'handshake': {
        const { runHandshakeCommand } = await import('./handshake.js');
        io.stdout(await withCommandPrefix('handshake', () => runHandshakeCommand(rest, ctx)));
        return 0;
      }
      case 'descriptor': {
        const { runDescriptorCommand } = await import('./descriptor-command.js');
        io.stdout(await withCommandPrefix('descriptor', () => runDescriptorCommand(rest, ctx)));
        return 0;
      }
      case 'verify': {
        const { runVerifyCommand } = await import('./verify-command.js');
        io.stdout(await withCommandPrefix('verify', () => runVerifyCommand(rest, ctx)));
        return 0;
      }
      case 'diff': {
        const { runDiffCommand } = await import('./diff-command.js');
        const outcome = await withCommandPrefix('diff', () => runDiffCommand(rest, ctx));
        io.stdout(outcome.text);
        return outcome.exitCode;
      }
      case 'lock': {
        const { runLockCommand } = await import('./lock-command.js');
        io.stdout(await withCommandPrefix('lock', () => runLockCommand(rest, ctx)));
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`gosh: unknown command "${command}"\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (isGoshError(e)) {
      for (const d of e.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      return exitCodeFor(e.code);
    }
    io.stderr(`gosh: internal error (a bug in gosh-frontend): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 70;
  }
}
