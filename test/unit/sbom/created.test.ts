import { describe, expect, it } from 'vitest';
import { GoshError } from '../../../src/core/errors.js';
import { chooseCreated, parseSourceDateEpoch, spdxDateFromEpoch } from '../../../src/sbom/created.js';

const previous = { created: '2001-01-01T00:00:00Z', namespace: 'https://x/y', bodyDigest: `sha256:${'a'.repeat(64)}` as const };
const changed = `sha256:${'b'.repeat(64)}` as const;

describe('SOURCE_DATE_EPOCH', () => {
  it.each([
    ['0', 0],
    ['1700000000', 1700000000],
    ['253402300799', 253402300799],
  ])('%s', (text, seconds) => expect(parseSourceDateEpoch(text)).toBe(seconds));

  it.each(['', '-1', '1.5', '1e9', ' 1', '0x10', '253402300800'])('refuses %j with OPTION_INVALID', (text) => {
    expect(() => parseSourceDateEpoch(text)).toThrow(GoshError);
    try {
      parseSourceDateEpoch(text);
    } catch (e) {
      expect((e as GoshError).code).toBe('OPTION_INVALID');
    }
  });

  it('renders YYYY-MM-DDThh:mm:ssZ in UTC', () => {
    expect(spdxDateFromEpoch(0)).toBe('1970-01-01T00:00:00Z');
    expect(spdxDateFromEpoch(1700000000)).toBe('2023-11-14T22:13:20Z');
    expect(spdxDateFromEpoch(253402300799)).toBe('9999-12-31T23:59:59Z');
  });
});

describe('chooseCreated (rule C)', () => {
  it('a first lock takes SOURCE_DATE_EPOCH, else the epoch', () => {
    expect(chooseCreated({ mode: 'lock', bodyDigest: changed, sourceDateEpoch: 1700000000 })).toBe('2023-11-14T22:13:20Z');
    expect(chooseCreated({ mode: 'dev', bodyDigest: changed })).toBe('1970-01-01T00:00:00Z');
  });

  it('re-locking unchanged content keeps the previous time', () => {
    expect(chooseCreated({ mode: 'lock', bodyDigest: previous.bodyDigest, previous, sourceDateEpoch: 1700000000 })).toBe(previous.created);
  });

  it('changed content takes the new time in dev and lock, but prod keeps the committed one', () => {
    expect(chooseCreated({ mode: 'lock', bodyDigest: changed, previous, sourceDateEpoch: 1700000000 })).toBe('2023-11-14T22:13:20Z');
    expect(chooseCreated({ mode: 'prod', bodyDigest: changed, previous, sourceDateEpoch: 1700000000 })).toBe(previous.created);
  });
});
