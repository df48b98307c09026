import { encodeKafkaMessage, type EventEnvelope } from '@timeline/shared-types';
import type { Kafka } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeConsumer } from '../../test/support/fake-kafka.js';
import { talksInDelhi } from '../../test/support/given-events.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { LiveFeed } from './live-feed.js';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

function harness(
  head: number,
  options: { maxPending?: number; gapFillPage?: number; handOverMs?: number },
  beforeRead: () => Promise<void> = async () => undefined,
) {
  const log = Array.from({ length: head }, (_, i) =>
    talksInDelhi({ position: i + 1, streamVersion: i + 1, eventId: crypto.randomUUID() }),
  );
  let eachMessage: ((p: { message: unknown }) => Promise<void>) | undefined;
  const calls: string[] = [];
  const pageLimits: number[] = [];
  const kafka = {
    consumer: () =>
      fakeConsumer((config) => {
        eachMessage = config.eachMessage as typeof eachMessage;
      }, calls),
    admin: () => ({
      connect: async () => undefined,
      deleteGroups: async () => undefined,
      disconnect: async () => undefined,
    }),
  } as unknown as Kafka;
  const store = {
    head: async () => 0,
    readLogPage: async ({ after, until, limit }: { after: number; until: number; limit: number }) => {
      pageLimits.push(limit);
      await beforeRead();
      return log.filter((e) => e.position > after && e.position <= until).slice(0, limit);
    },
  } as unknown as EventStore;
  const feed = new LiveFeed(
    kafka,
    store,
    { topic: 't', gapTimeoutMs: 100, publishedHead: async () => head, ...options },
    quiet,
  );
  const seen: number[] = [];
  const batches: number[][] = [];
  feed.subscribe((events) => {
    seen.push(...events.map((e) => e.position));
    batches.push(events.map((e) => e.position));
  });
  const deliver = async (position: number) => {
    const encoded = encodeKafkaMessage(log[position - 1] as EventEnvelope as never);
    await eachMessage!({
      message: { key: Buffer.from(encoded.key), value: Buffer.from(encoded.value), headers: encoded.headers },
    });
  };
  return { feed, deliver, seen, batches, calls, pageLimits };
}

const feeds: LiveFeed[] = [];
afterEach(async () => {
  for (const feed of feeds.splice(0)) await feed.stop();
});

const until = async (what: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('LiveFeed bounds', () => {
  it('fills a large hole from the store in pages, in order, with no gap and no duplicate', async () => {
    const h = harness(2_500, { gapFillPage: 1_000 });
    feeds.push(h.feed);
    await h.feed.start();
    await h.deliver(2_500);
    await until(() => h.feed.position === 2_500);
    expect(Math.max(...h.pageLimits)).toBeLessThanOrEqual(1_000);
    expect(h.pageLimits.length).toBeGreaterThanOrEqual(3);
    expect(h.seen).toEqual(Array.from({ length: 2_500 }, (_, i) => i + 1));
  });

  it('pauses consuming when the reorder buffer is full and resumes once the store filled the hole', async () => {
    const h = harness(40, { maxPending: 10 });
    feeds.push(h.feed);
    await h.feed.start();
    for (let p = 2; p <= 12; p += 1) await h.deliver(p); // position 1 is missing: 11 wait
    expect(h.calls).toEqual(['pause']);
    // Kafka may still hand over what it had fetched; later ones come again after the resume.
    await h.deliver(13);
    await until(() => h.calls.includes('resume'));
    for (let p = 14; p <= 40; p += 1) await h.deliver(p);
    await until(() => h.feed.position === 40);
    expect(h.seen).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('fills a hole Kafka opened while the store was read, though Kafka then sends nothing more', async () => {
    let release: () => void = () => undefined;
    const firstRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reads = 0;
    const h = harness(10, {}, async () => {
      if (++reads === 1) await firstRead;
    });
    feeds.push(h.feed);
    await h.feed.start();
    await h.deliver(5); // 1-4 missing: read from the store after the gap timeout
    await until(() => reads === 1);
    await h.deliver(10); // meanwhile 10 arrives: 6-9 missing, and nothing follows
    release();
    await until(() => h.feed.position === 10);
    expect(h.seen).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('hands events over at most once per handOverMs, the first after a quiet spell at once', async () => {
    const h = harness(3, { handOverMs: 300 });
    feeds.push(h.feed);
    await h.feed.start();
    const t0 = Date.now();
    await h.deliver(1);
    await until(() => h.seen.length === 1);
    expect(Date.now() - t0).toBeLessThan(250);
    await h.deliver(2);
    await h.deliver(3);
    expect(h.feed.position).toBe(1); // 2 and 3 wait for the next hand-over
    await until(() => h.seen.length === 3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(h.batches).toEqual([[1], [2, 3]]);
  });
});
