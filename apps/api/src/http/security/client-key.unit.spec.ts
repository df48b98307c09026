import { describe, expect, it } from 'vitest';
import { addressKey, clientKey } from './client-key.js';

describe('clientKey', () => {
  it('keys an IPv4 client (plain or IPv4-mapped) by its address', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('keys an IPv6 client by its /64, so rotating within it gains nothing', () => {
    const a = addressKey('2001:db8:1:2:aaaa::1');
    expect(a).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(a);
    expect(addressKey('2001:db8:1:3::1')).not.toBe(a);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('keys a request by its ip (which honours trustProxy), and names a missing one', () => {
    expect(clientKey({ ip: '198.51.100.1' })).toBe('address:198.51.100.1');
    expect(clientKey({ ip: '' })).toBe('address:unknown');
  });
});
