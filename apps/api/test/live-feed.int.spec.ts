import { encodeKafkaMessage, type EventEnvelope, KAFKA_HEADERS } from '@timeline/shared-types';
import type { Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../src/event-store/event-store.port.js';
import { ensureTopics } from '../src/streaming/kafka.js';
import { LiveFeed, type LiveFeedOptions } from '../src/streaming/live-feed.js';
import { aMeeting } from './support/events.js';
import { deleteTopicsWithPrefix, testKafka, uniqueTopicPrefix, waitFor } from './support/kafka.js';
import { openTestStorage } from './support/stores.js';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The live feed's bounds with a real broker and the store on PostgreSQL. The test plays the relay:
 * it appends to the store, publishes only the positions it chooses (holes are what it leaves out) and
 * says how far it published. What the test watches, it watches on the real parts: the consumer's
 * pause and resume and what Kafka handed it, and the store's reads.
 */
describe('the live feed over a real topic', () => {
  let storage: Awaited<ReturnType<typeof openTestStorage>>;
  let producer: Producer;
  const prefix = uniqueTopicPrefix('live-feed');
  let topic: string;
  const feeds: LiveFeed[] = [];

  beforeAll(async () => {
    storage = await openTestStorage('postgres', 'livefeed');
    topic = (await ensureTopics(testKafka(), prefix, 3)).events;
    producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  }, 60_000);

  afterEach(async () => {
    for (const feed of feeds.splice(0)) await feed.stop();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await storage?.dispose();
    await deleteTopicsWithPrefix(prefix);
  }, 60_000);

  /** A feed on the real broker and store, with what it does recorded. */
  async function harness(
    options: Omit<LiveFeedOptions, 'topic' | 'publishedHead'>,
    beforeRead: () => Promise<void> = async () => undefined,
    { listen = true }: { listen?: boolean } = {},
  ) {
    const calls: string[] = [];
    const arrived: (number | 'other')[] = [];
    const arrivedTimes = new Map<number, number>();
    const kafka = testKafka();
    const consumerOf = kafka.consumer.bind(kafka);
    kafka.consumer = ((config) => {
      const consumer = consumerOf(config);
      const pause = consumer.pause.bind(consumer);
      const resume = consumer.resume.bind(consumer);
      const run = consumer.run.bind(consumer);
      consumer.pause = (topics) => {
        calls.push('pause');
        pause(topics);
      };
      consumer.resume = (topics) => {
        calls.push('resume');
        resume(topics);
      };
      consumer.run = (config) =>
        run({
          ...config,
          eachMessage: async (payload) => {
            const position = payload.message.headers?.[KAFKA_HEADERS.position];
            arrived.push(position === undefined ? 'other' : Number(String(position)));
            if (position !== undefined) arrivedTimes.set(Number(String(position)), performance.now());
            await config?.eachMessage?.(payload);
          },
        });
      return consumer;
    }) as Kafka['consumer'];
    const pageLimits: number[] = [];
    const store = new Proxy(storage.store, {
      get(target, property, receiver) {
        if (property !== 'readLogPage') return Reflect.get(target, property, receiver);
        return async (selection: Parameters<EventStore['readLogPage']>[0]) => {
          pageLimits.push(selection.limit ?? 0);
          await beforeRead();
          return target.readLogPage(selection);
        };
      },
    });
    let published = 0;
    const feed = new LiveFeed(
      kafka,
      store,
      { topic, gapTimeoutMs: 100, publishedHead: async () => published, ...options },
      quiet,
    );
    feeds.push(feed);
    const base = await storage.store.head();
    published = base;
    await feed.start();
    // The feed starts at the topic's end: it sees what is sent once its consumer fetches. Messages that
    // name no event (the feed skips them) are sent until one arrives.
    await waitFor('the feed consuming', async () => {
      await producer.send({ topic, acks: -1, messages: [{ key: 'warm-up', value: 'not an event' }] });
      await new Promise((r) => setTimeout(r, 200));
      return arrived.includes('other');
    });
    const seen: number[] = [];
    const batches: { at: number; positions: number[] }[] = [];
    const subscribe = () =>
      feed.subscribe((events) => {
        seen.push(...events.map((e) => e.position - base));
        batches.push({ at: performance.now(), positions: events.map((e) => e.position - base) });
      });
    if (listen) subscribe();
    /** Appends `count` events to one stream; positions are told relative to the feed's start (1..count). */
    const events: EventEnvelope[] = [];
    const append = async (count: number) => {
      const stream = `live-${prefix}-${base}`;
      for (let i = 0; i < count; i += 500) {
        const n = Math.min(500, count - i);
        await storage.store.append(
          stream,
          'any',
          Array.from({ length: n }, (_, j) => aMeeting({ title: `e${i + j}` })),
        );
      }
      events.push(...(await storage.store.readLogPage({ after: base, limit: count })));
    };
    /** Publishes these relative positions, in one request, as the relay would (then says so). */
    const publish = async (...positions: number[]) => publishAs('event', ...positions);
    /** The same, but each message's value replaced by one that does not decode (its headers kept). */
    const publishBroken = async (...positions: number[]) => publishAs('broken', ...positions);
    const publishAs = async (as: 'event' | 'broken', ...positions: number[]) => {
      await producer.send({
        topic,
        acks: -1,
        messages: positions.map((p) => {
          const { key, value, headers } = encodeKafkaMessage(events[p - 1]! as never);
          return { key, value: as === 'event' ? value : '{"not": "an event"}', headers };
        }),
      });
      published = Math.max(published, base + Math.max(...positions));
    };
    const arrivedAt = (p: number) => arrived.includes(base + p);
    const arrivalTime = (p: number) => arrivedTimes.get(base + p)!;
    const position = () => feed.position - base;
    return {
      append,
      publish,
      publishBroken,
      subscribe,
      seen,
      batches,
      calls,
      pageLimits,
      arrivedAt,
      arrivalTime,
      position,
    };
  }

  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('fills a large hole from the store in pages, in order, with no gap and no duplicate', async () => {
    const h = await harness({ gapFillPage: 1_000 });
    await h.append(2_500);
    await h.publish(2_500);
    await waitFor('position 2,500', async () => h.position() === 2_500);
    expect(Math.max(...h.pageLimits)).toBeLessThanOrEqual(1_000);
    expect(h.pageLimits.length).toBeGreaterThanOrEqual(3);
    expect(h.seen).toEqual(range(2_500));
  }, 90_000);

  it('pauses consuming when the reorder buffer is full and resumes once the store filled the hole', async () => {
    const h = await harness({ maxPending: 10 });
    await h.append(40);
    await h.publish(...range(12).slice(1)); // position 1 is missing: 11 wait
    await waitFor(
      'paused, then resumed',
      async () => h.calls.includes('pause') && h.calls.includes('resume'),
    );
    expect(h.calls.slice(0, 2)).toEqual(['pause', 'resume']);
    await h.publish(...range(40).slice(12));
    await waitFor('position 40', async () => h.position() === 40);
    expect(h.seen).toEqual(range(40));
  }, 90_000);

  it('fills a hole Kafka opened while the store was read, though Kafka then sends nothing more', async () => {
    let release: () => void = () => undefined;
    const firstRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reads = 0;
    const h = await harness({}, async () => {
      if (++reads === 1) await firstRead;
    });
    await h.append(10);
    await h.publish(5); // 1-4 missing: read from the store after the gap timeout
    await waitFor('the first store read', async () => reads === 1);
    await h.publish(10); // meanwhile 10 arrives: 6-9 missing, and nothing follows
    await waitFor('10 handed to the feed', async () => h.arrivedAt(10));
    release();
    await waitFor('position 10', async () => h.position() === 10);
    expect(h.seen).toEqual(range(10));
  }, 90_000);

  it('hands events over at most once per handOverMs, the first after a quiet spell at once', async () => {
    const h = await harness({ handOverMs: 300, handOverFrom: 1 });
    await h.append(3);
    await h.publish(1);
    await waitFor('1 handed over', async () => h.seen.length === 1);
    await h.publish(2, 3); // one request, one fetch: they wait for the next hand-over together
    await waitFor('3 handed over', async () => h.seen.length === 3);
    expect(h.batches.map((b) => b.positions)).toEqual([[1], [2, 3]]);
    expect(h.batches[0]!.at - h.arrivalTime(1)).toBeLessThan(250);
    expect(h.batches[1]!.at - h.batches[0]!.at).toBeGreaterThanOrEqual(290);
  }, 90_000);

  it('below handOverFrom listeners, hands each turn of the loop over at once, whatever handOverMs says', async () => {
    const h = await harness({ handOverMs: 1_000, handOverFrom: 2 });
    await h.append(3);
    await h.publish(1);
    await waitFor('1 handed over', async () => h.seen.length === 1);
    await h.publish(2, 3);
    await waitFor('3 handed over', async () => h.seen.length === 3);
    expect(h.batches[1]!.at - h.arrivalTime(3)).toBeLessThan(250);
  }, 90_000);

  it('with no session listening, follows the positions in the headers without decoding; a session that comes later gets what follows', async () => {
    const h = await harness({}, undefined, { listen: false });
    await h.append(4);
    // A value that does not decode: a feed that decoded it would leave a hole and read 1 from the store.
    await h.publishBroken(1);
    await h.publish(2);
    await waitFor('position 2', async () => h.position() === 2);
    await new Promise((r) => setTimeout(r, 400)); // four gap checks (gapTimeoutMs 100)
    expect(h.pageLimits).toEqual([]);
    h.subscribe();
    await h.publishBroken(3); // now decoded: not deliverable, so the store fills it
    await h.publish(4);
    await waitFor('position 4', async () => h.position() === 4);
    expect(h.seen).toEqual([3, 4]);
    expect(h.pageLimits.length).toBeGreaterThan(0);
  }, 90_000);
});
