import type {
  LogHistogramResponse,
  TimelineOverviewResponse,
  TimelineResponse,
  TimelineWindowResponse,
} from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { apiForSuite, type StoreKind } from './support/api-process.js';
import { call, meeting, newStream } from './support/http.js';

/** The window routes over HTTP against the built server: validation, tags and 304, the old answer kept. */
describe.each<StoreKind>(['pglite', 'postgres'])('the timeline by window over HTTP on %s', (kind) => {
  const suite = apiForSuite(kind);
  const get = <T>(path: string, headers?: Record<string, string>) =>
    call<T>(suite.api.url, 'GET', path, headers ? { headers } : {});
  const append = async (title: string): Promise<number> => {
    const response = await call<{ events: { position: number }[] }>(
      suite.api.url,
      'POST',
      `/api/streams/${newStream('window')}/events`,
      {
        token: suite.api.token,
        body: { events: [meeting({ data: { title, participants: ['David Lammy'] } })] },
      },
    );
    expect(response.status, response.text).toBe(201);
    return response.body.events[0]!.position;
  };
  const projected = async (position: number) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { body } = await get<TimelineWindowResponse>('/api/timeline?budget=10');
      if (body.position >= position) return;
      if (Date.now() > deadline) throw new Error(`position ${position} not projected in 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('answers a bad parameter with 400 naming the field', async () => {
    for (const [path, field] of [
      ['/api/timeline?budget=0', 'budget'],
      ['/api/timeline?budget=5001', 'budget'],
      ['/api/timeline?at=3', 'budget'],
      ['/api/timeline?budget=10&groupBy=colour', 'groupBy'],
      ['/api/timeline?budget=10&buckets=201', 'buckets'],
      ['/api/timeline?buckets=10', 'budget'],
      ['/api/timeline?budget=10&from=2024-02&to=2024-01', 'to'],
      ['/api/timeline?budget=10&at=999999', 'at'],
      ['/api/timeline/diff?from=3', 'to'],
      ['/api/timeline/diff?from=5&to=2', 'to'],
      ['/api/timeline/overview?colour=red', 'colour'],
      ['/api/log/histogram?buckets=0', 'buckets'],
    ] as const) {
      const response = await get<{ issues?: { path: string }[] }>(path);
      expect(response.status, path).toBe(400);
      expect(
        response.body.issues?.map((i) => i.path),
        path,
      ).toContain(field);
    }
  });

  it('tags answers with the position: 304 while it holds, a new answer once it moves', async () => {
    await projected(await append('Talks in Delhi, by window'));
    const path = '/api/timeline?budget=100&from=2024&to=2024&q=by%20window';
    const first = await get<TimelineWindowResponse>(path);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ mode: 'items', window: { from: '2024-01-01T00:00:00.000Z' } });
    expect(first.body.items.map((i) => i.title)).toContain('Talks in Delhi, by window');
    const tag = first.headers.get('etag');
    expect(tag).toBe(`"${first.body.position}"`);
    const again = await get(path, { 'if-none-match': tag! });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');

    // Without budget, the answer of old clients.
    const old = await get<TimelineResponse & { mode?: string }>('/api/timeline');
    expect(old.body.mode).toBeUndefined();
    const overview = await get<TimelineOverviewResponse>('/api/timeline/overview');
    expect(overview.body.rows.reduce((n, r) => n + r.count, 0)).toBe(old.body.items.length);
    expect((await get('/api/timeline/overview', { 'if-none-match': tag! })).status).toBe(304);
    const histogram = await get<LogHistogramResponse>('/api/log/histogram?buckets=10');
    expect(histogram.body.rows.reduce((n, r) => n + r.count, 0)).toBe(histogram.body.head);
    const before = await get<TimelineWindowResponse>(
      `/api/timeline?budget=100&q=by%20window&at=${first.body.position - 1}`,
    );
    expect(before.body.items.map((i) => i.title)).not.toContain('Talks in Delhi, by window');

    const next = await append('Talks in London, by window');
    await projected(next);
    const moved = await get<TimelineWindowResponse>(path, { 'if-none-match': tag! });
    expect(moved.status).toBe(200);
    expect(moved.headers.get('etag')).toBe(`"${moved.body.position}"`);
    expect(moved.body.items.map((i) => i.title)).toContain('Talks in London, by window');
  });
});
