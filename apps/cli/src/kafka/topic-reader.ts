import { randomUUID } from 'node:crypto';
import { decodeKafkaMessage, type DomainEventEnvelope, KafkaDecodeError } from '@timeline/shared-types';
import { Kafka, logLevel } from 'kafkajs';
import { CliError, EXIT } from '../errors.js';

export interface TopicReadOptions {
  brokers: string[];
  topic: string;
  /** Stop as soon as this returns true (e.g. every position up to `until` has been seen). */
  enough?: () => boolean;
  /** Called for every message in offset order per partition; a promise returned is waited for. */
  onEvent: (event: DomainEventEnvelope) => Promise<void> | undefined | void;
  onUndecodable?: (where: string, reason: string) => void;
  onProgress?: (read: number, total: number) => void;
  /** Ctrl-C: stop reading at once and reject with an interruption error. */
  signal?: AbortSignal;
}

/** The error a replay stopped by the user ends with (never mistaken for an unreachable broker). */
export class ReplayInterrupted extends CliError {
  constructor() {
    super(EXIT.interrupted, 'interrupted (Ctrl-C): the replay did not finish, its output is incomplete');
  }
}

const unreachable = (brokers: string[], error: unknown, what: string) =>
  new CliError(
    EXIT.unreachable,
    `${what} the Kafka broker at ${brokers.join(',')} (${(error as Error).message})`,
    [
      'start it with `pnpm infra:up` (or check it is running), or pass --brokers host:port;',
      'then run the replay again (it always starts from the beginning of the topic)',
    ],
  );

/**
 * Resolves with `work`, or rejects as soon as `signal` aborts, whichever comes first: a broker that
 * does not answer, or output nobody reads, must not make Ctrl-C wait.
 */
export function unlessInterrupted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(new ReplayInterrupted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ReplayInterrupted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** How long a disconnect may take before the reader gives up on it (the process exits anyway). */
const DISCONNECT_MS = 3_000;

function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
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
    // 30 s by default: a broker that never answers would keep the user waiting minutes over the
    // retries. Fetches are not cut short by it (kafkajs gives them their max wait time plus margin).
    requestTimeout: 10_000,
    retry: { retries: 2, initialRetryTime: 200 },
  });
  const { signal } = options;
  const admin = kafka.admin();
  try {
    await unlessInterrupted(admin.connect(), signal);
  } catch (error) {
    void admin.disconnect().catch(() => undefined);
    if (error instanceof ReplayInterrupted) throw error;
    throw unreachable(options.brokers, error, 'cannot reach');
  }
  const groupId = `timeline-cli-replay-${randomUUID()}`;
  let consumerStarted = false;
  try {
    // A broker that accepts connections but does not answer (hung, or another service on that port)
    // can get past connect: whatever fails before the first fetch is the broker's, said so.
    const brokerCall = async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        return await unlessInterrupted(call(), signal);
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw unreachable(options.brokers, error, 'no usable answer from');
      }
    };
    const topics = await brokerCall(() => admin.listTopics());
    if (!topics.includes(options.topic)) {
      throw new CliError(
        EXIT.usage,
        `the topic '${options.topic}' does not exist on ${options.brokers.join(',')}`,
        ["pass the API's KAFKA_TOPIC_PREFIX with --topic-prefix (or set KAFKA_TOPIC_PREFIX)"],
      );
    }
    // The end of the snapshot: each partition's high watermark now. Messages published while the
    // replay runs are past it and are not read, so the replay ends even while the relay writes.
    const offsets = await brokerCall(() => admin.fetchTopicOffsets(options.topic));
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

    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      // kafkajs restarts a crashed consumer from the committed offsets by default; this one commits
      // none, so a restart would silently read the whole topic again. A crash ends the replay.
      retry: { retries: 2, restartOnFailure: async () => false },
    });
    let read = 0;
    let finish: () => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const finished = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    // It may be rejected (Ctrl-C, a crash) before it is awaited below: that must not count as unhandled.
    finished.catch(() => undefined);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      end.clear();
      fail(
        payload.error instanceof CliError
          ? payload.error
          : unreachable(options.brokers, payload.error, 'the replay stopped: reading failed from'),
      );
    });
    const onAbort = () => {
      // Stops the batch loop at its next message; `finished` rejects now, not when kafkajs is done.
      end.clear();
      fail(new ReplayInterrupted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) throw new ReplayInterrupted();
      consumerStarted = true;
      await brokerCall(() => consumer.connect());
      await brokerCall(() => consumer.subscribe({ topic: options.topic, fromBeginning: true }));
      await unlessInterrupted(
        consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, isRunning, resolveOffset }) => {
            try {
              const high = end.get(batch.partition);
              if (high === undefined) return;
              const messages = batch.messages;
              // Offsets grow within a batch: when its last message is inside the snapshot, all are,
              // and no message needs its own comparison (a BigInt each).
              const last = messages[messages.length - 1];
              const whole = last === undefined || BigInt(last.offset) < high;
              for (const message of messages) {
                if (!isRunning() || end.size === 0) return;
                if (!whole && BigInt(message.offset) >= high) break;
                read += 1;
                try {
                  const event = decodeKafkaMessage({
                    key: message.key,
                    value: message.value,
                    headers: message.headers ?? {},
                  });
                  const pending = options.onEvent(event);
                  if (pending) await pending;
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
        }),
        signal,
      );
      await finished;
      return { read, total };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // A batch stuck on output nobody reads would hold a disconnect: it is not waited for long.
      if (consumerStarted) await settleWithin(consumer.disconnect(), DISCONNECT_MS);
    }
  } finally {
    // No offsets were committed, so there may be nothing to delete: either way the group is gone.
    if (consumerStarted)
      await settleWithin(
        admin.deleteGroups([groupId]).catch(() => undefined),
        DISCONNECT_MS,
      );
    await settleWithin(admin.disconnect(), DISCONNECT_MS);
  }
}
