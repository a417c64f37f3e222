import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { childLogger, LOG_FD, logger, logLevelFromEnv } from '../../../src/log.js';
import { connectToFake } from '../../fake-gateway/connect-fake.js';
import { FakeGateway } from '../../fake-gateway/fake-gateway.js';

// stdout is the gRPC stream: one stray byte there ends the build.

interface FdStream {
  fd: number;
  write(chunk: string): boolean;
}

function loggerStream(): FdStream {
  return (logger as unknown as Record<symbol, FdStream>)[pino.symbols.streamSym]!;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('stdout stays clean', () => {
  it('the logger writes to fd 2', () => {
    expect(LOG_FD).toBe(2);
    expect(loggerStream().fd).toBe(2);
  });

  it('a whole client session, failures and debug logging included, writes nothing to process.stdout', async () => {
    const stdoutWrite = vi.spyOn(process.stdout, 'write');
    const logWrite = vi.spyOn(loggerStream(), 'write').mockImplementation(() => true);
    const level = logger.level;
    logger.level = 'trace';
    const fake = await FakeGateway.start();
    try {
      fake.respond('ReadFile', { Data: Buffer.from('FROM scratch\n') });
      fake.fail('StatFile', { code: 5, message: 'not found' });
      const connection = await connectToFake(fake);
      await connection.client.readFile('r', 'Dockerfile');
      await expect(connection.client.statFile('r', 'missing')).rejects.toThrow('not found');
      childLogger('test').info('a log line');
      await connection.client.returnResult({ metadata: {} });
      await connection.close();
    } finally {
      logger.level = level;
      await fake.stop();
    }
    expect(logWrite.mock.calls.length).toBeGreaterThanOrEqual(5); // Ping, ReadFile, StatFile, the line, Return
    expect(logWrite.mock.calls.map(([line]) => JSON.parse(line).phase)).toContain('gateway');
    expect(stdoutWrite).not.toHaveBeenCalled();
  });
});

describe('logLevelFromEnv', () => {
  it('reads GOSH_LOG_LEVEL, ignoring case; unknown or unset gives undefined', () => {
    expect(logLevelFromEnv({ GOSH_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(logLevelFromEnv({ GOSH_LOG_LEVEL: 'silent' })).toBe('silent');
    expect(logLevelFromEnv({ GOSH_LOG_LEVEL: 'loud' })).toBeUndefined();
    expect(logLevelFromEnv({})).toBeUndefined();
  });

  it('childLogger binds the phase', () => {
    expect(childLogger('inputs').bindings()).toEqual({ phase: 'inputs' });
  });
});
