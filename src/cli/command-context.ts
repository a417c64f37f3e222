// What a command may take from the process besides its arguments, passed in so tests can pin
// them: the environment, the clock (generatedAt without SOURCE_DATE_EPOCH) and stderr.
import { GoshError, diagnostic, type Diagnostic } from '../core/errors.js';

export interface CommandContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  /** progress and warnings; stdout is the command's result only */
  readonly stderr: (text: string) => void;
}

/**
 * Runs `body`, putting `gosh <command>: ` in front of every unlocated diagnostic that has no
 * prefix yet, so lower layers (CAS writes, file reads) need not know which command called them.
 */
export async function withCommandPrefix<T>(command: string, body: () => T | Promise<T>): Promise<T> {
  const prefix = `gosh ${command}: `;
  try {
    return await body();
  } catch (e) {
    if (!(e instanceof GoshError)) throw e;
    const fix = (d: Diagnostic): Diagnostic =>
      d.file !== undefined || d.message.startsWith('gosh ') ? d : diagnostic(d.code, prefix + d.message, { jsonPath: d.jsonPath, range: d.range }, d.notes);
    throw new GoshError(e.diagnostics.map(fix), { cause: e });
  }
}
