import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type IHeaders, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Talks to the REAL broker started by `pnpm infra:up` (KAFKA_BROKERS, default 127.0.0.1:9092).
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

const PARTITIONS = 3;
const KEYS = ['alpha', 'bravo', 'charlie', 'delta'];
const PER_KEY = 5;

interface Received {
  partition: number;
  offset: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const v = Array.isArray(raw) ? raw[0] : raw;
    if (v !== undefined) out[name] = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
  return out;
}

describe('kafka smoke (real broker)', () => {
  const runId = randomUUID().slice(0, 8);
  const topic = `infra-smoke-${Date.now()}-${runId}`;
  const groupId = `infra-smoke-group-${runId}`;
  const kafka = new Kafka({
    clientId: `infra-smoke-${runId}`,
    brokers,
    logLevel: logLevel.WARN,
    connectionTimeout: 5000,
    // No `retries` here: the idempotent producer keeps kafkajs' own (unbounded) retry count; the test
    // timeout bounds it. A fresh broker answers the first FindCoordinator/InitProducerId with
    // "coordinator is loading" (logged by kafkajs as ERROR, then retried).
    retry: { initialRetryTime: 200 },
  });
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await consumer?.disconnect().catch(() => {});
    await producer?.disconnect().catch(() => {});
    try {
      await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
      await admin.deleteGroups([groupId]).catch(() => {});
    } finally {
      await admin.disconnect();
    }
  });

  it('creates a topic, produces idempotently with keys and headers, consumes in per-partition order', async () => {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    expect(created).toBe(true);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0]?.partitions).toHaveLength(PARTITIONS);

    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    // Interleave keys so each partition receives several keys' sequences mixed together.
    const sent: { key: string; value: string; seq: number }[] = [];
    for (let seq = 0; seq < PER_KEY; seq++) {
      for (const key of KEYS) sent.push({ key, value: JSON.stringify({ key, seq, runId }), seq });
    }
    const results = await producer.send({
      topic,
      acks: -1,
      messages: sent.map((m) => ({
        key: m.key,
        value: m.value,
        headers: { 'x-run-id': runId, 'x-seq': String(m.seq), 'content-type': 'application/json' },
      })),
    });
    expect(results.every((r) => r.errorCode === 0)).toBe(true);

    consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: Received[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out: received ${received.length}/${sent.length} messages`)),
        45_000,
      );
      consumer!
        .run({
          eachMessage: async ({ partition, message }) => {
            received.push({
              partition,
              offset: message.offset,
              key: message.key?.toString('utf8') ?? '',
              value: message.value?.toString('utf8') ?? '',
              headers: headerText(message.headers),
            });
            if (received.length >= sent.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await done;

    expect(received).toHaveLength(sent.length);
    // Values, keys and headers round-trip.
    expect(received.map((r) => r.value).sort()).toEqual(sent.map((m) => m.value).sort());
    for (const r of received) {
      const body = JSON.parse(r.value) as { key: string; seq: number; runId: string };
      expect(r.key).toBe(body.key);
      expect(r.headers).toEqual({
        'x-run-id': runId,
        'x-seq': String(body.seq),
        'content-type': 'application/json',
      });
    }
    // Same key -> same partition, and within a partition both offsets and each key's sequence ascend.
    const partitionOfKey = new Map<string, number>();
    for (const r of received) {
      const p = partitionOfKey.get(r.key);
      if (p === undefined) partitionOfKey.set(r.key, r.partition);
      else expect(r.partition).toBe(p);
    }
    for (let p = 0; p < PARTITIONS; p++) {
      const inPartition = received.filter((r) => r.partition === p);
      const offsets = inPartition.map((r) => BigInt(r.offset));
      for (let i = 1; i < offsets.length; i++) expect(offsets[i]! > offsets[i - 1]!).toBe(true);
      for (const key of KEYS) {
        const seqs = inPartition.filter((r) => r.key === key).map((r) => Number(r.headers['x-seq']));
        if (seqs.length) expect(seqs).toEqual([...Array(PER_KEY).keys()]);
      }
    }
    // Idempotent producer: exactly one copy of each message (offsets 0..n-1 per partition, no gaps).
    for (let p = 0; p < PARTITIONS; p++) {
      const offsets = received.filter((r) => r.partition === p).map((r) => Number(r.offset));
      expect(offsets).toEqual([...Array(offsets.length).keys()]);
    }
  });
});
