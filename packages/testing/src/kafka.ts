import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { KAFKA_BROKERS_SETTING } from './topics.js';

export { KAFKA_BROKERS_SETTING, uniqueTopicPrefix } from './topics.js';

/** The broker list for a kafkajs client. */
export const KAFKA_BROKERS = KAFKA_BROKERS_SETTING.split(',');

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'timeline-test', brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING });
}

export interface ConsumedMessage {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

/**
 * Reads a topic from the beginning with a plain consumer (a group of its own) until `done` says so,
 * or until `timeoutMs`; resolves with what it saw either way, for the test to judge.
 */
export async function consumeTopic<T>(
  topic: string,
  map: (m: ConsumedMessage) => T,
  done: (seen: T[]) => boolean,
  timeoutMs = 30_000,
): Promise<T[]> {
  const consumer = testKafka().consumer({ groupId: `test-reader-${randomBytes(4).toString('hex')}` });
  const seen: T[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let resolveDone: () => void = () => undefined;
  const finished = new Promise<void>((r) => {
    resolveDone = r;
  });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {}))
        headers[k] = String(Array.isArray(v) ? v[0] : v);
      seen.push(
        map({
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers,
          partition,
          offset: message.offset,
        }),
      );
      if (done(seen)) resolveDone();
    },
  });
  const timer = setTimeout(resolveDone, timeoutMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  return seen;
}

/** Deletes a suite's topics (those named with its prefix) from the shared broker. */
export async function deleteTopicsWithPrefix(prefix: string): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
