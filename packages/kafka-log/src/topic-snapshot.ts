import { decodeKafkaMessage, type DomainEventEnvelope, KafkaDecodeError } from '@timeline/shared-types';
import type { ConsumerConfig, Kafka } from 'kafkajs';
import { settleWithin, unlessAborted } from './waiting.js';

/**
 * Why a read failed, for the caller to word in its own terms: `unreachable` (no connection),
 * `no-answer` (connected, but a broker call failed before the first fetch), `no-topic`, `crashed`
 * (the consumer failed while reading), `stalled` (no message for `stallMs`), `aborted` (the signal).
 */
export type TopicReadFailure = 'unreachable' | 'no-answer' | 'no-topic' | 'crashed' | 'stalled' | 'aborted';

export class TopicReadError extends Error {
  constructor(
    readonly failure: TopicReadFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TopicReadError';
  }
}

export interface TopicSnapshotOptions {
  kafka: Kafka;
  topic: string;
  /** A group of this read's own: no offsets are committed, and it is deleted afterwards. */
  groupId: string;
  /** Called for every message in offset order per partition; a promise returned is waited for. */
  onEvent?: (event: DomainEventEnvelope) => Promise<void> | undefined | void;
  /** Instead of `onEvent`: every message as it is on the topic, undecoded (a dead-letter topic holds what did not decode). */
  onMessage?: (message: RawTopicMessage) => Promise<void> | undefined | void;
  onUndecodable?: (where: string, reason: string) => void;
  /** After each batch: messages read so far, and how many the snapshot holds. */
  onProgress?: (read: number, total: number) => void;
  /** Stop as soon as this returns true (e.g. every position wanted has been seen). */
  enough?: () => boolean;
  /** Stop reading at once and reject with an `aborted` error. */
  signal?: AbortSignal;
  /** Fail when no message arrives for this long while more is expected (default: wait as kafkajs does). */
  stallMs?: number;
  /** The consumer's retry settings (default kafkajs': a crashed consumer restarts). */
  retry?: ConsumerConfig['retry'];
  /** How long a disconnect may take before the read gives up on it (default: as long as it takes). */
  disconnectTimeoutMs?: number;
}

export interface RawTopicMessage {
  partition: number;
  offset: string;
  /** Milliseconds since the epoch, as the producer or broker stamped it. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface TopicSnapshotResult {
  /** Messages read inside the snapshot, undecodable ones and duplicates included. */
  read: number;
  /** Messages the snapshot holds (every partition from its low to its high watermark at the start). */
  total: number;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Reads a topic from the start of every partition up to the high watermark taken when it starts:
 * a snapshot, never waiting for more, so the read ends even while the relay writes. It joins no
 * existing group (a fresh group id, no offsets committed, the group deleted afterwards), so the
 * projector's group is never touched. Order across partitions is the caller's to restore.
 */
export async function readTopicSnapshot(options: TopicSnapshotOptions): Promise<TopicSnapshotResult> {
  const { kafka, topic, signal } = options;
  const aborted = () => new TopicReadError('aborted', `the read of ${topic} was interrupted`);
  const admin = kafka.admin();
  try {
    await unlessAborted(admin.connect(), signal, aborted);
  } catch (error) {
    void admin.disconnect().catch(() => undefined);
    if (error instanceof TopicReadError) throw error;
    throw new TopicReadError('unreachable', messageOf(error), { cause: error });
  }
  let consumerStarted = false;
  try {
    // A broker that accepts connections but does not answer (hung, or another service on that port)
    // can get past connect: whatever fails before the first fetch is the broker's, said so.
    const brokerCall = async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        return await unlessAborted(call(), signal, aborted);
      } catch (error) {
        if (error instanceof TopicReadError) throw error;
        throw new TopicReadError('no-answer', messageOf(error), { cause: error });
      }
    };
    const topics = await brokerCall(() => admin.listTopics());
    if (!topics.includes(topic)) throw new TopicReadError('no-topic', `the topic '${topic}' does not exist`);
    const offsets = await brokerCall(() => admin.fetchTopicOffsets(topic));
    /** Partitions still to read, with the offset that ends their snapshot (exclusive). */
    const end = new Map<number, bigint>();
    let total = 0;
    for (const o of offsets) {
      const high = BigInt(o.high);
      const low = BigInt(o.low);
      if (high > low) {
        end.set(o.partition, high);
        total += Number(high - low);
      }
    }
    if (end.size === 0 || options.enough?.()) return { read: 0, total };

