import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { foldTimeline, KAFKA_HEADERS, upcastEnvelope } from '@timeline/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../src/event-store/create-event-store.js';
import type { EventStore } from '../src/event-store/event-store.port.js';
import type { SqlClient } from '../src/event-store/sql-client.js';
import { TimelineReadModel } from '../src/read-model/timeline-read-model.js';
import { createKafka } from '../src/streaming/kafka.js';
import { jsonLogger } from '../src/streaming/logger.js';
import { SseSession } from '../src/streaming/sse-session.js';
import { Streaming } from '../src/streaming/streaming.js';
import { aMeeting, meetings } from './support/events.js';
import {
  consumeTopic,
  deleteTopicsWithPrefix,
  KAFKA_BROKERS,
  testKafka,
  uniqueTopicPrefix,
  waitFor,
} from './support/kafka.js';
import { createTestDatabase } from './support/postgres.js';
import { openSse } from './support/sse-client.js';

const quiet = { log: () => undefined, warn: () => undefined, error: jsonLogger('test').error };

describe('streaming over the real broker and PostgreSQL', () => {
  let sql: SqlClient;
  let store: EventStore;
  let streaming: Streaming;
  let dropDb: () => Promise<void>;
  let server: Server;
  let baseUrl: string;
  const prefix = uniqueTopicPrefix('stream');

  beforeAll(async () => {
    const db = await createTestDatabase('stream');
    dropDb = db.drop;
    ({ sql, store } = await openStorage({ databaseUrl: db.url, dataDir: '/tmp' }));
    streaming = new Streaming(
      store,
      {
        sql,
        kafka: createKafka({ brokers: KAFKA_BROKERS, clientId: 'test' }),
        readModel: new TimelineReadModel(sql),
      },
      { topicPrefix: prefix, partitions: 3 },
      quiet,
    );
    streaming.start();
    await streaming.whenReady();
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const after = Number(req.headers['last-event-id'] ?? url.searchParams.get('after') ?? 0);
      void new SseSession(res, store, streaming.feed, { after, filter: {}, heartbeatMs: 200 }).run();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    await streaming?.stop();
    await store?.close();
    await dropDb?.();
    await deleteTopicsWithPrefix(prefix);
  });

  it('an appended event reaches the topic, the read model and an SSE client with the same position', async () => {
    const sse = await openSse(`${baseUrl}/?after=0`);
    const result = await store.append('stream-basic', 'no_stream', meetings(5, 'basic'));
    const positions = result.events.map((e) => e.position);

    const onTopic = await consumeTopic(
      streaming.topics.events,
      (m) => ({
        position: Number(m.headers[KAFKA_HEADERS.position]),
        key: m.key,
        type: m.headers[KAFKA_HEADERS.type],
      }),
      (seen) => positions.every((p) => seen.some((s) => s.position === p)),
    );
    expect(onTopic.filter((m) => positions.includes(m.position)).map((m) => m.key)).toEqual(
      Array(5).fill('stream-basic'),
    );

    await waitFor('read model', async () => (await streaming.readModel.watermark()) >= positions[4]!);
    const { items } = await streaming.readModel.items({ streams: ['stream-basic'] });
    expect(items.map((i) => i.position).sort((a, b) => a - b)).toEqual(positions);

    await waitFor('sse events', async () => sse.events.length >= 5);
    expect(sse.events.map((e) => e.position)).toEqual(positions);
    sse.close();
  });

  it('an SSE client that reconnects with Last-Event-ID gets exactly N+1.. while appends continue', async () => {
    const first = await openSse(`${baseUrl}/?after=0`);
    const writer = (async () => {
      for (let i = 0; i < 40; i += 1) {
        await store.append(`stream-resume-${i % 4}`, 'any', [aMeeting({ title: `resume ${i}` })]);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await waitFor('some events', async () => first.events.length >= 10);
    first.close();
    const lastSeen = first.events[first.events.length - 1]!.position;
    const second = await openSse(baseUrl, { 'last-event-id': String(lastSeen) });
    await writer;
    const head = await store.head();
    await waitFor('resumed to head', async () => second.events.at(-1)?.position === head, 30_000);
    const resumed = second.events.map((e) => e.position);
    expect(resumed).toEqual(Array.from({ length: head - lastSeen }, (_, i) => lastSeen + i + 1));
    second.close();
  });

  it('the live feed restores total order across partitions and the read model equals a fold of the store', async () => {
    const received: number[] = [];
    const start = streaming.feed.position;
    const stop = streaming.feed.subscribe((events) => received.push(...events.map((e) => e.position)));
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.append(`stream-order-${i}`, 'any', meetings(4, `o${i}`))),
    );
    const head = await store.head();
    await waitFor('feed caught up', async () => streaming.feed.position >= head);
    stop();
    const expected = Array.from({ length: head - start }, (_, i) => start + i + 1);
    expect(received.filter((p) => p > start)).toEqual(expected);

    await waitFor('projector caught up', async () => (await streaming.readModel.watermark()) === head);
    const log = [];
    for await (const e of store.readLog({})) log.push(upcastEnvelope(e));
    const folded = [...foldTimeline(log).values()]
      .filter((i) => !i.retracted)
      .sort((a, b) => a.position - b.position);
    const { items } = await streaming.readModel.items();
    expect(items.sort((a, b) => a.position - b.position)).toEqual(folded);
  });

  it('a poison message on the topic lands in the dead-letter topic with a reason; the projector carries on', async () => {
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({
      topic: streaming.topics.events,
      messages: [
        { key: 'poison', value: 'this is not json', headers: { [KAFKA_HEADERS.position]: '999999' } },
        { key: 'poison', value: JSON.stringify({ eventId: 'nope' }) },
      ],
    });
    await producer.disconnect();
    const dead = await consumeTopic(
      streaming.topics.deadLetters,
      (m) => ({ reason: m.headers[KAFKA_HEADERS.dlqReason], value: m.value }),
      (seen) => seen.length >= 2,
    );
    expect(dead.map((d) => d.value)).toEqual(['this is not json', JSON.stringify({ eventId: 'nope' })]);
    expect(dead[0]!.reason).toMatch(/not UTF-8 JSON/);
    expect(dead[1]!.reason).toMatch(/not an event envelope/);

    const after = await store.append('stream-after-poison', 'no_stream', [
      aMeeting({ title: 'after poison' }),
    ]);
    await waitFor(
      'projected after poison',
      async () => (await streaming.readModel.watermark()) >= after.events[0]!.position,
    );
  });

  it('corrections and retractions flow through to the read model', async () => {
    const fact = aMeeting({ title: 'Before correction' });
    await store.append('stream-lineage', 'no_stream', [fact]);
    await store.append('stream-lineage', 1, [
      {
        eventId: crypto.randomUUID(),
        type: 'EventCorrected',
        schemaVersion: 1,
        occurredAt: fact.occurredAt,
        data: { correctedEventId: fact.eventId, patch: { title: 'After correction' }, reason: 'typo' },
        metadata: { sources: [] },
      },
    ]);
    let head = await store.head();
    await waitFor('correction projected', async () => (await streaming.readModel.watermark()) >= head);
    let items = (await streaming.readModel.items({ streams: ['stream-lineage'] })).items;
    expect(items.map((i) => i.title)).toEqual(['After correction']);
    expect(items[0]!.lineage.map((l) => l.kind)).toEqual(['recorded', 'corrected']);

    await store.append('stream-lineage', 2, [
      {
        eventId: crypto.randomUUID(),
        type: 'EventRetracted',
        schemaVersion: 1,
        occurredAt: fact.occurredAt,
        data: { retractedEventId: fact.eventId, reason: 'wrong' },
        metadata: { sources: [] },
      },
    ]);
    head = await store.head();
    await waitFor('retraction projected', async () => (await streaming.readModel.watermark()) >= head);
    items = (await streaming.readModel.items({ streams: ['stream-lineage'] })).items;
    expect(items).toEqual([]);
    expect((await streaming.lag()).published).toBe(head);
  });
});
