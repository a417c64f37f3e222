import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../../../src/dockerfile/go-duration.js';

const ns = (text: string): bigint | string => {
  const r = parseGoDuration(text);
  return r.ok ? r.nanoseconds : r.error;
};

describe('parseGoDuration', () => {
  it('units and sums', () => {
    expect(ns('1h2m3s4ms5us6ns')).toBe(3_723_004_005_006n);
    expect(ns('1µs')).toBe(1000n);
    expect(ns('1μs')).toBe(1000n);
    expect(ns('2.5s')).toBe(2_500_000_000n);
    expect(ns('.5m')).toBe(30_000_000_000n);
    expect(ns('1.s')).toBe(1_000_000_000n);
    expect(ns('-1.5h')).toBe(-5_400_000_000_000n);
    expect(ns('+0')).toBe(0n);
  });

  it('errors read like Go', () => {
    expect(ns('')).toBe('time: invalid duration ""');
    expect(ns('.s')).toBe('time: invalid duration ".s"');
    expect(ns('10')).toBe('time: missing unit in duration "10"');
    expect(ns('3d')).toBe('time: unknown unit "d" in duration "3d"');
    expect(ns('9999999999h')).toBe('time: invalid duration "9999999999h"');
  });
});
