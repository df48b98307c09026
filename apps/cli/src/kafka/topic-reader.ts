import { randomUUID } from 'node:crypto';
import { decodeKafkaMessage, type DomainEventEnvelope, KafkaDecodeError } from '@timeline/shared-types';
import { Kafka, logLevel } from 'kafkajs';
import { CliError, EXIT } from '../errors.js';

export interface TopicReadOptions {
  brokers: string[];
  topic: string;
  /** Stop as soon as this returns true (e.g. every position up to `until` has been seen). */
  enough?: () => boolean;
  onEvent: (event: DomainEventEnvelope) => Promise<void> | void;
  onUndecodable?: (where: string, reason: string) => void;
  onProgress?: (read: number, total: number) => void;
}

/**
 * Reads a topic from the start of every partition up to the high watermark taken when it starts:
 * a snapshot, never waiting for more. It joins no existing group: a fresh group id of its own, no
 * offsets committed, the group deleted afterwards, so the projector's group is never touched.
 */
export async function readTopicSnapshot(options: TopicReadOptions): Promise<{ read: number; total: number }> {
  const kafka = new Kafka({
    clientId: 'timeline-cli',
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 2, initialRetryTime: 200 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    throw new CliError(
      EXIT.unreachable,
      `cannot reach the Kafka broker at ${options.brokers.join(',')} (${(error as Error).message})`,
      ['start it with `pnpm infra:up`, or pass --brokers host:port'],
    );
  }
  const groupId = `timeline-cli-replay-${randomUUID()}`;
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(options.topic)) {
      throw new CliError(
        EXIT.usage,
        `the topic '${options.topic}' does not exist on ${options.brokers.join(',')}`,
        ["pass the API's KAFKA_TOPIC_PREFIX with --topic-prefix (or set KAFKA_TOPIC_PREFIX)"],
      );
    }
    const offsets = await admin.fetchTopicOffsets(options.topic);
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
    if (end.size === 0) return { read: 0, total: 0 };

    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, retry: { retries: 2 } });
    let read = 0;
    let finish: () => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const finished = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) fail(payload.error);
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: options.topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, isRunning, resolveOffset }) => {
          try {
            const high = end.get(batch.partition);
            if (high === undefined) return;
            for (const message of batch.messages) {
              if (!isRunning() || end.size === 0) return;
              if (BigInt(message.offset) >= high) break;
              read += 1;
              try {
                const event = decodeKafkaMessage({
                  key: message.key,
                  value: message.value,
                  headers: message.headers ?? {},
                });
                await options.onEvent(event);
              } catch (error) {
                if (!(error instanceof KafkaDecodeError)) throw error;
                options.onUndecodable?.(
                  `partition ${batch.partition} offset ${message.offset}`,
                  error.message,
                );
              }
              // Without this kafkajs fetches the same batch again and the replay never ends.
              resolveOffset(message.offset);
            }
            if (BigInt(batch.lastOffset()) + 1n >= high) end.delete(batch.partition);
            options.onProgress?.(read, total);
            if (end.size === 0 || options.enough?.()) {
              end.clear();
              finish();
            }
          } catch (error) {
            end.clear();
            fail(error);
          }
        },
      });
      await finished;
      return { read, total };
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  } finally {
    // No offsets were committed, so there may be nothing to delete: either way the group is gone.
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
