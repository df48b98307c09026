import type { AppendResponse, LogPage } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { apiForSuite, runApiToExit, type StoreKind } from './support/api-process.js';
import { call, meeting, newStream } from './support/http.js';

const READ_TOKEN = 'test-read-token-0123456789abcdef';

/** How the process starts: a second start on a seeded store, closed reads, rate limits, bad configuration. */
describe.each<StoreKind>(['pglite', 'postgres'])('HTTP API on %s', (kind) => {
  const suite = apiForSuite(kind);
  const post = <T = AppendResponse>(path: string, body: unknown) =>
    call<T>(suite.api.url, 'POST', path, { body, token: suite.api.token });
  const get = <T>(path: string) => call<T>(suite.api.url, 'GET', path);
  const head = async () => (await get<LogPage>('/api/events?limit=1')).body.head;

  describe('after a restart with a low rate limit and closed reads', () => {
    it('does not seed twice: the head is unchanged', async () => {
      const before = await head();
      await suite.restart({ TIMELINE_RATE_LIMIT: '3', TIMELINE_READ_TOKENS: READ_TOKEN });
      expect(suite.api.output().stdout).toContain('seed skipped');
      const page = await call<LogPage>(suite.api.url, 'GET', '/api/events?limit=1', { token: READ_TOKEN });
      expect(page.body.head).toBe(before);
    });

    it('needs a token to read when read tokens are set; health stays open', async () => {
      expect((await get('/api/events')).status).toBe(401);
      expect((await call(suite.api.url, 'GET', '/api/events', { token: READ_TOKEN })).status).toBe(200);
      expect((await call(suite.api.url, 'GET', '/api/events', { token: suite.api.token })).status).toBe(200);
      expect((await get('/api/health/ready')).status).toBe(200);
    });

    it('opens a browser read session: a cookie that reads (SSE included) but never writes', async () => {
      const open = (token: string) =>
        fetch(`${suite.api.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
        });
      expect((await open('not-a-token-at-all')).status).toBe(401);
      const opened = await open(READ_TOKEN);
      expect(opened.status).toBe(204);
      const setCookie = opened.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^timeline_read=[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
      const cookie = setCookie.split(';')[0]!;
      expect((await fetch(`${suite.api.url}/api/events?limit=1`, { headers: { cookie } })).status).toBe(200);
      const controller = new AbortController();
      const stream = await fetch(`${suite.api.url}/api/stream`, {
        headers: { cookie },
        signal: controller.signal,
      });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      controller.abort();
      const write = await fetch(`${suite.api.url}/api/streams/${newStream('cookie')}/events`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [meeting()] }),
      });
      expect(write.status).toBe(401);
      const closed = await fetch(`${suite.api.url}/api/session`, { method: 'DELETE' });
      expect(closed.status).toBe(204);
      expect(closed.headers.get('set-cookie')).toMatch(/^timeline_read=; Max-Age=0/);
    });

    it('answers 429 with Retry-After past the write rate limit', async () => {
      const streamId = newStream('rate');
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const response = await post(`/api/streams/${streamId}/events`, { events: [meeting()] });
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get('retry-after');
      }
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(20);
    });
  });
});

describe('configuration errors', () => {
  it('exits with code 1 naming the variable and what is expected', async () => {
    const result = await runApiToExit({
      PORT: 'eighty',
      TIMELINE_RATE_LIMIT: 'lots',
      TIMELINE_SEED: 'false',
    });
    expect(result.code).toBe(1);
    const [jsonLine, ...human] = result.stderr.trim().split('\n');
    expect(JSON.parse(jsonLine!)).toMatchObject({
      level: 'fatal',
      msg: 'Timeline API cannot start',
      problems: expect.arrayContaining([expect.objectContaining({ variable: 'PORT' })]),
    });
    expect(human.join('\n')).toMatch(/PORT: must be a port number/);
    expect(human.join('\n')).toMatch(/TIMELINE_RATE_LIMIT: must be a whole number/);
  });

  it('refuses to start on PostgreSQL without write tokens', async () => {
    const result = await runApiToExit({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/never_opened' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('TIMELINE_WRITE_TOKENS must be set when DATABASE_URL is set');
  });
});
