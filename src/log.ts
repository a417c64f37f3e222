import { pino, type Logger, type LevelWithSilent } from 'pino';

/**
 * The frontend's stdout is the gRPC stream to BuildKit: one stray byte there resets the HTTP/2
 * session and fails the build. Logs therefore go to fd 2 only, which BuildKit sends to the
 * daemon's log (never to the user's build output).
 */
export const LOG_FD = 2;

/** Environment variable that sets the log level (pino level names; default "info"). */
export const LOG_LEVEL_ENV = 'GOSH_LOG_LEVEL';

const LEVELS: ReadonlySet<string> = new Set<LevelWithSilent>(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** The level named by GOSH_LOG_LEVEL, or undefined when it is unset or not a level name. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LevelWithSilent | undefined {
  const value = env[LOG_LEVEL_ENV]?.trim().toLowerCase();
  return value !== undefined && LEVELS.has(value) ? (value as LevelWithSilent) : undefined;
}

function createRootLogger(): Logger {
  const level = logLevelFromEnv();
  // sync: lines written just before process.exit() must not be lost
  const log = pino({ level: level ?? 'info' }, pino.destination({ fd: LOG_FD, sync: true }));
  const raw = process.env[LOG_LEVEL_ENV];
  if (level === undefined && raw !== undefined && raw.trim() !== '') {
    log.warn({ value: raw }, `${LOG_LEVEL_ENV} is not a log level; using info`);
  }
  return log;
}

export const logger: Logger = createRootLogger();

/** A logger whose lines carry `phase` (e.g. "gateway", "inputs", "solve"). */
export function childLogger(phase: string): Logger {
  return logger.child({ phase });
}
