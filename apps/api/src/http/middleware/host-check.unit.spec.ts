import { describe, expect, it } from 'vitest';
import { hostCheck, hostName } from './host-check.js';

function statusFor(check: ReturnType<typeof hostCheck>, host: string | undefined): number {
  try {
    check({ headers: host === undefined ? {} : { host } } as never, {} as never);
    return 200;
  } catch (error) {
    return (error as { getStatus(): number }).getStatus();
  }
}

describe('hostCheck', () => {
  it('answers loopback names and the configured host on any port', () => {
    const check = hostCheck('192.0.2.10', []);
    for (const host of ['127.0.0.1:3000', 'localhost', 'LOCALHOST:80', '[::1]:3000', '192.0.2.10:3000'])
      expect(statusFor(check, host), host).toBe(200);
  });

  it('refuses a rebound name (DNS rebinding) and a missing Host with 421', () => {
    const check = hostCheck('127.0.0.1', []);
    expect(statusFor(check, 'rebind.attacker.example:3000')).toBe(421);
    expect(statusFor(check, undefined)).toBe(421);
    expect(statusFor(check, '127.0.0.1.attacker.example')).toBe(421);
  });

  it('adds TIMELINE_ALLOWED_HOSTS, and * allows any', () => {
    expect(statusFor(hostCheck('0.0.0.0', ['timeline.example.org']), 'Timeline.example.org:443')).toBe(200);
    expect(statusFor(hostCheck('0.0.0.0', []), '0.0.0.0:3000')).toBe(421);
    expect(statusFor(hostCheck('::1', ['*']), 'anything.example')).toBe(200);
  });

  it('reads a Host header without its port', () => {
    expect(hostName('[::1]:3000')).toBe('[::1]');
    expect(hostName('Example.org:8080')).toBe('example.org');
    expect(hostName('example.org')).toBe('example.org');
  });
});
