import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { topicNames } from '@timeline/shared-types';
import type { KafkaClientLogLevel } from '../config/config.js';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
  partitions: number;
}

/**
 * kafkajs logs through the same structured JSON lines as the rest of the service, on stdout.
 * It reports retriable conditions (a leader moving, a coordinator loading) at ERROR and then
 * recovers, so its errors are warnings here; ours are reported by the components that give up.
 */
function jsonLogCreator() {
  return ({ namespace, level, log }: LogEntry) => {
    const {
      message,
      timestamp: _ts,
      logger: _l,
      ...rest
    } = log as { message: string; timestamp?: string; logger?: string };
    const ourLevel = level <= logLevel.WARN ? 'warn' : level === logLevel.INFO ? 'log' : 'debug';
    const line = {
      level: ourLevel,
      time: new Date().toISOString(),
      context: `kafkajs:${namespace}`,
      msg: message,
      ...rest,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
}

export function createKafka(
  settings: Pick<KafkaSettings, 'brokers' | 'clientId'> & { logLevel?: KafkaClientLogLevel },
): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: settings.logLevel === 'debug' ? logLevel.DEBUG : logLevel.ERROR,
    logCreator: jsonLogCreator,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
  });
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
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: topic === names.events ? partitions : 1,
          replicationFactor: 1,
        })),
      });
    }
  } finally {
    await admin.disconnect();
  }
  return names;
}
