import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseCsv, readStoredEnvelope, type TimelineItem } from '@timeline/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStoreModule } from '../src/event-store/event-store.module.js';
import type { EventStore } from '../src/event-store/event-store.port.js';
import type { SqlClient } from '../src/event-store/sql-client.js';
import { HttpExceptionFilter } from '../src/http/errors/http-exception.filter.js';
import { ReadModelModule } from '../src/read-model/read-model.module.js';
import { TimelineReadModel } from '../src/read-model/timeline-read-model.js';
import type { RebuildStatus } from '../src/replay/rebuild-status.js';
import { ReplayModule } from '../src/replay/replay.module.js';
import { aFact, manualClock, parseLines, sha256 } from './support/replay-fixtures.js';
import { openTestStorage } from './support/stores.js';

/** Hosts the read-model and replay modules the way the app does, on the store alone (no Kafka). */
async function startReplayApp(
  store: EventStore,
  sql: SqlClient,
): Promise<{ app: NestFastifyApplication; url: string }> {
  const infrastructure = EventStoreModule.forRoot({ store, sql });
  @Module({
    imports: [ReadModelModule.register(infrastructure), ReplayModule.register({ infrastructure })],
    providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
  })
  class TestApp {}

  const app = await NestFactory.create<NestFastifyApplication>(TestApp, new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

describe('replay, stats, export and rebuild over HTTP (PGlite)', () => {
  const clock = manualClock('2024-07-24T10:00:00.000Z');
  let storage: Awaited<ReturnType<typeof openTestStorage>>;
  let app: NestFastifyApplication;
  let url: string;
  const quoted = aFact('Talks, "frank" and\nlong', { pillars: ['quantum'], actors: ['S Jaishankar'] });
  quoted.metadata = {
    sources: [
      { publisher: 'Report', title: 'A <b>title</b>', quote: 'He said "yes", then <script>x</script>' },
    ],
  };
  const year = aFact('Roadmap', { occurredAt: { start: '2021', precision: 'year' }, actors: ['India'] });

  beforeAll(async () => {
    storage = await openTestStorage('pglite', 'replay', clock.now);
    await storage.store.append('quoted', 'no_stream', [quoted]);
    clock.set('2024-07-26T00:00:00.000Z');
    await storage.store.append('roadmap', 'no_stream', [year]);
    const readModel = new TimelineReadModel(storage.sql);
    const log = [];
    for await (const e of storage.store.readLog({})) log.push(readStoredEnvelope(e));
    await readModel.apply(log);
    ({ app, url } = await startReplayApp(storage.store, storage.sql));
  });

  afterAll(async () => {
    await app?.close();
    await storage?.dispose();
  });

  it('GET /api/replay streams canonical NDJSON, names its horizon, and refuses a bad selection with the failing path', async () => {
    const res = await fetch(`${url}/api/replay?mode=events&types=MeetingHeld`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('timeline-replay-horizon')).toBe('2');
    const body = await res.text();
    expect(parseLines<{ position: number }>(body).map((e) => e.position)).toEqual([1, 2]);
    const again = await (await fetch(`${url}/api/replay?mode=events&types=MeetingHeld&until=2`)).text();
    expect(sha256(again)).toBe(sha256(body));

    for (const [query, path] of [
      ['mode=events&pillars=space', 'pillars.0'],
      ['mode=timeline&after=3', 'after'],
      ['mode=events&after=5&until=2', 'until'],
      ['mode=events&asOf=yesterday', 'asOf'],
      ['mode=events&colour=red', 'colour'],
    ] as const) {
      const bad = await fetch(`${url}/api/replay?${query}`);
      expect(bad.status, query).toBe(400);
      const problem = (await bad.json()) as { issues: Array<{ path: string }> };
      expect(
        problem.issues.map((i) => i.path),
        query,
      ).toContain(path);
    }
  });

  it('GET /api/stats counts by pillar, actor, type and month, as JSON or CSV', async () => {
    const json = (await (await fetch(`${url}/api/stats`)).json()) as Record<string, unknown>;
    expect(json).toMatchObject({
      byPillar: { quantum: 1 },
      byActor: { India: 1, 'S Jaishankar': 1 },
      byType: { MeetingHeld: 2 },
      byMonth: { '2021': 1, '2024-07': 1 },
      total: 2,
      position: 2,
    });
    const asOf = (await (await fetch(`${url}/api/stats?asOf=2024-07-25`)).json()) as {
      total: number;
      asOf: string;
    };
    expect(asOf).toMatchObject({ total: 1, asOf: '2024-07-25T00:00:00.000Z' });
    const csv = await fetch(`${url}/api/stats`, { headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(parseCsv(await csv.text())).toContainEqual(['month', '2021', '1']);
  });

  it('GET /api/export gives one row per item with sources, CSV escaped and TimelineJS HTML-escaped', async () => {
    const jsonl = parseLines<TimelineItem>(await (await fetch(`${url}/api/export?format=jsonl`)).text());
    expect(jsonl.map((i) => i.title)).toEqual(['Roadmap', 'Talks, "frank" and\nlong']);
    expect(jsonl[1]!.sources[0]!.quote).toBe('He said "yes", then <script>x</script>');

    const rows = parseCsv(await (await fetch(`${url}/api/export?format=csv`)).text());
    expect(rows).toHaveLength(3);
    const header = rows[0]!;
    const row = rows[2]!;
    expect(row[header.indexOf('title')]).toBe('Talks, "frank" and\nlong');
    expect(JSON.parse(row[header.indexOf('sources')]!)).toEqual(quoted.metadata.sources);

    const tl = (await (await fetch(`${url}/api/export?format=timelinejs&title=India%20%26%20UK`)).json()) as {
      title: { text: { headline: string } };
      events: Array<{
        start_date: Record<string, number>;
        text: { headline: string; text: string };
        unique_id: string;
        group?: string;
      }>;
    };
    expect(tl.title.text.headline).toBe('India &#38; UK');
    expect(tl.events[0]!.start_date).toEqual({ year: 2021 });
    expect(tl.events[1]).toMatchObject({
      start_date: { year: 2024, month: 7, day: 24 },
      unique_id: quoted.eventId,
      group: 'Quantum',
    });
    expect(tl.events[1]!.text.text).not.toContain('<script>');
    expect(tl.events[1]!.text.headline).toBe('Talks, &#34;frank&#34; and\nlong');
  });

  it('POST /api/admin/rebuild streams progress as NDJSON and GET /api/admin/rebuild/:id reports the result', async () => {
    const res = await fetch(`${url}/api/admin/rebuild`, {
      method: 'POST',
      headers: { accept: 'application/x-ndjson' },
    });
    expect(res.status).toBe(200);
    const lines = parseLines<RebuildStatus>(await res.text());
    const last = lines.at(-1)!;
    expect(last).toMatchObject({
      state: 'swapped',
      phase: 'done',
      appliedPosition: 2,
      items: 2,
      source: 'store',
    });
    // The final status is sent once: exactly one line is not 'running', and it is the last.
    expect(lines.filter((l) => l.state !== 'running')).toHaveLength(1);
    const status = (await (await fetch(`${url}/api/admin/rebuild/${last.id}`)).json()) as RebuildStatus;
    expect(status).toMatchObject({ id: last.id, state: 'swapped', appliedPosition: 2, source: 'store' });
    // A source it does not know is refused by name; Kafka is refused where there is none to read.
    const bad = await fetch(`${url}/api/admin/rebuild?source=tape`, { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: Array<{ path: string }> }).issues[0]!.path).toBe('source');
    const noKafka = await fetch(`${url}/api/admin/rebuild?source=kafka`, { method: 'POST' });
    expect(noKafka.status).toBe(409);
    expect(((await noKafka.json()) as { message: string }).message).toMatch(/source=store/);
    expect((await fetch(`${url}/api/admin/rebuild/${randomUUID()}`)).status).toBe(404);

    const accepted = await fetch(`${url}/api/admin/rebuild`, { method: 'POST' });
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get('location')!;
    expect(location).toMatch(/^\/api\/admin\/rebuild\//);
    for (;;) {
      const polled = (await (await fetch(`${url}${location}`)).json()) as RebuildStatus;
      if (polled.state !== 'running') {
        expect(polled.state).toBe('swapped');
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
