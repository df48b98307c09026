import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** A topic prefix of its own per suite, so suites never see each other's messages. */
export function uniqueTopicPrefix(label: string): string {
  return `test-${label}-${randomBytes(4).toString('hex')}.`;
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'timeline-test', brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING });
}

/** Reads a topic from the beginning with a plain consumer until `done` says so. */
export async function consumeTopic<T>(
  topic: string,
  map: (m: {
    key: string | null;
    value: string | null;
    headers: Record<string, string>;
    partition: number;
    offset: string;
  }) => T,
  done: (seen: T[]) => boolean,
  timeoutMs = 30_000,
): Promise<T[]> {
  const kafka = testKafka();
  const consumer = kafka.consumer({ groupId: `test-reader-${randomBytes(4).toString('hex')}` });
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

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
