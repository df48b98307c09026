import { type DomainEventEnvelope, decodeKafkaMessage } from '@timeline/shared-types';
import type { Batch, Kafka } from 'kafkajs';
import { ReorderBuffer } from '../streaming/reorder-buffer.js';

export interface KafkaLogSource {
  kafka: Kafka;
  topic: string;
}

export interface KafkaFoldOptions {
  /** The position already folded; the read hands over `after + 1` first. */
  after: number;
  /** The last position wanted; anything later on the topic is left for the store to supply. */
  until: number;
  /** Events per `apply` call. */
  batchSize: number;
  /** A group of this read's own, so the projector's committed offsets are never touched. */
  groupId: string;
  /** Folds one batch (positions contiguous, ascending). The consumer waits while it runs. */
  apply(events: DomainEventEnvelope[]): Promise<void>;
  /** No message for this long while more is expected: give up (default 30 s). */
  stallMs?: number;
}

export interface KafkaFoldResult {
  /** The last position folded from the topic (`after` when nothing could be). */
  last: number;
  /** Messages read, including duplicates and any that could not be decoded. */
  messages: number;
  /** Messages that could not be decoded (a position they held is then supplied by the store). */
  undecodable: number;
  /** Why the read ended: `until` reached, or the topic (as it was at the start) read to its end. */
  ended: 'reached-until' | 'end-of-topic';
}

export class KafkaFoldError extends Error {}

/**
 * Reads the events topic from offset 0 and hands its events over in position order, without gaps,
 * from `after + 1` up to `until`. The partitions interleave freely, so a reorder buffer restores the
 * order; duplicates (a relay that resent after a crash) are dropped. The read stops at `until`, or
 * once every partition has been read up to the end offset it had when the read began: a topic is
 * not waited on for positions the relay has not published yet, nor for ones lost to retention or
 * hidden behind an undecodable message. Whatever the topic could not give, the caller reads from the
 * store, which stays the source of truth; the read never commits offsets anyone else uses.
 */
export async function foldFromKafka(
  source: KafkaLogSource,
  options: KafkaFoldOptions,
): Promise<KafkaFoldResult> {
  const { kafka, topic } = source;
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    throw new KafkaFoldError(
      `cannot reach Kafka to read ${topic} (${(error as Error).message}); start the broker, or rebuild from the store (source=store)`,
    );
  }
  const buffer = new ReorderBuffer<DomainEventEnvelope>(options.after + 1);
  const result: KafkaFoldResult = { last: options.after, messages: 0, undecodable: 0, ended: 'end-of-topic' };
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    /** Partitions still to read, with the offset that marks their end (exclusive). */
    const remaining = new Map<number, bigint>();
    for (const { partition, offset, low } of offsets)
      if (BigInt(offset) > BigInt(low)) remaining.set(partition, BigInt(offset));
    if (remaining.size === 0 || options.until <= options.after) return result;

    const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
    let pending: DomainEventEnvelope[] = [];
    let finish!: () => void;
    let fail!: (error: Error) => void;
    const finished = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    let done = false;
    let lastProgress = Date.now();
    const flush = async () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      await options.apply(batch);
      result.last = batch[batch.length - 1]!.position;
    };
    const take = (ready: DomainEventEnvelope[]) => {
      for (const event of ready) {
        if (event.position > options.until) {
          done = true;
          result.ended = 'reached-until';
          return;
        }
        pending.push(event);
        if (event.position === options.until) {
          done = true;
          result.ended = 'reached-until';
          return;
        }
      }
    };
    const stallMs = options.stallMs ?? 30_000;
    const watchdog = setInterval(() => {
      if (!done && Date.now() - lastProgress > stallMs)
        fail(
          new KafkaFoldError(
            `no message from ${topic} for ${Math.round(stallMs / 1000)} s at position ${buffer.next - 1}; check the broker, or rebuild from the store (source=store)`,
          ),
        );
    }, 1000);
    watchdog.unref();
    const readBatch = async (batch: Batch, heartbeat: () => Promise<void>, running: () => boolean) => {
      for (const message of batch.messages) {
        if (done) break;
        // Stopped or rebalanced mid-batch: the rest is fetched again, so this batch does not end its partition.
        if (!running()) return;
        lastProgress = Date.now();
        result.messages += 1;
        let event: DomainEventEnvelope;
        try {
          event = decodeKafkaMessage(message);
        } catch {
          result.undecodable += 1;
          continue;
        }
        take(buffer.push(event));
        if (pending.length >= options.batchSize) {
          await flush();
          await heartbeat();
        }
      }
      const end = remaining.get(batch.partition);
      // `lastOffset()` counts control records and empty fetches too, so a partition ends even when its
      // last offsets hold no message.
      if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) remaining.delete(batch.partition);
      if (done || remaining.size === 0) {
        await flush();
        done = true;
        finish();
      }
    };
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
          try {
            await readBatch(batch, heartbeat, () => isRunning() && !isStale());
          } catch (error) {
            // A failed fold must end the read, not be retried by kafkajs from the same offsets.
            done = true;
            fail(error instanceof Error ? error : new Error(String(error)));
          }
        },
      });
      await finished;
      return result;
    } finally {
      clearInterval(watchdog);
      await consumer.stop().catch(() => undefined);
      await consumer.disconnect().catch(() => undefined);
      await admin.deleteGroups([options.groupId]).catch(() => undefined);
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
