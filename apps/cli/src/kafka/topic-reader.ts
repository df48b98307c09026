import { randomUUID } from 'node:crypto';
import { readTopicSnapshot as readSnapshot, TopicReadError, unlessAborted } from '@timeline/kafka-log';
import type { DomainEventEnvelope } from '@timeline/shared-types';
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

/** Resolves with `work`, or rejects as soon as Ctrl-C is pressed, whichever comes first. */
export function unlessInterrupted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return unlessAborted(work, signal, () => new ReplayInterrupted());
}

/** How long a disconnect may take before the reader gives up on it (the process exits anyway). */
const DISCONNECT_MS = 3_000;

/** The read's failures in the words of the command line: what happened, and what to do about it. */
function asCliError(error: unknown, options: TopicReadOptions): unknown {
  if (!(error instanceof TopicReadError)) return error;
  const { brokers, topic } = options;
  switch (error.failure) {
    case 'aborted':
      return new ReplayInterrupted();
    case 'unreachable':
      return unreachable(brokers, error, 'cannot reach');
    case 'no-answer':
      return unreachable(brokers, error, 'no usable answer from');
    case 'no-topic':
      return new CliError(EXIT.usage, `the topic '${topic}' does not exist on ${brokers.join(',')}`, [
        "pass the API's KAFKA_TOPIC_PREFIX with --topic-prefix (or set KAFKA_TOPIC_PREFIX)",
      ]);
    default:
      return error.cause instanceof CliError
        ? error.cause
        : unreachable(brokers, error, 'the replay stopped: reading failed from');
  }
}

/** A snapshot of the topic (see `@timeline/kafka-log`), read by a client of the CLI's own. */
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
  try {
    return await readSnapshot({
      kafka,
      topic: options.topic,
      groupId: `timeline-cli-replay-${randomUUID()}`,
      onEvent: options.onEvent,
      onUndecodable: options.onUndecodable,
      onProgress: options.onProgress,
      enough: options.enough,
      signal: options.signal,
      // kafkajs restarts a crashed consumer from the committed offsets by default; this one commits
      // none, so a restart would silently read the whole topic again. A crash ends the replay.
      retry: { retries: 2, restartOnFailure: async () => false },
      disconnectTimeoutMs: DISCONNECT_MS,
    });
  } catch (error) {
    throw asCliError(error, options);
  }
}
