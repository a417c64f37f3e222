// Go's time.ParseDuration, for HEALTHCHECK --interval/--timeout/--start-period/--start-interval,
// which BuildKit parses with it ("1m30s", "1.5h", "300ms").

const UNIT_NS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);
const MAX_INT64 = (1n << 63n) - 1n;

export type DurationResult =
  | { readonly ok: true; readonly nanoseconds: bigint }
  | { readonly ok: false; readonly error: string };

/** Parses a Go duration to nanoseconds; errors read like Go's. */
export function parseGoDuration(text: string): DurationResult {
  const invalid = (): DurationResult => ({ ok: false, error: `time: invalid duration ${JSON.stringify(text)}` });
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, nanoseconds: 0n };
  if (s === '') return invalid();
  let total = 0n;
  while (s !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(s) as RegExpExecArray;
    const whole = number[1] as string;
    const fraction = number[2];
    if (whole === '' && (fraction === undefined || fraction === '')) return invalid();
    s = s.slice(number[0].length);
    const unitMatch = /^[^0-9.]+/.exec(s);
    if (unitMatch === null) return { ok: false, error: `time: missing unit in duration ${JSON.stringify(text)}` };
    const unit = UNIT_NS.get(unitMatch[0]);
    if (unit === undefined) {
      return {
        ok: false,
        error: `time: unknown unit ${JSON.stringify(unitMatch[0])} in duration ${JSON.stringify(text)}`,
      };
    }
    s = s.slice(unitMatch[0].length);
    let value = BigInt(whole === '' ? '0' : whole) * unit;
    if (fraction !== undefined && fraction !== '') {
      // truncated toward zero, as Go does
      value += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
    }
    total += value;
    if (total > MAX_INT64 + (negative ? 1n : 0n)) return invalid();
  }
  return { ok: true, nanoseconds: negative ? -total : total };
}