    const consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      ...(options.retry ? { retry: options.retry } : {}),
    });
    let read = 0;
    let lastMessageAt = Date.now();
    let finish: () => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const finished = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = (error) => {
        // Stops the batch loop at its next message.
        end.clear();
        reject(error);
      };
    });
    // It may be rejected (abort, a crash) before it is awaited below: that must not count as unhandled.
    finished.catch(() => undefined);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart)
        fail(new TopicReadError('crashed', messageOf(payload.error), { cause: payload.error }));
    });
    const onAbort = () => fail(aborted());
    signal?.addEventListener('abort', onAbort, { once: true });
    const { stallMs } = options;
    const watchdog =
      stallMs === undefined
        ? undefined
        : setInterval(
            () => {
              if (end.size > 0 && Date.now() - lastMessageAt > stallMs)
                fail(
                  new TopicReadError(
                    'stalled',
                    `no message from ${topic} for ${Math.round(stallMs / 1000)} s`,
                  ),
                );
            },
            Math.min(1000, stallMs),
          );
    watchdog?.unref();
    try {
      if (signal?.aborted) throw aborted();
      consumerStarted = true;
      await brokerCall(() => consumer.connect());
      await brokerCall(() => consumer.subscribe({ topic, fromBeginning: true }));
      await unlessAborted(
        consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
            try {
              const high = end.get(batch.partition);
              if (high === undefined) return;
              const messages = batch.messages;
              // Offsets grow within a batch: when its last message is inside the snapshot, all are,
              // and no message needs its own comparison (a BigInt each).
              const last = messages[messages.length - 1];
              const whole = last === undefined || BigInt(last.offset) < high;
              let enough = false;
              for (const message of messages) {
                // Stopped or rebalanced mid-batch: the rest is fetched again, so this batch does not end its partition.
                if (!isRunning() || isStale() || end.size === 0) return;
                if (!whole && BigInt(message.offset) >= high) break;
                read += 1;
                lastMessageAt = Date.now();
                try {
                  if (options.onMessage) {
                    const pending = options.onMessage(rawMessage(batch.partition, message));
                    if (pending) {
                      await pending;
                      await heartbeat();
                    }
                  } else {
                    const event = decodeKafkaMessage({
                      key: message.key,
                      value: message.value,
                      headers: message.headers ?? {},
                    });
                    const pending = options.onEvent?.(event);
                    if (pending) {
                      await pending;
                      await heartbeat();
                    }
                  }
                } catch (error) {
                  if (!(error instanceof KafkaDecodeError)) throw error;
                  options.onUndecodable?.(
                    `partition ${batch.partition} offset ${message.offset}`,
                    error.message,
                  );
                }
                // Without this kafkajs fetches the same batch again and the read never ends.
                resolveOffset(message.offset);
                if (options.enough?.()) {
                  enough = true;
                  break;
                }
              }
              // `lastOffset()` counts control records and empty fetches too, so a partition ends even
              // when its last offsets hold no message.
              if (BigInt(batch.lastOffset()) + 1n >= high) end.delete(batch.partition);
              options.onProgress?.(read, total);
              if (end.size === 0 || enough) {
                end.clear();
                finish();
              }
            } catch (error) {
              // A failed callback must end the read, not be retried by kafkajs from the same offsets.
              fail(error);
            }
          },
        }),
        signal,
        aborted,
      );
      await finished;
      return { read, total };
    } finally {
      clearInterval(watchdog);
      signal?.removeEventListener('abort', onAbort);
      // A batch stuck on output nobody reads would hold a disconnect: it is not waited for long.
      if (consumerStarted) await settleWithin(consumer.disconnect(), options.disconnectTimeoutMs);
    }
  } finally {
    // No offsets were committed, so there may be nothing to delete: either way the group is gone.
    if (consumerStarted)
      await settleWithin(
        admin.deleteGroups([options.groupId]).catch(() => undefined),
        options.disconnectTimeoutMs,
      );
    await settleWithin(admin.disconnect(), options.disconnectTimeoutMs);
  }
}

function rawMessage(
  partition: number,
  message: {
    offset: string;
    timestamp: string;
    key: Buffer | null;
    value: Buffer | null;
    headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  },
): RawTopicMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  return {
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key,
    value: message.value,
    headers,
  };
}
