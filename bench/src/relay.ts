/**
 * Relay throughput: events/s from committed in the store to published in Kafka. The store is filled
 * first with the API stopped (the store's own append, batches of 1000), then the API starts and we time
 * until `relay_checkpoints.position` reaches the head. Beside it, in the same run: a raw kafkajs
 * producer sending the very same messages (keys, values, headers from `encodeKafkaMessage`) in batches
 * of the relay's size, idempotent, acks all, to a fresh topic.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, type EventStore, type EventToAppend } from '@timeline/api';
import { type EncodedKafkaMessage, encodeKafkaMessage, topicNames } from '@timeline/shared-types';
import pg from 'pg';
import { type ApiProcess, startApi } from './lib/api.js';
import { type BenchOptions, parseBenchArgs } from './lib/args.js';
import { KAFKA_BROKERS, RUN_ID } from './lib/env.js';
import { benchEvent } from './lib/events.js';
import { benchKafka, createTopic, deleteTopicsWithPrefix, topicSize } from './lib/kafka.js';
import { createDatabase, postgresVersion } from './lib/pg.js';
import { quietMachine } from './lib/quiet.js';
import { machine, Progress, say, table, writeResults } from './lib/report.js';
import { CpuMeter, type CpuShares, perSecond, round } from './lib/stats.js';

/** The relay's page size (`OutboxRelay` default, not configurable from the environment). */
const RELAY_BATCH = 500;
const APPEND_BATCH = 1000;
const STREAMS = 100;

async function fillStore(store: EventStore, total: number): Promise<{ ms: number; eventsPerSecond: number }> {
  const progress = new Progress('fill');
  const t0 = performance.now();
  for (let done = 0, b = 0; done < total; b++) {
    const size = Math.min(APPEND_BATCH, total - done);
    const events: EventToAppend[] = Array.from({ length: size }, (_, i) => ({
      ...benchEvent(done + i),
      eventId: randomUUID(),
    }));
    await store.append(`relay-${b % STREAMS}`, 'any', events);
    done += size;
    progress.update(`${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} events appended`);
  }
  const ms = performance.now() - t0;
  const eventsPerSecond = perSecond(total, ms);
  progress.done(
    `${total.toLocaleString('en-GB')} events in ${round(ms / 1000, 1)} s (${eventsPerSecond.toLocaleString('en-GB')} events/s through the store's append, batches of ${APPEND_BATCH})`,
  );
  return { ms: Math.round(ms), eventsPerSecond };
}

async function rawProducer(
  messages: EncodedKafkaMessage[],
  topic: string,
  database: string,
): Promise<{ ms: number; eventsPerSecond: number; cpu: CpuShares }> {
  const kafka = benchKafka('timeline-bench-relay-raw');
  await createTopic(kafka, topic, 3);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const progress = new Progress('raw producer');
  const meter = new CpuMeter(undefined, database);
  try {
    meter.start();
    const t0 = performance.now();
    for (let i = 0; i < messages.length; i += RELAY_BATCH) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + RELAY_BATCH) });
      progress.update(`${Math.min(i + RELAY_BATCH, messages.length).toLocaleString('en-GB')} sent`);
    }
    const ms = performance.now() - t0;
    const cpu = meter.stop();
    const eventsPerSecond = perSecond(messages.length, ms);
    progress.done(
      `${messages.length.toLocaleString('en-GB')} messages in ${round(ms / 1000, 1)} s (${eventsPerSecond.toLocaleString('en-GB')}/s)`,
    );
    return { ms: Math.round(ms), eventsPerSecond, cpu };
  } finally {
    await producer.disconnect();
  }
}

/**
 * The projector's watermark (the highest position below which nothing is missing). The first version
 * searched `projected_events` for its first hole (an anti-join) after every batch; the projector now
 * keeps it in a one-row table in the projecting transaction. Both are timed here (median of 3) over the
 * full table, and must agree.
 */
