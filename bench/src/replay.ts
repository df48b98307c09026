/**
 * Replay throughput over a large log (default 1,000,000 events), four ways in the same run:
 * - from the store through the API (NDJSON: `/api/replay?mode=events` when mounted, and the streamed
 *   log read `/api/events` with `Accept: application/x-ndjson`), sampling the API's RSS every 100 ms;
 * - beside a raw `pg` cursor (DECLARE CURSOR / FETCH 1000) over the same table;
 * - from Kafka through the CLI (`timeline replay --source kafka`: decode, validate, reorder by position);
 * - beside a raw kafkajs consumer reading the same topic from offset 0 (no decoding).
 * The log is written straight into `events` (gapless positions, streams, log_head) and the same
 * envelopes are published to the topic with `encodeKafkaMessage`; the relay checkpoint and the
 * projector's group offsets are set to the end, so the API starts idle.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlClient } from '@timeline/api';
import { topicNames } from '@timeline/shared-types';
import { type ApiProcess, startApi } from './lib/api.js';
import { type BenchOptions, parseBenchArgs } from './lib/args.js';
import { CLI_MAIN, RUN_ID } from './lib/env.js';
import { benchKafka, createTopic, deleteTopicsWithPrefix, topicSize } from './lib/kafka.js';
import { createDatabase, postgresVersion } from './lib/pg.js';
import { quietMachine } from './lib/quiet.js';
import { machine, say, writeResults } from './lib/report.js';
import { perSecond } from './lib/stats.js';
import { fillStore, fillTopic, STREAMS, skipProjector } from './replay/fill.js';
import { cliReplay, decodeReorderConsumer, rawConsumer } from './replay/kafka-readers.js';
import type { ReadResult } from './replay/read-result.js';
import { rawCursor, readNdjson, replayMounted } from './replay/store-readers.js';
import { replaySummary } from './replay/summary.js';

async function main(opts: BenchOptions): Promise<void> {
  const total = Math.round(opts.events);
  const db = await createDatabase('replay', opts.keep);
  const prefix = `bench-${RUN_ID}-replay.`;
  const topic = topicNames(prefix).events;
  const idPrefix = RUN_ID.replace(/[^0-9a-f]/g, '')
    .padEnd(8, '0')
    .slice(0, 8);
  const dataDir = await mkdtemp(join(tmpdir(), 'timeline-bench-replay-'));
  const kafka = benchKafka('timeline-bench-replay');
  let api: ApiProcess | undefined;
  const reads: ReadResult[] = [];
  let fill: Record<string, number> = {};
  let replayEndpoint = false;
  const tRun = performance.now();
  const { atStart: quiet, settle } = await quietMachine('replay', opts.quietWait);
  try {
    say('replay', `database ${db.name}, topic ${topic}; ${total.toLocaleString('en-GB')} events`);
    if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: build first (pnpm build)`);
    const sql = await openSqlClient({ databaseUrl: db.url, dataDir, poolSize: 1 }); // creates the schema
    await sql.close();
    await createTopic(kafka, topic, 3);

    // The store and the topic are written at the same time (different processes do the work).
    const tFill = performance.now();
    const [store, topicMs] = await Promise.all([
      fillStore(db.url, total, idPrefix, topic),
      fillTopic(topic, total, idPrefix),
    ]);
    const storeMs = store.insertMs + store.indexMs + store.vacuumMs;
    fill = {
      ...store,
      storeMs,
      storeEventsPerSecond: perSecond(total, storeMs),
      topicMs,
      topicEventsPerSecond: perSecond(total, topicMs),
      wallMs: Math.round(performance.now() - tFill),
    };
    await skipProjector(topic, `${prefix}timeline-projector`);
    const onTopic = await topicSize(kafka, topic);
    if (onTopic.total !== total)
      throw new Error(`the topic holds ${onTopic.total} messages, expected ${total}`);

    api = await startApi({ databaseUrl: db.url, topicPrefix: prefix });
    replayEndpoint = await replayMounted(api);
    say(
      'replay',
      replayEndpoint
        ? 'GET /api/replay is mounted'
        : 'GET /api/replay is not mounted (404): reading GET /api/events as NDJSON only',
    );

    await settle();
    reads.push(await rawCursor(db.url, total, db.name));
    await settle();
    reads.push(await readNdjson(api, '/api/events?after=0', 'API GET /api/events (NDJSON)', total, db.name));
    if (replayEndpoint) {
      await settle();
      reads.push(
        await readNdjson(
          api,
          '/api/replay?mode=events&after=0',
          'API GET /api/replay?mode=events',
          total,
          db.name,
        ),
      );
    }
    await api.stop();
    api = undefined;
    await settle();
    reads.push(await rawConsumer(topic, total, `${prefix}raw-replay`, db.name));
    await settle();
    reads.push(await decodeReorderConsumer(topic, total, `${prefix}decode-replay`, db.name));
    await settle();
    reads.push(await cliReplay(prefix, total, db.name));
  } finally {
    await api?.stop();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
    await deleteTopicsWithPrefix(kafka, prefix, opts.keep);
  }

  const file = await writeResults('replay', {
    machine: machine(await postgresVersion()),
    machineBusyAtStartPct: quiet?.busyPct ?? null,
    events: total,
    streams: STREAMS,
    replayEndpointMounted: replayEndpoint,
    fill,
    totalMs: Math.round(performance.now() - tRun),
    reads,
  });
  process.stdout.write(replaySummary(total, reads, fill, performance.now() - tRun, file));
}

await main(parseBenchArgs());
