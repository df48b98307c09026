import { replicationFor } from '@timeline/api';
import { Kafka, logLevel } from 'kafkajs';
import { KAFKA_BROKERS } from './env.js';
import { say } from './report.js';

/** A kafkajs client configured like the API's (same timeouts), quiet unless something fails. */
export function benchKafka(clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: KAFKA_BROKERS,
    logLevel: logLevel.ERROR,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
  });
}

/** A baseline's topic, replicated as the API replicates its own on this cluster (RF 3, min ISR 2 on three brokers). */
export async function createTopic(kafka: Kafka, topic: string, partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { replicationFactor, minInsyncReplicas } = replicationFor(
      (await admin.describeCluster()).brokers.length,
    );
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor,
          configEntries: [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }],
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

/** Sum of the partitions' high watermarks (messages on a topic that was never compacted or trimmed). */
export async function topicSize(
  kafka: Kafka,
  topic: string,
): Promise<{ total: number; high: Map<number, string> }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const high = new Map(offsets.map((o) => [o.partition, o.high]));
    return { total: offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0), high };
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every topic whose name starts with the prefix, and consumer groups named in `groups`. */
export async function deleteTopicsWithPrefix(kafka: Kafka, prefix: string, keep = false): Promise<void> {
  if (keep) {
    say('cleanup', `kept topics ${prefix}*`);
    return;
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(prefix));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } catch (error) {
    say('cleanup', `could not delete topics ${prefix}*: ${String(error)}`);
  } finally {
    await admin.disconnect();
  }
}