async function timeWatermarkQuery(client: pg.Client): Promise<{ scanMs: number; rowMs: number }> {
  const median = async (sql: string) => {
    const times: number[] = [];
    let value = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const { rows } = await client.query<{ watermark: string }>(sql);
      times.push(performance.now() - t0);
      value = Number(rows[0]?.watermark ?? 0);
    }
    return { ms: round(times.sort((a, b) => a - b)[1]!, 2), value };
  };
  const scan = await median(
    `SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM projected_events WHERE position = 1) THEN 0
            ELSE (SELECT MIN(p.position) FROM projected_events p
                  WHERE NOT EXISTS (SELECT 1 FROM projected_events q WHERE q.position = p.position + 1))
            END AS watermark`,
  );
  const row = await median('SELECT position AS watermark FROM projected_watermark');
  if (scan.value !== row.value)
    throw new Error(
      `the kept watermark ${row.value} disagrees with a scan of projected_events (${scan.value})`,
    );
  return { scanMs: scan.ms, rowMs: row.ms };
}

async function main(opts: BenchOptions): Promise<void> {
  const total = Math.round(opts.relayEvents);
  const db = await createDatabase('relay', opts.keep);
  const prefix = `bench-${RUN_ID}-relay.`;
  const topic = topicNames(prefix).events;
  const dataDir = await mkdtemp(join(tmpdir(), 'timeline-bench-relay-'));
  let api: ApiProcess | undefined;
  const watch = new pg.Client({ connectionString: db.url, application_name: 'timeline-bench-watch' });
  let result: Record<string, unknown>;
  let rows: Array<Array<string | number>>;
  const { atStart: quiet, settle } = await quietMachine('relay', opts.quietWait);
  try {
    say(
      'relay',
      `database ${db.name}, topic ${topic}; ${total.toLocaleString('en-GB')} events; ${KAFKA_BROKERS.length} broker(s): ${KAFKA_BROKERS.join(',')}`,
    );
    // 1. Fill the store with the API stopped, through the store's append (the same code the API runs).
    const store = await createEventStore({ databaseUrl: db.url, dataDir, poolSize: 2 });
    let fill: Awaited<ReturnType<typeof fillStore>>;
    const messages: EncodedKafkaMessage[] = [];
    try {
      fill = await fillStore(store, total);
      // The messages the relay will publish, encoded the way it encodes them.
      for await (const event of store.readLog({ after: 0 }, 5_000)) messages.push(encodeKafkaMessage(event));
    } finally {
      await store.close();
    }
    const bytes = messages.reduce((sum, m) => sum + Buffer.byteLength(m.value), 0);

    await settle();
    // 2. The baseline: the same messages, batches of the relay's size, a producer configured like the relay's.
    const raw = await rawProducer(messages, `${prefix}raw-relay.events`, db.name);
    messages.length = 0;

    // 3. The relay: start the API and watch its checkpoint climb to the head.
    await settle();
    await watch.connect();
    const samples: Array<{ t: number; published: number; projected: number }> = [];
    let apiPid: number | undefined;
    let meter: CpuMeter | undefined;
    const progress = new Progress('relay');
    const tSpawn = performance.now();
    let tReady = Number.NaN;
    let tFirst = Number.NaN;
    let firstPosition = 0;
    let tPublished = Number.NaN;
    let tProjected = Number.NaN;
    let relayCpu: CpuShares | undefined;
    let polling = true;
    const poll = (async () => {
      let lastProjectedPoll = 0;
      let projected = 0;
      while (polling) {
        const now = performance.now();
        const { rows: cp } = await watch.query<{ position: number }>(
          'SELECT position FROM relay_checkpoints WHERE name = $1',
          [topic],
        );
        const published = cp[0]?.position ?? 0;
        // The projector's progress is read less often: it is a bonus figure, and reading must not slow it.
        if (now - lastProjectedPoll > 500 || published >= total) {
          lastProjectedPoll = now;
          const { rows: pr } = await watch.query<{ p: number | null }>(
            'SELECT max(position) AS p FROM projected_events',
          );
          projected = pr[0]?.p ?? 0;
        }
        samples.push({ t: Math.round(now - tSpawn), published, projected });
        if (published > 0 && Number.isNaN(tFirst)) {
          tFirst = now;
          firstPosition = published;
          meter = new CpuMeter(apiPid, db.name);
          meter.start();
        }
        if (published >= total && Number.isNaN(tPublished)) {
          tPublished = now;
          relayCpu = meter?.stop();
        }
        if (projected >= total && Number.isNaN(tProjected)) tProjected = now;
        if (!Number.isNaN(tPublished) && !Number.isNaN(tProjected)) return;
        if (now - tSpawn > 15 * 60_000) {
          say('relay', 'gave up after 15 minutes');
          return;
        }
        progress.update(
          `published ${published.toLocaleString('en-GB')}, projected ${projected.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')}`,
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    api = await startApi({
      databaseUrl: db.url,
      topicPrefix: prefix,
      onSpawn: (pid) => {
        apiPid = pid;
      },
    });
    tReady = performance.now();
    await poll;
    polling = false;
    const onTopic = await topicSize(benchKafka('timeline-bench-relay-check'), topic);
    const watermarkMs = await timeWatermarkQuery(watch);
    say(
      'relay',
      `the projector's watermark over ${total.toLocaleString('en-GB')} projected rows: kept row ${watermarkMs.rowMs} ms, the old scan for the first hole ${watermarkMs.scanMs} ms`,
    );
    const steadyMs = tPublished - tFirst;
    const relayRate = perSecond(total - firstPosition, steadyMs);
    const projectorRate = perSecond(total, tProjected - tSpawn);
    progress.done(
      `relay published ${total.toLocaleString('en-GB')} events: ${relayRate.toLocaleString('en-GB')} events/s after its first batch; the topic holds ${onTopic.total.toLocaleString('en-GB')} messages`,
    );
    if (onTopic.total < total)
      say('relay', `WARNING: the topic holds fewer messages (${onTopic.total}) than the store (${total})`);

    result = {
      brokers: KAFKA_BROKERS,
      events: total,
      streams: STREAMS,
      meanValueBytes: Math.round(bytes / total),
      relayBatch: RELAY_BATCH,
      fill: { via: `store.append, batches of ${APPEND_BATCH}`, ...fill },
      raw: { eventsPerSecond: raw.eventsPerSecond, ms: raw.ms, cpu: raw.cpu },
      relay: {
        eventsPerSecond: relayRate,
        msFirstCheckpointToHead: Math.round(steadyMs),
        msSpawnToHead: Math.round(tPublished - tSpawn),
        msSpawnToReady: Math.round(tReady - tSpawn),
        msSpawnToFirstCheckpoint: Math.round(tFirst - tSpawn),
        firstCheckpoint: firstPosition,
        cpu: relayCpu,
        apiPid,
        messagesOnTopic: onTopic.total,
      },
      projector: {
        msSpawnToProjected: Number.isNaN(tProjected) ? null : Math.round(tProjected - tSpawn),
        eventsPerSecond: Number.isNaN(tProjected) ? null : projectorRate,
        /** Reading the kept watermark row, and the old gap-finding scan, timed on the full table afterwards. */
        watermarkRowMs: watermarkMs.rowMs,
        watermarkScanMs: watermarkMs.scanMs,
      },
      samples: samples.filter((_, i) => i % 20 === 0),
    };
    rows = [
      [
        'raw kafkajs producer',
        raw.eventsPerSecond,
        '–',
        round(raw.ms / 1000, 1),
        '–',
        '–',
        raw.cpu.kafkaPct,
        raw.cpu.otherPct,
      ],
      [
        'relay (store → Kafka)',
        relayRate,
        `${Math.round((relayRate / raw.eventsPerSecond) * 100)}%`,
        round(steadyMs / 1000, 1),
        relayCpu?.apiPct ?? '–',
        relayCpu?.postgresPct ?? '–',
        relayCpu?.kafkaPct ?? '–',
        relayCpu?.otherPct ?? '–',
      ],
      [
        'projector (Kafka → read model)',
        projectorRate,
        '–',
        round((tProjected - tSpawn) / 1000, 1),
        '–',
        '–',
        '–',
        '–',
      ],
      [
        'fill: store.append ×1000 (no API)',
        fill.eventsPerSecond,
        '–',
        round(fill.ms / 1000, 1),
        '–',
        '–',
        '–',
        '–',
      ],
    ];
  } finally {
    await api?.stop();
    await watch.end().catch(() => undefined);
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
    await deleteTopicsWithPrefix(benchKafka('timeline-bench-cleanup'), prefix, opts.keep);
  }
  const file = await writeResults('relay', {
    machine: machine(await postgresVersion()),
    machineBusyAtStartPct: quiet?.busyPct ?? null,
    ...result,
  });
  process.stdout.write(
    `\nRelay throughput (${total.toLocaleString('en-GB')} events, batches of ${RELAY_BATCH}; projector measured from API spawn)\n${table(
      ['path', 'events/s', 'vs raw', 'seconds', 'CPU% API', 'CPU% pg', 'CPU% kafka', 'CPU% other'],
      rows,
    )}\n\nresults: ${file}\n`,
  );
}

await main(parseBenchArgs());
