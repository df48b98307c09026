import {
  type DomainEventEnvelope,
  encodeKafkaMessage,
  KAFKA_HEADERS,
  readOwnStoredEnvelope,
} from '@timeline/shared-types';
import type { Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Writes } from '../src/read-model/batched-writes.js';
import { TimelineReadModel } from '../src/read-model/timeline-read-model.js';
import { ensureTopics } from '../src/streaming/kafka.js';
import { TimelineProjector } from '../src/streaming/projector.js';
import { aMeeting } from './support/events.js';
import {
  consumeTopic,
  deleteTopicsWithPrefix,
  testKafka,
  uniqueTopicPrefix,
  waitFor,
} from './support/kafka.js';
import { openTestStorage } from './support/stores.js';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The read model on PostgreSQL, whose fold of the positions `failing` names throws what it returns:
 * a fold that keeps failing (an upcaster bug) or the database going away.
 */
class FailingReadModel extends TimelineReadModel {
  readonly tries = new Map<number, number>();
  failing: (position: number, tries: number) => Error | undefined = () => undefined;

  override async apply(events: readonly DomainEventEnvelope[], extra?: Writes): Promise<number[]> {
    for (const event of events) {
      const tries = (this.tries.get(event.position) ?? 0) + 1;
      this.tries.set(event.position, tries);
      const error = this.failing(event.position, tries);
      if (error) throw error;
    }
    return super.apply(events, extra);
  }
}

/**
 * The projector's retries and dead letters with a real broker, a real consumer group and the read
 * model on PostgreSQL: only the fold's failures are made to order.
 */
describe('the projector with a message whose fold fails', () => {
  let storage: Awaited<ReturnType<typeof openTestStorage>>;
  let producer: Producer;
  const prefix = uniqueTopicPrefix('projector-retries');
  let topics: { events: string; deadLetters: string };
  const projectors: TimelineProjector[] = [];

  beforeAll(async () => {
    storage = await openTestStorage('postgres', 'projretry');
    topics = await ensureTopics(testKafka(), prefix, 3);
    producer = testKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  }, 60_000);

  // One projector at a time on the topic: the next test's group must be the only one folding.
  afterEach(async () => {
    for (const projector of projectors.splice(0)) await projector.stop();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await storage?.dispose();
    await deleteTopicsWithPrefix(prefix);
  }, 60_000);

  /** Appends to one stream (one partition) and publishes the stored events as the relay would. */
  async function appendAndPublish(stream: string, count: number): Promise<DomainEventEnvelope[]> {
    const head = await storage.store.head();
    await storage.store.append(
      stream,
      'any',
      Array.from({ length: count }, (_, i) => aMeeting({ title: `${stream} ${i + 1}` })),
    );
    const events = (await storage.store.readLogPage({ after: head, limit: count })).map(
      readOwnStoredEnvelope,
    );
    await publish(events);
    return events;
  }

  async function publish(events: DomainEventEnvelope[]): Promise<void> {
    await producer.send({
      topic: topics.events,
      acks: -1,
      messages: events.map((e) => {
        const { key, value, headers } = encodeKafkaMessage(e as never);
        return { key, value, headers };
      }),
    });
  }

  async function start(model: FailingReadModel, groupId: string): Promise<void> {
    const projector = new TimelineProjector(
      testKafka(),
      storage.sql,
      model,
      { topic: topics.events, deadLetterTopic: topics.deadLetters, groupId, maxAttempts: 3, retryDelayMs: 1 },
      quiet,
    );
    projectors.push(projector);
    await projector.start();
  }

  const itemIds = async () =>
    new Set((await storage.sql.query<{ id: string }>('SELECT id FROM timeline_items')).rows.map((r) => r.id));
  const deadLetterRows = async () =>
    (
      await storage.sql.query<{ position: number }>(
        'SELECT position FROM projector_dead_letters ORDER BY position',
      )
    ).rows.map((r) => Number(r.position));
  const nextOffsets = async (groupId: string) =>
    Number(
      (
        await storage.sql.query<{ n: number }>(
          'SELECT coalesce(sum(next_offset), 0)::int AS n FROM projector_offsets WHERE consumer_group = $1',
          [groupId],
        )
      ).rows[0]!.n,
    );

  it('retries it, dead-letters it once after its transaction, projects the rest; a redelivery sends no second dead letter', async () => {
    const model = new FailingReadModel(storage.sql);
    const [one, two, three] = await appendAndPublish('retries-a', 3);
    model.failing = (position) => (position === two!.position ? new Error('upcaster threw') : undefined);
    await start(model, `${prefix}g1`);

    await waitFor('the watermark past the three', async () => (await model.watermark()) >= three!.position);
    // Once in the batch, then maxAttempts (3) alone.
    expect(model.tries.get(two!.position)).toBe(4);
    const ids = await itemIds();
    expect(ids.has(one!.eventId) && ids.has(three!.eventId)).toBe(true);
    expect(ids.has(two!.eventId)).toBe(false);
    expect(await deadLetterRows()).toEqual([two!.position]);
    const dead = await consumeTopic(
      topics.deadLetters,
      (m) => ({ reason: m.headers[KAFKA_HEADERS.dlqReason], position: m.headers[KAFKA_HEADERS.position] }),
      (seen) => seen.length >= 1,
    );
    expect(dead).toEqual([{ reason: 'upcaster threw', position: String(two!.position) }]);
    await waitFor('offsets past the three', async () => (await nextOffsets(`${prefix}g1`)) === 3);

    // Redelivered (a rebalance, a crash before the offsets' commit): skipped, no second dead letter.
    await publish([two!]);
    await waitFor('the redelivery consumed', async () => (await nextOffsets(`${prefix}g1`)) === 4);
    expect(model.tries.get(two!.position)).toBeGreaterThan(4);
    const after = await consumeTopic(
      topics.deadLetters,
      (m) => m.offset,
      () => false,
      3_000,
    );
    expect(after).toHaveLength(1);
  }, 90_000);

  it('does not dead-letter the database failing: the batch fails, kafkajs retries it, nothing is lost', async () => {
    const model = new FailingReadModel(storage.sql);
    const events = await appendAndPublish('retries-b', 3);
    const middle = events[1]!.position;
    const down = Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
    model.failing = (position, tries) => (position === middle && tries <= 5 ? down : undefined);
    await start(model, `${prefix}g2`);

    await waitFor('every event projected', async () => {
      const ids = await itemIds();
      return events.every((e) => ids.has(e.eventId));
    });
    expect(model.tries.get(middle)).toBeGreaterThanOrEqual(6);
    expect(await deadLetterRows()).not.toContain(middle);
  }, 90_000);
});
