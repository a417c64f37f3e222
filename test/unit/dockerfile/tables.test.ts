// Runs the plain-text tables of test/tables against words.ts and parseDockerfile.
import { describe, expect, it } from 'vitest';
import { GoshError } from '../../../src/core/errors.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { type Env, type EscapeChar, expandWord, expandWords } from '../../../src/dockerfile/words.js';
import { type TableRow, readTable } from './read-table.js';

function settingsOf(row: TableRow): { env: Env; escape: EscapeChar } {
  const env = new Map<string, string>();
  let escape: EscapeChar = '\\';
  for (const s of row.settings) {
    if (s.name === 'env') {
      const eq = s.value.indexOf('=');
      env.set(s.value.slice(0, eq), s.value.slice(eq + 1));
    } else if (s.name === 'escape') {
      if (s.value !== '\\' && s.value !== '`') throw new Error(`bad @escape ${s.value}`);
      escape = s.value;
    } else {
      throw new Error(`unknown setting @${s.name}`);
    }
  }
  return { env, escape };
}

function expectExpansionError(run: () => unknown): void {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(GoshError);
  expect((caught as GoshError).code).toBe('DOCKERFILE_EXPANSION');
}

describe('test/tables/word-expansion.txt', () => {
  for (const row of readTable('word-expansion.txt', { min: 2, max: 3 })) {
    const [input = '', expected = '', used = '-'] = row.fields;
    it(`line ${row.line}: ${input}`, () => {
      const { env, escape } = settingsOf(row);
      if (expected === 'error') {
        expectExpansionError(() => expandWord(input, env, { escape }));
        return;
      }
      const result = expandWord(input, env, { escape });
      expect(result.value).toBe(expected);
      expect([...result.used].sort()).toEqual(used === '-' ? [] : used.split(','));
    });
  }
});

describe('test/tables/word-splitting.txt', () => {
  for (const row of readTable('word-splitting.txt', { min: 2, max: 2 })) {
    const [input = '', expected = ''] = row.fields;
    it(`line ${row.line}: ${input}`, () => {
      const { env, escape } = settingsOf(row);
      if (expected === 'error') {
        expectExpansionError(() => expandWords(input, env, { escape }));
        return;
      }
      expect(expandWords(input, env, { escape }).values).toEqual(JSON.parse(expected));
    });
  }
});

function parseOne(line: string): { dockerfile: ReturnType<typeof parseDockerfile>; instruction: object } {
  const standalone = line.startsWith('FROM');
  const dockerfile = parseDockerfile({ name: 'Dockerfile', text: standalone ? `${line}\n` : `FROM x\n${line}\n` });
  const stage = dockerfile.stages[0];
  if (stage === undefined) throw new Error('no stage');
  const instruction = standalone ? stage.from : stage.instructions[0];
  if (instruction === undefined) throw new Error('no instruction');
  return { dockerfile, instruction };
}

function errorCodeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    if (e instanceof GoshError) return e.code;
    throw e;
  }
  return undefined;
}

describe('test/tables/key-values.txt', () => {
  for (const row of readTable('key-values.txt', { min: 2, max: 2 })) {
    const [input = '', expected = ''] = row.fields;
    it(`line ${row.line}: ${input}`, () => {
      if (expected === 'error') {
        expect(errorCodeOf(() => parseOne(input))).toBe('DOCKERFILE_SYNTAX');
        return;
      }
      const { instruction } = parseOne(input);
      const pairs =
        'pairs' in instruction
          ? (instruction as { pairs: { key: string; value: string }[] }).pairs.map((p) => [p.key, p.value])
          : (instruction as { args: { key: string; value?: string }[] }).args.map((a) =>
              a.value === undefined ? [a.key] : [a.key, a.value],
            );
      expect(pairs).toEqual(JSON.parse(expected));
    });
  }
});

/** The flag-derived fields a flags.txt row states exactly; false and empty ones are left out. */
const FLAG_FIELDS = [
  'platform',
  'stageName',
  'mounts',
  'network',
  'security',
  'from',
  'chown',
  'chmod',
  'link',
  'parents',
  'exclude',
  'checksum',
  'keepGitDir',
  'interval',
  'timeout',
  'startPeriod',
  'startInterval',
  'retries',
];

function flagFields(instruction: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(instruction)) {
    if (!FLAG_FIELDS.includes(key) || value === undefined || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

describe('test/tables/flags.txt', () => {
  for (const row of readTable('flags.txt', { min: 2, max: 2 })) {
    const [input = '', expected = ''] = row.fields;
    it(`line ${row.line}: ${input}`, () => {
      if (!expected.startsWith('{')) {
        expect(errorCodeOf(() => parseOne(input))).toBe(expected);
        return;
      }
      const { dockerfile, instruction } = parseOne(input);
      const { warnings = 0, ...fields } = JSON.parse(expected) as Record<string, unknown>;
      expect(flagFields(instruction)).toEqual(fields);
      expect(dockerfile.warnings?.length ?? 0).toBe(warnings);
    });
  }
});
