import { request as httpRequest } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorResponse } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { apiForSuite } from './support/api-process.js';
import { call, meeting, newStream } from './support/http.js';

const READ_TOKEN = 'test-read-token-0123456789abcdef';

/** A request with a Host header of our choosing (fetch does not let a caller set it). */
function statusForHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/api/timeline`, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP security on the embedded store (the dev default)', () => {
  const suite = apiForSuite('pglite', {
    TIMELINE_READ_TOKENS: READ_TOKEN,
    TIMELINE_AUTH_FAILURE_LIMIT: '5',
    TIMELINE_RATE_LIMIT: '0',
  });
  const adminToken = async () =>
    (await readFile(join(suite.storeEnv.TIMELINE_DATA_DIR!, 'admin-token'), 'utf8')).trim();

  it('makes an admin token file (0600) and logs its path, never the token', async () => {
    const file = join(suite.storeEnv.TIMELINE_DATA_DIR!, 'admin-token');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const { stdout, stderr } = suite.api.output();
    expect(stdout).toContain(file);
    expect(stdout + stderr).not.toContain(await adminToken());
  });

  it('asks an admin token for /api/admin/*: 401 without a token, 403 with a write token', async () => {
    const { url, token } = suite.api;
    expect((await call(url, 'POST', '/api/admin/rebuild')).status).toBe(401);
    const refused = await call<ErrorResponse>(url, 'POST', '/api/admin/rebuild', { token });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/admin token/);
    const admin = await adminToken();
    const started = await call<{ id: string }>(url, 'POST', '/api/admin/rebuild', { token: admin });
    expect(started.status).toBe(202);
    const status = `/api/admin/rebuild/${started.body.id}`;
    expect((await call(url, 'GET', status, { token })).status).toBe(403);
    expect((await call(url, 'GET', status, { token: READ_TOKEN })).status).toBe(403);
    expect((await call(url, 'GET', status, { token: admin })).status).toBe(200);
  });

  it('opens a READ session for a write token, in a cookie that does not hold the token', async () => {
    const { url, token } = suite.api;
    const opened = await call(url, 'POST', '/api/session', { body: { token } });
    expect(opened.status).toBe(204);
    const setCookie = opened.headers.get('set-cookie')!;
    expect(setCookie).not.toContain(token);
    expect(setCookie).not.toContain(encodeURIComponent(token));
    expect(setCookie).toMatch(/HttpOnly; SameSite=Strict/);
    // X-Forwarded-Proto from a proxy that is not trusted changes nothing.
    const viaProxy = await call(url, 'POST', '/api/session', {
      body: { token },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(viaProxy.headers.get('set-cookie')).not.toMatch(/Secure/);
    const cookie = setCookie.split(';')[0]!;
    expect((await call(url, 'GET', '/api/timeline', { headers: { cookie } })).status).toBe(200);
    const write = await call(url, 'POST', `/api/streams/${newStream('session')}/events`, {
      body: { expectedVersion: 'any', events: [meeting()] },
      headers: { cookie },
    });
    expect(write.status).toBe(401);
  });

  it('refuses a Host that is not ours with 421 (DNS rebinding), and answers loopback names', async () => {
    const { url, port } = { url: suite.api.url, port: new URL(suite.api.url).port };
    expect(await statusForHost(url, `rebind.attacker.example:${port}`)).toBe(421);
    expect(await statusForHost(url, `localhost:${port}`)).toBe(401);
  });

  it('refuses a source URL that is not http(s), naming the field', async () => {
    const response = await call<ErrorResponse>(
      suite.api.url,
      'POST',
      `/api/streams/${newStream('url')}/events`,
      {
        token: suite.api.token,
        body: {
          expectedVersion: 'no_stream',
          events: [
            meeting({
              metadata: { sources: [{ publisher: 'P', title: 'T', quote: 'Q', url: 'javascript:alert(1)' }] },
            }),
          ],
        },
      },
    );
    expect(response.status).toBe(400);
    expect(response.body.issues?.map((i) => i.path)).toEqual(['events.0.metadata.sources.0.url']);
  });

  // Last: it leaves this client blocked for a while.
  it('answers 401 to a 1 MB body without a token, and 429 with Retry-After once failed checks pile up, reads included', async () => {
    const { url } = suite.api;
    const huge = `${'['.repeat(512 * 1024)}${']'.repeat(512 * 1024)}`;
    const refused = await call(url, 'POST', '/api/streams/s/events', {
      rawBody: huge,
      headers: { 'content-type': 'application/json' },
    });
    expect(refused.status).toBe(401);
    // Earlier tests of this suite failed a few checks already: the limit (5 a minute) is near.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await call(url, 'GET', '/api/timeline', { token: 'wrong-token-0123456789' })).status);
    const firstRefusal = statuses.indexOf(429);
    expect(firstRefusal).toBeGreaterThan(0);
    expect(statuses).toEqual([...Array(firstRefusal).fill(401), ...Array(6 - firstRefusal).fill(429)]);
    const blocked = await call(url, 'GET', '/api/timeline', { token: READ_TOKEN });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('HTTP security on PostgreSQL behind a trusted proxy', () => {
  const suite = apiForSuite('postgres', {
    TIMELINE_TRUSTED_PROXIES: 'loopback',
    TIMELINE_RATE_LIMIT: '2',
  });

  it('closes /api/admin/* without TIMELINE_ADMIN_TOKENS, saying so', async () => {
    const response = await call<ErrorResponse>(suite.api.url, 'POST', '/api/admin/rebuild', {
      token: suite.api.token,
    });
    expect(response.status).toBe(403);
    expect(response.body.message).toMatch(/TIMELINE_ADMIN_TOKENS/);
  });

  it('keys limits by the client the trusted proxy names, and marks the session cookie Secure behind https', async () => {
    const { url, token } = suite.api;
    const attempt = (client: string) =>
      call(url, 'POST', '/api/session', {
        body: { token },
        headers: { 'x-forwarded-for': client, 'x-forwarded-proto': 'https' },
      });
    const first = await attempt('198.51.100.1');
    expect(first.headers.get('set-cookie')).toMatch(/; Secure/);
    expect((await attempt('198.51.100.1')).status).toBe(204);
    expect((await attempt('198.51.100.1')).status).toBe(429);
    expect((await attempt('198.51.100.2')).status).toBe(204);
    // IPv6 clients count by /64: another address in the same /64 is the same client.
    expect((await attempt('2001:db8:1:2::a')).status).toBe(204);
    expect((await attempt('2001:db8:1:2::b')).status).toBe(204);
    expect((await attempt('2001:db8:1:2::c')).status).toBe(429);
  });
});
