import { formatDiagnostic, isGoshError } from '../core/errors.js';
import { LLB_USAGE, runLlbCommand } from './llb-command.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = `usage: gosh <command> [flags]

commands:
  ${LLB_USAGE}
      compile a Dockerfile to LLB without BuildKit and print it with the image config
`;

/** Runs one CLI command; returns the exit code (0 ok, 1 user error, 2 usage, 70 bug). */
export function runCli(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'llb':
        io.stdout(runLlbCommand(rest));
        return 0;
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
      return e.code === 'CLI_USAGE' ? 2 : e.code === 'INTERNAL' ? 70 : 1;
    }
    io.stderr(`gosh: internal error (a bug in gosh-frontend): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 70;
  }
}
