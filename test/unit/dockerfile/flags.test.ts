import { describe, expect, it } from 'vitest';
import {
  FLAG_SPECS,
  type LocatedFlagWord,
  parseFlags,
  parseHealthcheckDuration,
  parseHealthcheckRetries,
} from '../../../src/dockerfile/flags.js';

const at = (column: number, text: string): LocatedFlagWord => ({
  text,
  range: { startLine: 3, endLine: 3, startColumn: column, endColumn: column + text.length },
});
const copySpecs = FLAG_SPECS.copy ?? [];

describe('parseFlags', () => {
  it('COPY --from=a --link --exclude=x --exclude=y', () => {
    const { flags, diagnostics } = parseFlags(
      'copy',
      [at(6, '--from=a'), at(15, '--link'), at(22, '--exclude=x'), at(34, '--exclude=y')],
      copySpecs,
      'Dockerfile',
    );
    expect(diagnostics).toEqual([]);
    expect(flags.values.get('from')).toBe('a');
    expect(flags.enabled.has('link')).toBe(true);
    expect(flags.lists.get('exclude')).toEqual(['x', 'y']);
    expect(flags.uses.map((u) => [u.name, u.value])).toEqual([
      ['from', 'a'],
      ['link', undefined],
      ['exclude', 'x'],
      ['exclude', 'y'],
    ]);
  });

  it('every problem is reported with the flag range', () => {
    const words = [
      at(6, '--chmodd=1'),
      at(17, '--from=a'),
      at(26, '--from=b'),
      at(35, '--chown'),
      at(43, '--link=maybe'),
      at(56, '--link='),
    ];
    const { diagnostics } = parseFlags('copy', words, copySpecs, 'Dockerfile');
    expect(diagnostics.map((d) => [d.code, d.range?.startColumn])).toEqual([
      ['DOCKERFILE_UNKNOWN_FLAG', 6],
      ['DOCKERFILE_INVALID_FLAG', 26],
      ['DOCKERFILE_INVALID_FLAG', 35],
      ['DOCKERFILE_INVALID_FLAG', 43],
      ['DOCKERFILE_INVALID_FLAG', 56],
    ]);
    expect(diagnostics[0]?.message).toBe('COPY: unknown flag --chmodd (did you mean --chmod?)');
  });

  it('no suggestion when nothing is close; flag names are case-sensitive', () => {
    const { diagnostics } = parseFlags('copy', [at(6, '--platform=x'), at(20, '--LINK')], copySpecs, 'Dockerfile');
    expect(diagnostics.map((d) => d.message)).toEqual(['COPY: unknown flag --platform', 'COPY: unknown flag --LINK']);
  });

  it('--link=false after nothing leaves it off; booleans ignore case', () => {
    expect(parseFlags('copy', [at(6, '--link=FALSE')], copySpecs, 'f').flags.enabled.has('link')).toBe(false);
    expect(parseFlags('copy', [at(6, '--link=True')], copySpecs, 'f').flags.enabled.has('link')).toBe(true);
  });

  it('an instruction without flags rejects any: WORKDIR --x', () => {
    expect(parseFlags('workdir', [at(9, '--x')], FLAG_SPECS.workdir ?? [], 'f').diagnostics.map((d) => d.code)).toEqual(
      ['DOCKERFILE_UNKNOWN_FLAG'],
    );
  });

  it('the spec table: which instructions take which flags', () => {
    const names = (k: keyof typeof FLAG_SPECS): string[] | null =>
      FLAG_SPECS[k]?.map((s) => `${s.name}:${s.kind}`) ?? null;
    expect(names('from')).toEqual(['platform:string']);
    expect(names('run')).toEqual(['mount:strings', 'network:string', 'security:string']);
    expect(names('copy')).toEqual([
      'chown:string',
      'from:string',
      'chmod:string',
      'link:bool',
      'parents:bool',
      'exclude:strings',
    ]);
    expect(names('add')).toEqual([
      'chown:string',
      'chmod:string',
      'link:bool',
      'keep-git-dir:bool',
      'checksum:string',
      'exclude:strings',
    ]);
    expect(names('healthcheck')).toEqual([
      'interval:string',
      'timeout:string',
      'start-period:string',
      'start-interval:string',
      'retries:string',
    ]);
    expect(names('arg')).toBeNull();
    expect(names('stopsignal')).toBeNull();
    for (const k of [
      'env',
      'label',
      'workdir',
      'user',
      'cmd',
      'entrypoint',
      'shell',
      'expose',
      'volume',
      'onbuild',
      'maintainer',
    ] as const) {
      expect(names(k)).toEqual([]);
    }
  });
});

describe('healthcheck values', () => {
  it('durations', () => {
    expect(parseHealthcheckDuration('')).toEqual({ ok: true, nanoseconds: 0 });
    expect(parseHealthcheckDuration('0')).toEqual({ ok: true, nanoseconds: 0 });
    expect(parseHealthcheckDuration('1m30s')).toEqual({ ok: true, nanoseconds: 90e9 });
    expect(parseHealthcheckDuration('1ms')).toEqual({ ok: true, nanoseconds: 1e6 });
    expect(parseHealthcheckDuration('999us')).toMatchObject({ ok: false });
    expect(parseHealthcheckDuration('-5s')).toMatchObject({ ok: false });
    expect(parseHealthcheckDuration('5')).toMatchObject({ ok: false });
  });

  it('retries', () => {
    expect(parseHealthcheckRetries('3')).toEqual({ ok: true, retries: 3 });
    expect(parseHealthcheckRetries('+3')).toEqual({ ok: true, retries: 3 });
    expect(parseHealthcheckRetries('-1')).toMatchObject({ ok: false });
    expect(parseHealthcheckRetries('3.0')).toMatchObject({ ok: false });
    expect(parseHealthcheckRetries('2147483648')).toMatchObject({ ok: false });
  });
});
