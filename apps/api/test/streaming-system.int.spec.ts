import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { foldTimeline, KAFKA_HEADERS, type TimelineResponse, upcastEnvelope } from '@timeline/shared-types';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startApi } from './support/api-process.js';
import {
  consumeTopic,
  deleteTopicsWithPrefix,
  KAFKA_BROKERS,
  uniqueTopicPrefix,
  waitFor,
} from './support/kafka.js';
import { createTestDatabase } from './support/postgres.js';
import { openSse } from './support/sse-client.js';

const KAFKA_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../../../infra/scripts/kafka.sh');
const run = promisify(execFile);

function meetingBody(title: string) {
  return {
    events: [
      {
        type: 'MeetingHeld',
        occurredAt: { start: '2024-07-24', precision: 'day' },
        data: { title, participants: ['David Lammy', 'S Jaishankar'] },
      },
    ],
  };
}

async function append(api: ApiProcess, stream: string, title: string): Promise<{ position: number }> {
  const res = await fetch(`${api.url}/api/streams/${stream}/events`, {
    method: 'POST',
    headers: api.headers(),
    body: JSON.stringify(meetingBody(title)),
  });
  if (res.status !== 201) throw new Error(`append ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { events: Array<{ position: number }> };
  return body.events[0]!;
}

/** Every position 1..head appears on the topic (duplicates allowed). */
async function topicPositions(topic: string, head: number): Promise<Set<number>> {
  const seen = new Set<number>();
  await consumeTopic(
    topic,
    (m) => {
      seen.add(Number(m.headers[KAFKA_HEADERS.position]));
      return 0;
    },
    () => seen.size >= head,
    60_000,
  );
  return seen;
}

/** The read model compared row by row with a fold of the store. */
async function expectReadModelEqualsStore(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: events } = await client.query(
      `SELECT event_id, stream_id, stream_version, position::int, type, schema_version, occurred_at, recorded_at, data, metadata
       FROM events ORDER BY position`,
    );
    const folded = foldTimeline(
      events.map((r) =>
        upcastEnvelope({
          eventId: r.event_id,
          streamId: r.stream_id,
          streamVersion: r.stream_version,
          position: r.position,
          type: r.type,
          schemaVersion: r.schema_version,
          occurredAt: r.occurred_at,
          recordedAt: new Date(r.recorded_at).toISOString(),
          data: r.data,
          metadata: r.metadata,
        }),
      ),
    );
    const { rows: items } = await client.query('SELECT item FROM timeline_items ORDER BY position');
    const expected = [...folded.values()].sort((a, b) => a.position - b.position);
    expect(items.map((r) => r.item)).toEqual(expected);
    const { rows: dupes } = await client.query('SELECT count(*)::int AS n FROM timeline_items');
    expect(dupes[0].n).toBe(expected.length);
    return events.length;
  } finally {
    await client.end();
  }
}

async function lagOf(
  databaseUrl: string,
  prefix: string,
): Promise<{ head: number; published: number; projected: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const head = (await client.query('SELECT position::int AS p FROM log_head')).rows[0].p as number;
    const published =
      ((
        await client.query('SELECT position::int AS p FROM relay_checkpoints WHERE name = $1', [
          `${prefix}timeline.events`,
        ])
      ).rows[0]?.p as number | undefined) ?? 0;
    const projected = (await client.query('SELECT count(*)::int AS n FROM projected_events')).rows[0]
      .n as number;
    return { head, published, projected };
  } finally {
    await client.end();
  }
}

describe('streaming through the whole service (real broker, real PostgreSQL, API processes)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  async function environment(label: string) {
    const db = await createTestDatabase(label);
    const prefix = uniqueTopicPrefix(label);
    cleanups.push(db.drop, () => deleteTopicsWithPrefix(prefix));
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: KAFKA_BROKERS.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      TIMELINE_SEED: 'false',
      TIMELINE_RATE_LIMIT: '0',
    };
    return { db, prefix, env };
  }

  it('an append reaches the topic, /api/timeline and an SSE client, all with the same position', async () => {
    const { prefix, env } = await environment('e2e');
    const api = await startApi(env);
    cleanups.push(async () => void (await api.stop()));
    const sse = await openSse(`${api.url}/api/stream?after=0`);
    const { position } = await append(api, 'e2e-stream', 'Talks in Delhi');

    const onTopic = await consumeTopic(
      `${prefix}timeline.events`,
      (m) => Number(m.headers[KAFKA_HEADERS.position]),
      (seen) => seen.includes(position),
    );
    expect(onTopic).toContain(position);
    const item = await waitFor('timeline item', async () => {
      const body = (await (await fetch(`${api.url}/api/timeline`)).json()) as TimelineResponse;
      return body.items.find((i) => i.title === 'Talks in Delhi');
    });
    expect(item.position).toBe(position);
    await waitFor('sse event', async () => sse.events.length > 0);
    expect(sse.events[0]!.position).toBe(position);
    sse.close();

    // Resuming with Last-Event-ID gives exactly N+1.. while appends go on.
    const more: number[] = [];
    for (let i = 0; i < 5; i += 1) more.push((await append(api, 'e2e-stream', `more ${i}`)).position);
    const resumed = await openSse(`${api.url}/api/stream`, { 'last-event-id': String(more[1]) });
    more.push((await append(api, 'e2e-stream', 'during resume')).position);
    await waitFor('resumed events', async () => resumed.events.length >= 4);
    expect(resumed.events.map((e) => e.position)).toEqual(more.slice(2));
    resumed.close();

    // A correction: the live timeline shows it; the timeline as of before it does not.
    const beforeCorrection = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const corrected = await fetch(`${api.url}/api/events/${item.id}/corrections`, {
      method: 'POST',
      headers: api.headers(),
      body: JSON.stringify({ patch: { title: 'Talks in New Delhi' }, reason: 'the city is named New Delhi' }),
    });
    expect(corrected.status).toBe(201);
    await waitFor('corrected item', async () => {
      const body = (await (await fetch(`${api.url}/api/timeline`)).json()) as TimelineResponse;
      return body.items.find((i) => i.id === item.id && i.title === 'Talks in New Delhi');
    });
    const past = (await (
      await fetch(`${api.url}/api/timeline?asOf=${encodeURIComponent(beforeCorrection)}`)
    ).json()) as TimelineResponse;
    expect(past.items.find((i) => i.id === item.id)?.title).toBe('Talks in Delhi');
    expect(await api.stop()).toBe(0);
  });

  it('SIGKILL during 5,000 appends: after a restart the topic holds every event, the read model equals the store', async () => {
    const { db, prefix, env } = await environment('kill');
    let api = await startApi(env);
    const total = 5_000;
    let next = 0;
    let committed = 0;
    const writer = async (target: () => ApiProcess, stopAt: number) => {
      const workers = Array.from({ length: 8 }, async () => {
        while (next < stopAt) {
          const i = next++;
          try {
            await append(target(), `kill-${i % 16}`, `event ${i}`);
            committed += 1;
          } catch {
            return; // the process died under us; the store decides what was committed
          }
        }
      });
      await Promise.all(workers);
    };
    const firstRun = writer(() => api, total);
    await waitFor('some appends', async () => committed >= 1_500, 120_000);
    await api.kill();
    await firstRun;
    const headAtKill = (await lagOf(db.url, prefix)).head;
    expect(headAtKill).toBeGreaterThanOrEqual(1_500);
    expect(headAtKill).toBeLessThan(total);

    api = await startApi(env);
    cleanups.push(async () => void (await api.stop()));
    next = headAtKill;
    await writer(() => api, total);
    const lag = await waitFor(
      'relay and projector caught up',
      async () => {
        const l = await lagOf(db.url, prefix);
        return l.head >= total && l.published === l.head && l.projected === l.head ? l : undefined;
      },
      120_000,
    );
    expect(lag.head).toBe(total);
    const positions = await topicPositions(`${prefix}timeline.events`, lag.head);
    expect(positions.size).toBe(lag.head);
    expect(await expectReadModelEqualsStore(db.url)).toBe(total);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/^timeline_relay_lag_events 0$/m);
  }, 300_000);

  it('two API instances: one relay at a time; killing the active one loses nothing', async () => {
    const { db, prefix, env } = await environment('pair');
    const a = await startApi(env);
    const b = await startApi(env);
    cleanups.push(
      async () => void (await a.stop()),
      async () => void (await b.stop()),
    );
    for (let i = 0; i < 50; i += 1) await append(i % 2 ? a : b, `pair-${i % 5}`, `pair ${i}`);
    const relayActive = async (api: ApiProcess) =>
      Number(/^timeline_relay_active (\d)/m.exec(await (await fetch(`${api.url}/metrics`)).text())?.[1] ?? 0);
    await waitFor('published', async () => (await lagOf(db.url, prefix)).published === 50);
    const activeFlags = [await relayActive(a), await relayActive(b)];
    expect(activeFlags.sort()).toEqual([0, 1]);
    const [active, standby] = (await relayActive(a)) === 1 ? [a, b] : [b, a];

    await active.kill();
    for (let i = 50; i < 120; i += 1) await append(standby, `pair-${i % 5}`, `pair ${i}`);
    await waitFor('standby took over', async () => (await relayActive(standby)) === 1, 30_000);
    const lag = await waitFor(
      'caught up after takeover',
      async () => {
        const l = await lagOf(db.url, prefix);
        return l.published === 120 && l.projected === 120 ? l : undefined;
      },
      60_000,
    );
    expect(lag.head).toBe(120);
    expect((await topicPositions(`${prefix}timeline.events`, 120)).size).toBe(120);
    await expectReadModelEqualsStore(db.url);
  }, 180_000);

  it('stopping and restarting the broker during appends: appends keep succeeding, then everything is published', async () => {
    const { db, prefix, env } = await environment('broker');
    const api = await startApi(env);
    cleanups.push(async () => void (await api.stop()));
    for (let i = 0; i < 20; i += 1) await append(api, 'broker-a', `before ${i}`);
    await waitFor('published before', async () => (await lagOf(db.url, prefix)).published === 20);

    await run('bash', [KAFKA_SCRIPT, 'stop'], { timeout: 60_000 });
    try {
      for (let i = 0; i < 30; i += 1) await append(api, 'broker-a', `during ${i}`);
      expect((await lagOf(db.url, prefix)).head).toBe(50);
    } finally {
      await run('bash', [KAFKA_SCRIPT, 'start'], { timeout: 120_000 });
    }
    for (let i = 0; i < 10; i += 1) await append(api, 'broker-a', `after ${i}`);
    const lag = await waitFor(
      'published and projected after the broker returned',
      async () => {
        const l = await lagOf(db.url, prefix);
        return l.published === 60 && l.projected === 60 ? l : undefined;
      },
      120_000,
    );
    expect(lag.head).toBe(60);
    expect((await topicPositions(`${prefix}timeline.events`, 60)).size).toBe(60);
    await expectReadModelEqualsStore(db.url);
  }, 300_000);
});
