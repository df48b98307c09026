import { type DomainEventEnvelope, encodeKafkaMessage, KAFKA_HEADERS } from '@timeline/shared-types';
import type { EachBatchPayload, Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { fakeConsumer } from '../../test/support/fake-kafka.js';
import { talksInDelhi } from '../../test/support/given-events.js';
import type { SqlClient, SqlExecutor } from '../event-store/sql-client.js';
import type { TimelineReadModel } from '../read-model/timeline-read-model.js';
import { isInfrastructureError, TimelineProjector } from './projector.js';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** A projector over fakes: `failing(position)` says how the fold of that position fails, if it does. */
function harness(failing: (position: number) => Error | undefined) {
  let eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  const sent: { headers: Record<string, unknown> }[] = [];
  const applied: number[] = [];
  const skipped = new Set<number>();
  const statements: string[] = [];
  const kafka = {
    producer: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async ({ messages }: { messages: { headers: Record<string, unknown> }[] }) => {
        sent.push(...messages);
      },
    }),
    consumer: () =>
      fakeConsumer((config) => {
        eachBatch = config.eachBatch as typeof eachBatch;
      }),
  } as unknown as Kafka;
  const tx: SqlExecutor = {
    query: async (text: string) => {
      statements.push(text);
      return { rows: [] };
    },
  } as unknown as SqlExecutor;
  const sql = { transaction: async <T>(work: (t: SqlExecutor) => Promise<T>) => work(tx) } as SqlClient;
  const readModel = {
    lastWatermark: undefined,
    apply: async (events: DomainEventEnvelope[], extra?: (t: SqlExecutor) => Promise<void>) => {
      for (const e of events) {
        const error = failing(e.position);
        if (error) throw error;
      }
      applied.push(...events.map((e) => e.position));
      await extra?.(tx);
      return events.map((e) => e.position);
    },
    skipWithin: async (_tx: SqlExecutor, entries: { position: number }[]) => {
      const fresh = entries.map((e) => e.position).filter((p) => !skipped.has(p));
      for (const p of fresh) skipped.add(p);
      return fresh;
    },
  } as unknown as TimelineReadModel;
  const projector = new TimelineProjector(
    kafka,
    sql,
    readModel,
    { topic: 't', deadLetterTopic: 't.dlq', groupId: 'g', maxAttempts: 3, retryDelayMs: 1 },
    quiet,
  );
  const batch = async (positions: number[]) => {
    const resolved: string[] = [];
    const messages = positions.map((position, i) => {
      const encoded = encodeKafkaMessage(
        talksInDelhi({ position, streamVersion: position, eventId: crypto.randomUUID() }),
      );
      return {
        key: Buffer.from(encoded.key),
        value: Buffer.from(encoded.value),
        headers: encoded.headers,
        offset: String(i),
      };
    });
    await eachBatch!({
      batch: { topic: 't', partition: 0, messages, lastOffset: () => String(messages.length - 1) },
      resolveOffset: (o: string) => resolved.push(o),
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload);
    return resolved;
  };
  return { projector, batch, sent, applied, skipped, statements };
}

describe('TimelineProjector with a message whose fold keeps failing', () => {
  it('retries it, dead-letters it once after its transaction, and projects the rest', async () => {
    let tries = 0;
    const h = harness((p) => {
      if (p !== 2) return undefined;
      tries += 1;
      return new Error('upcaster threw');
    });
    await h.projector.start();
    const resolved = await h.batch([1, 2, 3]);
    expect(tries).toBe(4); // once in the batch, then maxAttempts (3) alone
    expect(h.applied).toEqual([1, 3]);
    expect([...h.skipped]).toEqual([2]);
    expect(h.sent).toHaveLength(1);
    expect(String(h.sent[0]!.headers[KAFKA_HEADERS.dlqReason])).toBe('upcaster threw');
    expect(h.statements.some((s) => s.includes('projector_dead_letters'))).toBe(true);
    expect(resolved).toEqual(['0', '1', '2']);
    // Redelivered (a rebalance, a crash before the commit of offsets): no second dead letter.
    await h.batch([2]);
    expect(h.sent).toHaveLength(1);
  });

  it('does not dead-letter infrastructure failures: the batch fails and kafkajs retries it', async () => {
    const down = Object.assign(new Error('Connection terminated unexpectedly'), {});
    const h = harness((p) => (p === 2 ? down : undefined));
    await h.projector.start();
    await expect(h.batch([1, 2, 3])).rejects.toThrow('Connection terminated');
    expect(h.sent).toHaveLength(0);
    expect(h.skipped.size).toBe(0);
  });
});

describe('isInfrastructureError', () => {
  it('tells the database failing from the message failing', () => {
    const coded = (code: string) => Object.assign(new Error('x'), { code });
    expect(isInfrastructureError(coded('08006'))).toBe(true);
    expect(isInfrastructureError(coded('57P01'))).toBe(true);
    expect(isInfrastructureError(coded('40P01'))).toBe(true);
    expect(isInfrastructureError(coded('ECONNREFUSED'))).toBe(true);
    expect(isInfrastructureError(coded('22007'))).toBe(false);
    expect(isInfrastructureError(coded('23505'))).toBe(false);
    expect(isInfrastructureError(new Error('upcaster for MeetingHeld v1 threw'))).toBe(false);
  });
});
