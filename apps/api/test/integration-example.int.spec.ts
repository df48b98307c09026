import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KAFKA_BROKERS_SETTING, runNode } from '@timeline/testing';
import { encodeKafkaMessage, type EventEnvelope, topicNames } from '@timeline/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROOT, type RunningApi, startApi } from './support/api-process.js';
import { call } from './support/http.js';
import { deleteTopicsWithPrefix, testKafka, uniqueTopicPrefix, waitFor } from './support/kafka.js';

const EXAMPLE = join(API_ROOT, '../../docs/integration/consumer.mjs');
const READ_TOKEN = 'example-read-token-0123456789abcdef';

/**
 * The example consumer exactly as a user runs it, outside the workspace: a folder of its own where
 * `kafkajs` is the one package it can import.
 */
async function exampleFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'timeline-consumer-example-'));
  const kafkajs = dirname(createRequire(join(API_ROOT, 'package.json')).resolve('kafkajs/package.json'));
  await mkdir(join(folder, 'node_modules'));
  await symlink(kafkajs, join(folder, 'node_modules', 'kafkajs'), 'dir');
  await copyFile(EXAMPLE, join(folder, 'consumer.mjs'));
  return folder;
}

describe('docs/integration/consumer.mjs against a real API and broker', () => {
  const prefix = uniqueTopicPrefix('example');
  let api: RunningApi;
  let folder: string;
  let log: EventEnvelope[];
  const duplicates: EventEnvelope[] = [];

  const append = async (streamId: string, count: number) => {
    const result = await call(api.url, 'POST', `/api/streams/${streamId}/events`, {
      token: api.token,
      body: {
        events: Array.from({ length: count }, (_, i) => ({
          type: 'MeetingHeld',
          occurredAt: { start: `2024-0${1 + (i % 9)}-10`, precision: 'day' },
          data: { title: `Meeting ${streamId}.${i}`, participants: ['A', 'B'] },
        })),
      },
    });
    expect(result.status, result.text).toBe(201);
  };
  const readLog = async () => {
    const response = await fetch(`${api.url}/api/events?limit=10000`, {
      headers: { authorization: `Bearer ${READ_TOKEN}`, accept: 'application/x-ndjson' },
    });
    return (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as EventEnvelope);
  };
  /** Messages on the events topic: the relay publishes each event once, duplicates are ours. */
  const onTopic = async () => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topicNames(prefix).events);
      return offsets.reduce((sum, p) => sum + Number(p.high), 0);
    } finally {
      await admin.disconnect();
    }
  };

  beforeAll(async () => {
    folder = await exampleFolder();
    // The seed (a stream per topic of the dataset) plus concurrent appends, spread over the partitions.
    api = await startApi({ KAFKA_TOPIC_PREFIX: prefix, TIMELINE_READ_TOKENS: READ_TOKEN });
    const streams = Array.from({ length: 6 }, (_, i) => `example-${i}`);
    await Promise.all(streams.map((streamId) => append(streamId, 5)));
    const published = (await readLog()).length;
    await waitFor('the relay to publish the log', async () => (await onTopic()) >= published);

    // Duplicates, as a relay crash leaves them: positions already on the topic, sent again. Each
    // stream gets one more event after them, so the consumer reads past every duplicate to get there.
    const withDuplicates = streams.slice(0, 3);
    duplicates.push(...(await readLog()).filter((e) => withDuplicates.includes(e.streamId)).slice(0, 8));
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({ topic: topicNames(prefix).events, messages: duplicates.map(encodeKafkaMessage) });
    await producer.disconnect();
    await Promise.all(withDuplicates.map((streamId) => append(streamId, 1)));
    log = await readLog();
  });

  afterAll(async () => {
    await api?.stop();
    await deleteTopicsWithPrefix(prefix);
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('serves the AsyncAPI document openly, with the topic prefix, while reads need a token', async () => {
    expect((await call(api.url, 'GET', '/api/events')).status).toBe(401);
    const document = await call<{ channels: Record<string, { address: string }> }>(
      api.url,
      'GET',
      '/api/docs/asyncapi.json',
    );
    expect(document.status).toBe(200);
    expect(document.body.channels.events!.address).toBe(`${prefix}timeline.events`);
    expect(document.body.channels.deadLetters!.address).toBe(`${prefix}timeline.events.dlq`);
  });

  it('prints every event once, in position order across partitions', async () => {
    expect(log.length).toBeGreaterThan(30);
    const head = log.at(-1)!.position;
    const run = await runNode(
      join(folder, 'consumer.mjs'),
      [
        '--brokers',
        KAFKA_BROKERS_SETTING,
        '--asyncapi',
        `${api.url}/api/docs/asyncapi.json`,
        '--until',
        String(head),
      ],
      { cwd: folder, timeoutMs: 60_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const printed = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { position: number; eventId: string; type: string; ceType: string });
    expect(printed.map((e) => e.position)).toEqual(log.map((e) => e.position));
    expect(printed.map((e) => e.eventId)).toEqual(log.map((e) => e.eventId));
    expect(printed.map((e) => e.ceType)).toEqual(log.map((e) => `timeline.${e.type}.v${e.schemaVersion}`));

    const stats = JSON.parse(run.stderr.trim().split('\n').at(-1)!) as {
      printed: number;
      duplicates: number;
      rejected: number;
      mostHeld: number;
    };
    console.info(`consumer: ${JSON.stringify(stats)}`);
    expect(stats).toMatchObject({ printed: log.length, rejected: 0 });
    expect(stats.duplicates).toBe(duplicates.length);
    // Messages from one partition waited for lower positions from another.
    expect(stats.mostHeld).toBeGreaterThan(1);
  });
});
