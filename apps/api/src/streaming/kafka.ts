import { Logger } from '@nestjs/common';
import {
  type Admin,
  type Consumer,
  type ConsumerConfig,
  Kafka,
  logLevel,
  type LogEntry,
  Partitioners,
  type PartitionMetadata,
} from 'kafkajs';
import { topicNames } from '@timeline/shared-types';
import type { KafkaClientLogLevel } from '../config/config.js';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
  partitions: number;
}

/**
 * kafkajs reports retriable conditions (a leader moving, a coordinator loading) at ERROR and then
 * recovers, so its errors are warnings here; ours are reported by the components that give up.
 * The entry keeps kafkajs's own fields (broker, clientId, groupId, ...) beside its namespace.
 */
export function fromKafkaLogEntry({ namespace, level, log }: LogEntry): {
  level: 'warn' | 'log' | 'debug';
  entry: Record<string, unknown>;
} {
  const {
    message,
    timestamp: _timestamp,
    logger: _logger,
    ...fields
  } = log as LogEntry['log'] & {
    logger?: string;
  };
  for (const [key, value] of Object.entries(fields)) if (value instanceof Error) fields[key] = value.message;
  const ours = level <= logLevel.WARN ? 'warn' : level === logLevel.INFO ? 'log' : 'debug';
  return { level: ours, entry: { msg: message, namespace, ...fields } };
}

/** kafkajs writes through Nest's Logger, so its lines take the process's one shape, as component `kafka`. */
export function kafkaLogCreator() {
  const logger = new Logger('kafka');
  return (entry: LogEntry) => {
    const { level, entry: line } = fromKafkaLogEntry(entry);
    logger[level](line);
  };
}

export function createKafka(
  settings: Pick<KafkaSettings, 'brokers' | 'clientId'> & { logLevel?: KafkaClientLogLevel },
): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: settings.logLevel === 'debug' ? logLevel.DEBUG : logLevel.ERROR,
    logCreator: kafkaLogCreator,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
  });
}

/**
 * Replication follows the cluster: one broker holds one copy; from three brokers on every partition has
 * three copies and a write (acks all) needs two of them, so one broker may die without losing an
 * acknowledged event or stopping writes.
 */
export function replicationFor(brokers: number): { replicationFactor: number; minInsyncReplicas: number } {
  return brokers >= 3
    ? { replicationFactor: 3, minInsyncReplicas: 2 }
    : { replicationFactor: 1, minInsyncReplicas: 1 };
}

/** Topics are created up front: kafkajs on KRaft cannot subscribe to a topic that does not exist yet. */
export async function ensureTopics(
  kafka: Kafka,
  prefix: string,
  partitions: number,
): Promise<{ events: string; deadLetters: string }> {
  const names = topicNames(prefix);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [names.events, names.deadLetters].filter((t) => !existing.has(t));
    if (missing.length > 0) {
      const { brokers } = await admin.describeCluster();
      const { replicationFactor, minInsyncReplicas } = replicationFor(brokers.length);
      await admin
        .createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: topic === names.events ? partitions : 1,
            replicationFactor,
            configEntries: [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }],
          })),
        })
        .catch((error: unknown) => {
          // Another process made them between our list and our create: theirs are as good as ours.
          if (!String(error).includes('already exists')) throw error;
        });
      await waitForLeaders(admin, missing);
    }
  } finally {
    await admin.disconnect();
  }
  return names;
}

/**
 * Waits until every partition of `topics` has a leader: a topic another process has just created is
 * listed before its partitions can take writes (the first produce then fails with "does not host").
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const metadata = await admin.fetchTopicMetadata({ topics }).catch(() => undefined);
    const led = metadata?.topics.every(
      (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
    );
    if (led || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The topic check of one process: the roles it runs, starting together, share the check in flight
 * (each role used to create the topics at once at a first start, and all but one got "already
 * exists"). A later call checks again (a consumer restarting after the topic was deleted remakes it).
 */
export function topicMaker(
  kafka: Kafka,
  prefix: string,
  partitions: number,
): () => Promise<{ events: string; deadLetters: string }> {
  let inFlight: Promise<{ events: string; deadLetters: string }> | undefined;
  return () => {
    inFlight ??= ensureTopics(kafka, prefix, partitions).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

/** How many partitions the topic has now (the relay computes each event's partition itself). */
export async function partitionCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const count = topics[0]?.partitions.length ?? 0;
    if (count === 0) throw new Error(`topic ${topic} has no partitions`);
    return count;
  } finally {
    await admin.disconnect();
  }
}

/**
 * The partition kafkajs's default partitioner gives a key among `count` partitions (murmur2, as Java's
 * client): choosing it ourselves keeps every stream on the partition it has always had.
 */
export function keyPartitioner(topic: string, count: number): (key: string) => number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [],
    isr: [],
  }));
  return (key) => partitioner({ topic, partitionMetadata, message: { key, value: null } });
}

/**
 * A consumer of the events topic that rides out broker trouble: it retries without end, and kafkajs
 * restarts it after retriable errors; when kafkajs gives up, `onFatal` hears it so the owner can start
 * it again.
 */
export function resilientConsumer(
  kafka: Kafka,
  config: Pick<ConsumerConfig, 'groupId' | 'rebalanceTimeout'>,
  onFatal: (error: Error) => void,
): Consumer {
  const consumer = kafka.consumer({
    allowAutoTopicCreation: false,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5_000 },
    ...config,
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) onFatal(payload.error);
  });
  return consumer;
}
