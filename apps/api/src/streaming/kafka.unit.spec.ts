import { ConsoleLogger, Logger } from '@nestjs/common';
import { type LogEntry, logLevel, Partitioners } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { capturedJson } from '../../test/support/captured-logger.js';
import { fromKafkaLogEntry, kafkaLogCreator, keyPartitioner, replicationFor } from './kafka.js';

const entry = (level: logLevel, log: Record<string, unknown>): LogEntry => ({
  namespace: 'Connection',
  level,
  label: logLevel[level] ?? '',
  log: { timestamp: '2026-01-01T00:00:00.000Z', logger: 'kafkajs', message: 'Response Metadata', ...log },
});

describe('kafkajs log entries', () => {
  afterEach(() => Logger.overrideLogger(new ConsoleLogger()));

  it('maps levels: its errors are retried conditions (warn), info stays info, debug stays debug', () => {
    expect(fromKafkaLogEntry(entry(logLevel.ERROR, {})).level).toBe('warn');
    expect(fromKafkaLogEntry(entry(logLevel.WARN, {})).level).toBe('warn');
    expect(fromKafkaLogEntry(entry(logLevel.INFO, {})).level).toBe('log');
    expect(fromKafkaLogEntry(entry(logLevel.DEBUG, {})).level).toBe('debug');
  });

  it('keeps the namespace and its own fields, drops its timestamp and logger name, and flattens errors', () => {
    const { entry: line } = fromKafkaLogEntry(
      entry(logLevel.ERROR, { broker: '127.0.0.1:9092', clientId: 'api', error: new Error('not a leader') }),
    );
    expect(line).toEqual({
      msg: 'Response Metadata',
      namespace: 'Connection',
      broker: '127.0.0.1:9092',
      clientId: 'api',
      error: 'not a leader',
    });
  });

  it("writes through the process's logger as component kafka, in the one JSON shape", () => {
    const { logger, entries } = capturedJson();
    Logger.overrideLogger(logger);
    kafkaLogCreator()(entry(logLevel.ERROR, { broker: '127.0.0.1:9092' }));
    expect(entries()).toEqual([
      expect.objectContaining({
        level: 'warn',
        component: 'kafka',
        namespace: 'Connection',
        broker: '127.0.0.1:9092',
        msg: 'Response Metadata',
      }),
    ]);
    expect(entries()[0]).not.toHaveProperty('logger');
  });
});

describe('topic layout', () => {
  it('replicates by cluster size: one copy on one or two brokers, three with two in sync from three on', () => {
    expect(replicationFor(1)).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
    expect(replicationFor(2)).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
    expect(replicationFor(3)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(replicationFor(5)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it('gives a stream the partition the producer gave it before the relay chose partitions (murmur2, Java-compatible)', () => {
    const producerChoice = Partitioners.DefaultPartitioner();
    const partitionOf = keyPartitioner('t', 3);
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({
      partitionId,
      leader: partitionId,
      partitionErrorCode: 0,
      replicas: [],
      isr: [],
    }));
    const keys = Array.from({ length: 200 }, (_, i) => `stream-${i}`);
    const ours = keys.map(partitionOf);
    expect(ours).toEqual(
      keys.map((key) => producerChoice({ topic: 't', partitionMetadata, message: { key, value: 'x' } })),
    );
    expect(new Set(ours)).toEqual(new Set([0, 1, 2]));
    // Pinned, so that a change of partitioner (streams moving partition) shows up in review.
    expect(ours.slice(0, 8)).toEqual([2, 1, 2, 1, 1, 1, 1, 2]);
  });
});
