/**
 * `foldFromKafka` against the real broker: the topic's partitions interleave, the relay may have sent
 * a range twice, a message may be poison, and the topic may hold less than the store. The read must
 * hand over positions in order without gaps or duplicates, stop at `until`, and end (not wait) where
 * the topic has nothing more to give.
 */
import { randomUUID } from 'node:crypto';
import { type DomainEventEnvelope, encodeKafkaMessage, type EventEnvelope } from '@timeline/shared-types';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldFromKafka, KafkaFoldError } from '../src/replay/kafka-log-reader.js';
import { aMeeting } from './support/events.js';
import { deleteTopicsWithPrefix, testKafka, uniqueTopicPrefix } from './support/kafka.js';

const PREFIX = uniqueTopicPrefix('kafka-fold');
const kafka = testKafka();

function envelope(position: number): EventEnvelope {
  const event = aMeeting({ title: `Meeting ${position}` });
  return {
    eventId: event.eventId ?? randomUUID(),
    streamId: `stream-${position % 7}`,
    streamVersion: Math.floor(position / 7) + 1,
    position,
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    occurredAt: event.occurredAt,
    recordedAt: new Date(Date.UTC(2024, 7, 1) + position * 1000).toISOString(),
    data: event.data,
    metadata: event.metadata ?? { sources: [] },
  };
}

/** Publishes `positions` as the relay would (keyed by stream, so streams spread over 3 partitions). */
async function publish(
  topic: string,
  positions: number[],
  extra: Array<{ key: string; value: string }> = [],
) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({
    topic,
    messages: [...positions.map((p) => encodeKafkaMessage(envelope(p))), ...extra],
  });
  await producer.disconnect();
}

async function fold(topic: string, after: number, until: number, batchSize = 7) {
  const batches: DomainEventEnvelope[][] = [];
  const result = await foldFromKafka(
    { kafka, topic },
    {
      after,
      until,
      batchSize,
      groupId: `test-fold-${randomUUID()}`,
      apply: async (events) => {
        batches.push(events);
      },
    },
  );
  return { result, positions: batches.flat().map((e) => e.position), batches };
}

afterAll(async () => {
  await deleteTopicsWithPrefix(PREFIX);
});

describe('foldFromKafka', () => {
  const full = `${PREFIX}full`;
  beforeAll(async () => {
    // 1…120, then 40…60 again (a relay that resent after a crash), and a poison message.
    const positions = Array.from({ length: 120 }, (_, i) => i + 1);
    await publish(full, [...positions, ...positions.slice(39, 60)], [{ key: 'x', value: 'not json' }]);
  });

  it('hands over every position once, in order, in batches, and stops at `until`', async () => {
    const { result, positions, batches } = await fold(full, 0, 100);
    expect(positions).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(result).toMatchObject({ last: 100, ended: 'reached-until' });
    expect(batches.every((b) => b.length <= 8)).toBe(true);
  });

  it('starts after `after` and reads the whole topic when `until` lies beyond it', async () => {
    const { result, positions } = await fold(full, 30, 500);
    expect(positions).toEqual(Array.from({ length: 90 }, (_, i) => i + 31));
    expect(result.last).toBe(120);
    expect(result.ended).toBe('end-of-topic');
    expect(result.messages).toBe(120 + 21 + 1);
    expect(result.undecodable).toBe(1);
  });

  it('ends at a gap instead of waiting for a position the topic does not hold', async () => {
    const gappy = `${PREFIX}gap`;
    await publish(
      gappy,
      Array.from({ length: 50 }, (_, i) => i + 1).filter((p) => p !== 23),
    );
    const started = Date.now();
    const { result, positions } = await fold(gappy, 0, 50);
    expect(positions).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(result).toMatchObject({ last: 22, ended: 'end-of-topic' });
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it('says what to do when the broker cannot be reached', async () => {
    const nowhere = new Kafka({
      clientId: 'nowhere',
      brokers: ['127.0.0.1:1'],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 500,
    });
    await expect(
      foldFromKafka(
        { kafka: nowhere, topic: full },
        { after: 0, until: 10, batchSize: 10, groupId: 'never', apply: async () => undefined },
      ),
    ).rejects.toThrow(KafkaFoldError);
    await expect(
      foldFromKafka(
        { kafka: nowhere, topic: full },
        { after: 0, until: 10, batchSize: 10, groupId: 'never', apply: async () => undefined },
      ),
    ).rejects.toThrow(/source=store/);
  });
});
