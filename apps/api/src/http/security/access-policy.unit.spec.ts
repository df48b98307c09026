import type { RequestInfo } from '../http-types.js';
import { describe, expect, it } from 'vitest';
import { toErrorReply } from '../errors/error-reply.js';
import { ADMIN_TOKEN, fakeRequest, READ_TOKEN, testPolicy, WRITE_TOKEN } from './access-policy.fixture.js';
import type { AccessPolicy } from './access-policy.js';
import { READ_SESSION_COOKIE } from './read-session.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The status the policy answers (200: allowed) and the reply's headers. */
function outcome(
  policy: AccessPolicy,
  request: RequestInfo,
): { status: number; headers: Record<string, string> } {
  try {
    policy.authorize(request);
    return { status: 200, headers: {} };
  } catch (error) {
    const reply = toErrorReply(error);
    return { status: reply.status, headers: reply.headers };
  }
}

describe('AccessPolicy', () => {
  it('needs an admin token under /api/admin/: 401 without one, 403 with a write or read token', () => {
    const policy = testPolicy({ readsClosed: true });
    const status = (method: string, path: string, headers = {}) =>
      outcome(policy, fakeRequest(method, path, headers)).status;
    expect(status('POST', '/api/admin/rebuild')).toBe(401);
    expect(status('POST', '/api/admin/rebuild', bearer(WRITE_TOKEN))).toBe(403);
    expect(status('GET', '/api/admin/rebuild/x', bearer(READ_TOKEN))).toBe(403);
    expect(status('GET', '/api/admin/dlq', bearer(WRITE_TOKEN))).toBe(403);
    expect(status('POST', '/api/admin/rebuild', bearer(ADMIN_TOKEN))).toBe(200);
    expect(status('GET', '/api/admin/dlq/0:1', bearer(ADMIN_TOKEN))).toBe(200);
    // Admin ranks above write and read.
    expect(status('POST', '/api/streams/s/events', bearer(ADMIN_TOKEN))).toBe(200);
    expect(status('GET', '/api/timeline', bearer(ADMIN_TOKEN))).toBe(200);
  });

  it('closes administration with a 403 naming TIMELINE_ADMIN_TOKENS when none is configured', () => {
    const policy = testPolicy({ adminClosed: true });
    const request = fakeRequest('POST', '/api/admin/rebuild', bearer(WRITE_TOKEN));
    expect(outcome(policy, request).status).toBe(403);
    expect(() => testPolicy({ adminClosed: true }).authorize(request)).toThrow(/TIMELINE_ADMIN_TOKENS/);
  });

  it('answers 429 with Retry-After once a client has failed its token checks N times a minute, reads included', () => {
    const policy = testPolicy({ readsClosed: true, failuresPerMinute: 3 });
    const statuses = Array.from(
      { length: 5 },
      () => outcome(policy, fakeRequest('GET', '/api/timeline', bearer('guess-0123456789abc'))).status,
    );
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Blocked, its tokens are not even looked at; other clients are not affected.
    const blocked = outcome(policy, fakeRequest('POST', '/api/streams/s/events', bearer(WRITE_TOKEN)));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['Retry-After'])).toBeGreaterThan(0);
    const other = fakeRequest('GET', '/api/timeline', bearer(READ_TOKEN), '198.51.100.9');
    expect(outcome(policy, other).status).toBe(200);
  });

  it('rate-limits reads per client, open reads included', () => {
    const policy = testPolicy({ readsPerMinute: 2 });
    const statuses = Array.from(
      { length: 3 },
      () => outcome(policy, fakeRequest('GET', '/api/stats')).status,
    );
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('accepts a signed read session for reads only, never the raw token as a cookie', () => {
    const policy = testPolicy({ readsClosed: true });
    const cookie = { cookie: `${READ_SESSION_COOKIE}=${policy.sessions.issue()}` };
    expect(outcome(policy, fakeRequest('GET', '/api/timeline', cookie)).status).toBe(200);
    expect(outcome(policy, fakeRequest('POST', '/api/streams/s/events', cookie)).status).toBe(401);
    const raw = { cookie: `${READ_SESSION_COOKIE}=${WRITE_TOKEN}` };
    expect(outcome(policy, fakeRequest('GET', '/api/timeline', raw)).status).toBe(401);
  });

  it('decides a request once, so the middleware and the guard do not count it twice', () => {
    const policy = testPolicy({ writesPerMinute: 1 });
    const request = fakeRequest('POST', '/api/streams/s/events', bearer(WRITE_TOKEN));
    policy.authorize(request);
    expect(() => policy.authorize(request)).not.toThrow();
    expect(outcome(policy, fakeRequest('POST', '/api/streams/s/events', bearer(WRITE_TOKEN))).status).toBe(
      429,
    );
  });
});
