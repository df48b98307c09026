import { describe, expect, it } from 'vitest';
import {
  READ_SESSION_COOKIE,
  READ_SESSION_SECONDS,
  ReadSessions,
  readSessionCookie,
} from './read-session.js';

function clockAt(ms: number) {
  let now = ms;
  return { now: () => new Date(now), advance: (by: number) => (now += by) };
}

describe('ReadSessions', () => {
  const secret = Buffer.from('s'.repeat(32));

  it('issues an opaque signed value that it accepts until it expires', () => {
    const clock = clockAt(Date.parse('2026-01-01T00:00:00Z'));
    const sessions = new ReadSessions(secret, clock);
    const value = sessions.issue();
    expect(value).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
    const cookie = `other=1; ${READ_SESSION_COOKIE}=${value}`;
    expect(sessions.accepts(cookie)).toBe(true);
    clock.advance(READ_SESSION_SECONDS * 1000);
    expect(sessions.accepts(cookie)).toBe(false);
  });

  it('refuses a value signed with another secret, a tampered expiry, and raw tokens', () => {
    const clock = clockAt(Date.parse('2026-01-01T00:00:00Z'));
    const value = new ReadSessions(Buffer.from('t'.repeat(32)), clock).issue();
    const sessions = new ReadSessions(secret, clock);
    expect(sessions.accepts(`${READ_SESSION_COOKIE}=${value}`)).toBe(false);
    const own = sessions.issue();
    const [expiry, mac] = own.split('.');
    expect(sessions.accepts(`${READ_SESSION_COOKIE}=${Number(expiry) + 100}.${mac}`)).toBe(false);
    expect(sessions.accepts(`${READ_SESSION_COOKIE}=a-write-token-0123456789`)).toBe(false);
    expect(sessions.accepts(undefined)).toBe(false);
  });

  it('marks the cookie Secure only when asked', () => {
    expect(readSessionCookie('1.x', false)).not.toContain('Secure');
    expect(readSessionCookie('1.x', true)).toContain('; Secure');
    expect(readSessionCookie(undefined, true)).toMatch(/Max-Age=0/);
  });
});
