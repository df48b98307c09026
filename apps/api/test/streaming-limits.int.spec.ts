import { request } from 'node:http';
import { KAFKA_HEADERS, type LogPage, type TimelineItem } from '@timeline/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStoreEnv, type RunningApi, startApi } from './support/api-process.js';
import { call, meeting, newStream } from './support/http.js';
import { deleteTopicsWithPrefix, testKafka, uniqueTopicPrefix, waitFor } from './support/kafka.js';
import { openSse } from './support/sse-client.js';

const SHUTDOWN_BOUND_MS = 5_000;
/** The dead-letter routes are administration (`/api/admin/*`): only an admin token opens them. */
const ADMIN_TOKEN = 'streaming-limits-admin-token-0123456789';

/**
 * The streaming limits of the built server (issue "Hardening"): SSE connection caps, the dead-letter
 * routes over a real poison message, and a SIGTERM with streams open (last: it stops the server).
 */
describe('streaming limits of the built API', () => {
  const prefix = uniqueTopicPrefix('limits');
  let api: RunningApi;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const store = await freshStoreEnv('postgres');
    dispose = store.dispose;
    api = await startApi({
      ...store.env,
      KAFKA_TOPIC_PREFIX: prefix,
      TIMELINE_SSE_MAX_PER_ADDRESS: '3',
      TIMELINE_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_BOUND_MS),
      TIMELINE_PROJECTOR_MAX_ATTEMPTS: '2',
      TIMELINE_ADMIN_TOKENS: ADMIN_TOKEN,
    });
  }, 90_000);

  afterAll(async () => {
    await api?.kill().catch(() => undefined);
    await dispose?.();
    await deleteTopicsWithPrefix(prefix);
  });

  const get = <T>(path: string, token?: string) => call<T>(api.url, 'GET', path, token ? { token } : {});
  const head = async () => (await get<LogPage>('/api/events?limit=1')).body.head;

  it('answers 429 with Retry-After past the per-address SSE cap, and frees the place when a stream ends', async () => {
    const streams = await Promise.all([1, 2, 3, 4].map(() => openSse(`${api.url}/api/stream?after=0`)));
    const statuses = streams.map((s) => s.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await fetch(`${api.url}/api/stream?after=0`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { message: string }).message).toMatch(/too many open event streams/);
    const open = streams.filter((s) => s.status === 200);
    open[0]!.close();
    await waitFor('a place freed', async () => {
      const again = await openSse(`${api.url}/api/stream?after=0`);
      again.close();
      return again.status === 200;
    });
    for (const s of open) s.close();
  }, 60_000);

  it('dead-letters a poison message once, lists and shows it, and redrives its position from the store', async () => {
    expect((await get('/api/admin/dlq')).status).toBe(401);
    const position = (await head()) + 1;
    const eventId = crypto.randomUUID();
    // A message for the next position that no reader can decode; the real event comes later.
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({
      topic: `${prefix}timeline.events`,
      messages: [
        {
          key: 'poison',
          value: '{ not json',
          headers: { [KAFKA_HEADERS.position]: String(position), [KAFKA_HEADERS.eventId]: eventId },
        },
      ],
    });
    await producer.disconnect();
    type List = { messages: { id: string; position: number | null; reason: string; redriven: boolean }[] };
    let entry: List['messages'][number] | undefined;
    await waitFor(
      'the dead letter',
      async () => {
        const list = await get<List>('/api/admin/dlq', ADMIN_TOKEN);
        entry = list.body.messages.find((m) => m.position === position);
        return entry !== undefined;
      },
      30_000,
    );
    expect(entry!.redriven).toBe(false);
    const shown = await get<{ value: string; headers: Record<string, string> }>(
      `/api/admin/dlq/${entry!.id}`,
      ADMIN_TOKEN,
    );
    expect(shown.status).toBe(200);
    expect(shown.body.value).toBe('{ not json');
    expect(shown.body.headers[KAFKA_HEADERS.eventId]).toBe(eventId);
    expect((await get(`/api/admin/dlq/0:999999`, ADMIN_TOKEN)).status).toBe(404);

    // The real event at that position: the projector finds the position dead-lettered and skips it.
    const stream = newStream('poison');
    const appended = await call<{ positions?: number[] }>(api.url, 'POST', `/api/streams/${stream}/events`, {
      body: { events: [meeting({ data: { title: 'Redriven meeting', participants: ['David Lammy'] } })] },
      token: api.token,
    });
    expect(appended.status).toBe(201);
    const titles = async () =>
      (await get<{ items: TimelineItem[] }>('/api/timeline')).body.items.map((i) => i.title);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await titles()).not.toContain('Redriven meeting');

    const redrive = (id: string) =>
      call<{ id: string; position: number }>(api.url, 'POST', `/api/admin/dlq/${id}/redrive`, {
        token: ADMIN_TOKEN,
      });
    const driven = await redrive(entry!.id);
    expect(driven.status).toBe(202);
    expect(driven.body).toEqual({ id: entry!.id, position });
    expect(await titles()).toContain('Redriven meeting');
    expect((await redrive(entry!.id)).status).toBe(409);
    const after = await get<List>('/api/admin/dlq', ADMIN_TOKEN);
    expect(after.body.messages.filter((m) => m.position === position)).toMatchObject([{ redriven: true }]);
  }, 90_000);

  it('on SIGTERM ends open SSE and NDJSON streams and exits 0 within the bound, checkpoint written and store closed', async () => {
    const sse = await openSse(`${api.url}/api/stream?after=0`);
    expect(sse.status).toBe(200);
    // An NDJSON read that is not being read: the response is open, its body untouched.
    const ndjson = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const req = request(`${api.url}/api/events?after=0&limit=10000`, {
        headers: { accept: 'application/x-ndjson' },
      });
      req.on('response', (res) => {
        res.pause();
        resolve(res);
      });
      req.on('error', reject);
      req.end();
    });
    expect(ndjson.statusCode).toBe(200);
    ndjson.on('error', () => undefined);
    const started = Date.now();
    const code = await api.stop();
    expect(Date.now() - started).toBeLessThan(SHUTDOWN_BOUND_MS);
    expect(code).toBe(0);
    await sse.closed;
    expect(sse.controls.some((c) => c.event === 'close' && c.data.includes('server shutting down'))).toBe(
      true,
    );
    const out = api.output().stdout;
    expect(out).toContain('relay stopped: checkpoint written');
    expect(out).toContain('stopped: store closed');
  }, 60_000);
});
