// Go's net.ParseIP + IP.String, which BuildKit applies to every add-hosts IP.
import { describe, expect, it } from 'vitest';
import { canonicalIp } from '../../../src/config/host-ip.js';

describe('canonicalIp', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:0db8:0001:0000:0000:0000:0000:0001', '2001:db8:1::1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['::', '::'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::FFFF:a00:1', '10.0.0.1'],
    ['::10.0.0.1', '::a00:1'],
  ])('%s → %s', (input, want) => {
    expect(canonicalIp(input)).toBe(want);
  });

  it.each(['', '10.0.0', '10.0.0.256', '01.2.3.4', '1.2.3.4.5', ':::1', '1::2::3', 'fe80::1%eth0', '12345::1', '1:2:3:4:5:6:7:8:9', 'host'])('%s is not an IP', (input) => {
    expect(canonicalIp(input)).toBeUndefined();
  });
});
