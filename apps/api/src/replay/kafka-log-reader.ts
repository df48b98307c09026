import { readTopicSnapshot, TopicReadError } from '@timeline/kafka-log';
import { type DomainEventEnvelope, PositionOrder } from '@timeline/shared-types';
import type { Kafka } from 'kafkajs';

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
 * Reads the events topic from offset 0 (`@timeline/kafka-log`) and hands its events over in position
 * order, without gaps, from `after + 1` up to `until`. The partitions interleave freely, so the shared
 * position order restores it; duplicates (a relay that resent after a crash) are dropped. Its gap
 * policy is to fetch nothing: the read stops at `until`, or once every partition has been read up
 * to the end offset it had when the read began, so a topic is not waited on for positions the relay
 * has not published yet, nor for ones lost to retention or hidden behind an undecodable message.
 * Whatever the topic could not give, the caller reads from the store, which stays the source of
 * truth; the read never commits offsets anyone else uses.
 */
export async function foldFromKafka(
  source: KafkaLogSource,
  options: KafkaFoldOptions,
): Promise<KafkaFoldResult> {
  const { kafka, topic } = source;
  const result: KafkaFoldResult = { last: options.after, messages: 0, undecodable: 0, ended: 'end-of-topic' };
  let pending: DomainEventEnvelope[] = [];
  let done = options.until <= options.after;
  const order = new PositionOrder<DomainEventEnvelope>(
    (event) => {
      if (done) return;
      if (event.position > options.until) {
        done = true;
        result.ended = 'reached-until';
        return;
      }
      pending.push(event);
      if (event.position === options.until) {
        done = true;
        result.ended = 'reached-until';
      }
    },
    { after: options.after },
  );
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    await options.apply(batch);
    result.last = batch[batch.length - 1]!.position;
  };
  const stallMs = options.stallMs ?? 30_000;
  try {
    const { read } = await readTopicSnapshot({
      kafka,
      topic,
      groupId: options.groupId,
      stallMs,
      enough: () => done,
      onUndecodable: () => {
        result.undecodable += 1;
      },
      onEvent: (event) => {
        order.push(event);
        return pending.length >= options.batchSize ? flush() : undefined;
      },
    });
    result.messages = read;
  } catch (error) {
    throw asFoldError(error, topic, order.position, stallMs);
  }
  await flush();
  return result;
}

/** The reader's failures in the words of a rebuild: what happened, and the way out (the store). */
function asFoldError(error: unknown, topic: string, position: number, stallMs: number): unknown {
  if (!(error instanceof TopicReadError)) return error;
  switch (error.failure) {
    case 'unreachable':
      return new KafkaFoldError(
        `cannot reach Kafka to read ${topic} (${error.message}); start the broker, or rebuild from the store (source=store)`,
      );
    case 'stalled':
      return new KafkaFoldError(
        `no message from ${topic} for ${Math.round(stallMs / 1000)} s at position ${position}; check the broker, or rebuild from the store (source=store)`,
      );
    case 'no-topic':
      return new KafkaFoldError(
        `${topic} does not exist on the broker; rebuild from the store (source=store)`,
      );
    default:
      return error.cause ?? error;
  }
}
