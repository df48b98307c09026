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
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlClient } from '@timeline/api';
import {
  type DomainEventEnvelope,
  decodeKafkaMessage,
  encodeKafkaMessage,
  topicNames,
} from '@timeline/shared-types';
import pg from 'pg';
import { type ApiProcess, startApi } from './lib/api.js';
import { type BenchOptions, parseBenchArgs } from './lib/args.js';
import { CLI_MAIN, KAFKA_BROKERS, RUN_ID } from './lib/env.js';
import { type BenchEvent, benchEvent, eventEnvelope, eventRow, type Placement } from './lib/events.js';
import { benchKafka, createTopic, deleteTopicsWithPrefix, topicSize } from './lib/kafka.js';
import { createDatabase, multiRowInsert, postgresVersion } from './lib/pg.js';
import { machine, Progress, say, table, writeResults } from './lib/report.js';
import {
  waitForQuietMachine,
  CpuMeter,
  type CpuShares,
  cpuSeconds,
  type MemorySample,
  perSecond,
  RssSampler,
  round,
} from './lib/stats.js';

const CHUNK = 1000;
const STREAMS = 1000;
const EPOCH = Date.UTC(2024, 7, 1);
/** The CLI replay counts as stuck after this long without a new line. */
const STALL_MS = 20_000;

interface ReadResult {
  name: string;
  source: 'store' | 'kafka';
  events: number;
  bytes: number;
  ms: number;
  /** From the first event received (leaves out group joins and query start-up). */
  msFromFirst: number;
  eventsPerSecond: number;
  cpu: CpuShares;
  /** RSS of the serving/reading process over the read (API or CLI), when sampled. */
  memory?: MemoryReport;
  note?: string;
}

interface MemoryReport {
  process: 'api' | 'cli';
  idleRssMiB?: number;
  startRssMiB: number;
  midRssMiB: number;
  endRssMiB: number;
  peakRssMiB: number;
  hwmBeforeMiB?: number;
  hwmAfterMiB: number;
  samples: Array<Pick<MemorySample, 't' | 'rssMiB' | 'progress'>>;
}

/** Event at `position`: deterministic, so the store and the topic get byte-identical envelopes. */
function placed(
  position: number,
  idPrefix: string,
): { event: BenchEvent; at: Placement & { eventId: string } } {
  const s = (position - 1) % STREAMS;
  return {
    event: benchEvent(position),
    at: {
      position,
      streamId: `replay-${s}`,
      streamVersion: Math.floor((position - 1) / STREAMS) + 1,
      recordedAt: new Date(EPOCH + Math.floor(position / 10)).toISOString(),
      eventId: `${idPrefix}-0000-4000-8000-${position.toString(16).padStart(12, '0')}`,
    },
  };
}

interface FillTimes {
  /** Multi-row INSERTs of every row (secondary indexes and unique constraints dropped meanwhile). */
  insertMs: number;
  /** Re-creating the indexes and constraints exactly as they were. */
  indexMs: number;
  /** VACUUM ANALYZE, so every reader finds the same visibility map and statistics. */
  vacuumMs: number;
}

/**
 * Writes the log straight into `events` (gapless positions, stream versions, content hashes as the
 * store computes them), then `streams`, `log_head` and the relay checkpoint. The usual bulk-load
 * shortcut: indexes and unique constraints are dropped for the load and re-created from their own
 * definitions afterwards, so the table ends up exactly as the store's migrations made it.
 */
async function fillStore(url: string, total: number, idPrefix: string, topic: string): Promise<FillTimes> {
  const progress = new Progress('fill store');
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    application_name: 'timeline-bench-fill',
    options: '-c synchronous_commit=off -c maintenance_work_mem=256MB',
  });
  try {
    const { rows: constraints } = await pool.query<{ name: string; def: string }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conrelid = 'events'::regclass AND contype IN ('p', 'u')`,
    );
    const { rows: indexes } = await pool.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes
       WHERE schemaname = current_schema() AND tablename = 'events'
         AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'events'::regclass)`,
    );
    for (const index of indexes) await pool.query(`DROP INDEX ${pg.escapeIdentifier(index.name)}`);
    for (const c of constraints)
      await pool.query(`ALTER TABLE events DROP CONSTRAINT ${pg.escapeIdentifier(c.name)}`);

    const t0 = performance.now();
    let next = 1;
    let done = 0;
    const worker = async () => {
      for (;;) {
        const from = next;
        if (from > total) return;
        next += CHUNK;
        const rows = [];
        for (let p = from; p < Math.min(from + CHUNK, total + 1); p++) {
          const { event, at } = placed(p, idPrefix);
          rows.push(eventRow(event, at));
        }
        await pool.query(multiRowInsert('events', rows));
        done += rows.length;
        progress.update(`${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} rows`);
      }
    };
    await Promise.all([worker(), worker()]);
    const insertMs = performance.now() - t0;

    progress.update(`re-creating ${constraints.length} constraints and ${indexes.length} indexes`, true);
    const t1 = performance.now();
    const statements = [
      ...constraints.map((c) => `ALTER TABLE events ADD CONSTRAINT ${pg.escapeIdentifier(c.name)} ${c.def}`),
      ...indexes.map((i) => i.def),
    ];
    // Two at a time (one per core); ALTER TABLE takes a lock that serialises the constraints anyway.
    const queue = [...statements];
    await Promise.all(
      [0, 1].map(async () => {
        for (let sql = queue.shift(); sql; sql = queue.shift()) await pool.query(sql);
      }),
    );
    const indexMs = performance.now() - t1;

    const last = placed(total, idPrefix).at;
    await pool.query(
      `INSERT INTO streams (stream_id, version)
       SELECT 'replay-' || s, (($1::bigint - 1 - s) / $2 + 1)::int FROM generate_series(0, LEAST($2, $1::bigint) - 1) AS s`,
      [total, STREAMS],
    );
    await pool.query('UPDATE log_head SET position = $1, recorded_at = $2', [total, last.recordedAt]);
    // The topic already holds everything (published directly): the relay starts at the head.
    await pool.query('INSERT INTO relay_checkpoints (name, position) VALUES ($1, $2)', [topic, total]);
    progress.update('VACUUM ANALYZE events', true);
    const t2 = performance.now();
    await pool.query('VACUUM (ANALYZE) events');
    const vacuumMs = performance.now() - t2;
    progress.done(
      `${total.toLocaleString('en-GB')} rows in ${round(insertMs / 1000, 1)} s (${perSecond(total, insertMs).toLocaleString('en-GB')} rows/s, multi-row INSERTs of ${CHUNK} on 2 connections) + indexes ${round(indexMs / 1000, 1)} s + VACUUM ANALYZE ${round(vacuumMs / 1000, 1)} s`,
    );
    return { insertMs: Math.round(insertMs), indexMs: Math.round(indexMs), vacuumMs: Math.round(vacuumMs) };
  } finally {
    await pool.end();
  }
}

async function fillTopic(topic: string, total: number, idPrefix: string): Promise<number> {
  const kafka = benchKafka('timeline-bench-replay-fill');
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const progress = new Progress('fill topic');
  const t0 = performance.now();
  try {
    for (let from = 1; from <= total; from += CHUNK) {
      const messages = [];
      for (let p = from; p < Math.min(from + CHUNK, total + 1); p++) {
        const { event, at } = placed(p, idPrefix);
        messages.push(encodeKafkaMessage(eventEnvelope(event, at)));
      }
      await producer.send({ topic, acks: -1, messages });
      progress.update(
        `${Math.min(from + CHUNK - 1, total).toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} messages`,
      );
    }
  } finally {
    await producer.disconnect();
  }
  const ms = performance.now() - t0;
  progress.done(
    `${total.toLocaleString('en-GB')} messages in ${round(ms / 1000, 1)} s (${perSecond(total, ms).toLocaleString('en-GB')}/s)`,
  );
  return Math.round(ms);
}

/** The projector's consumer group starts at the end of the topic: this benchmark is not about projecting. */
async function skipProjector(topic: string, groupId: string): Promise<void> {
  const admin = benchKafka('timeline-bench-replay-admin').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })),
    });
  } finally {
    await admin.disconnect();
  }
}

async function rawCursor(url: string, total: number, database: string): Promise<ReadResult> {
  const client = new pg.Client({ connectionString: url, application_name: 'timeline-bench-cursor' });
  await client.connect();
  const progress = new Progress('raw pg cursor');
  const meter = new CpuMeter(undefined, database);
  let events = 0;
  let last = 0;
  let bytes = 0;
  let first = Number.NaN;
  try {
    meter.start();
    const t0 = performance.now();
    await client.query('BEGIN');
    await client.query(
      `DECLARE replay NO SCROLL CURSOR FOR
       SELECT position, event_id, stream_id, stream_version, type, schema_version, occurred_at, recorded_at, data, metadata
       FROM events ORDER BY position`,
    );
    for (;;) {
      const { rows } = await client.query<{ position: number; data: unknown }>(`FETCH ${CHUNK} FROM replay`);
      if (rows.length === 0) break;
      if (Number.isNaN(first)) first = performance.now();
      events += rows.length;
      last = rows[rows.length - 1]!.position;
      progress.update(`${events.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')}`);
    }
    await client.query('COMMIT');
    const ms = performance.now() - t0;
    const cpu = meter.stop();
    // The wire size of what was read, for MB/s (measured once, after the timing).
    const { rows } = await client.query<{ b: string }>(
      'SELECT sum(pg_column_size(e.*))::text AS b FROM events e',
    );
    bytes = Number(rows[0]?.b ?? 0);
    if (last !== total) say('raw pg cursor', `WARNING: last position ${last}, expected ${total}`);
    const result: ReadResult = {
      name: 'raw pg cursor (FETCH 1000)',
      source: 'store',
      events,
      bytes,
      ms: Math.round(ms),
      msFromFirst: Math.round(t0 + ms - first),
      eventsPerSecond: perSecond(events, ms),
      cpu,
    };
    progress.done(
      `${events.toLocaleString('en-GB')} rows in ${round(ms / 1000, 1)} s (${result.eventsPerSecond.toLocaleString('en-GB')}/s)`,
    );
    return result;
  } finally {
    await client.end();
  }
}

/** Counts NDJSON lines of a streamed GET while sampling the API's memory; checks the last line's position. */
async function readNdjson(
  api: ApiProcess,
  path: string,
  name: string,
  total: number,
  database: string,
): Promise<ReadResult> {
  const progress = new Progress(name);
  let events = 0;
  const idle = RssSampler.read(api.pid);
  const sampler = new RssSampler(api.pid, () => events);
  const meter = new CpuMeter(api.pid, database);
  meter.start();
  sampler.start();
  const t0 = performance.now();
  let first = Number.NaN;
  let bytes = 0;
  let tail = '';
  await new Promise<void>((resolve, reject) => {
    const req = request(`${api.baseUrl}${path}`, { headers: { accept: 'application/x-ndjson' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`${path} answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.on('data', (chunk: Buffer) => {
        if (Number.isNaN(first)) first = performance.now();
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) events += 1;
        tail = (tail + chunk.subarray(Math.max(0, chunk.length - 4096)).toString('utf8')).slice(-8192);
        progress.update(
          `${events.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} lines, ${Math.round(RssSampler.read(api.pid).rssMiB)} MiB RSS`,
        );
      });
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  const ms = performance.now() - t0;
  sampler.stop();
  const cpu = meter.stop();
  const lastLine = tail.trimEnd().split('\n').pop() ?? '{}';
  const lastPosition = (JSON.parse(lastLine) as { position?: number }).position;
  if (events !== total || lastPosition !== total) {
    say(name, `WARNING: ${events} lines, last position ${lastPosition}; expected ${total}`);
  }
  const memory = memoryReport('api', sampler, total, idle);
  const result: ReadResult = {
    name,
    source: 'store',
    events,
    bytes,
    ms: Math.round(ms),
    msFromFirst: Math.round(t0 + ms - first),
    eventsPerSecond: perSecond(events, ms),
    cpu,
    memory,
  };
  progress.done(
    `${events.toLocaleString('en-GB')} lines in ${round(ms / 1000, 1)} s (${result.eventsPerSecond.toLocaleString('en-GB')}/s); API RSS ${memory.startRssMiB} → ${memory.midRssMiB} → ${memory.endRssMiB} MiB, peak ${memory.peakRssMiB} MiB`,
  );
  return result;
}

function memoryReport(
  process: 'api' | 'cli',
  sampler: RssSampler,
  total: number,
  idle?: { rssMiB: number; hwmMiB: number },
): MemoryReport {
  const samples = sampler.samples;
  const last = samples[samples.length - 1];
  // Keep the file small: about 100 samples over the run.
  const step = Math.max(1, Math.ceil(samples.length / 100));
  const firstData = samples.find((s) => s.progress > 0) ?? samples[0];
  return {
    process,
    ...(idle ? { idleRssMiB: idle.rssMiB, hwmBeforeMiB: idle.hwmMiB } : {}),
    startRssMiB: firstData?.rssMiB ?? Number.NaN,
    midRssMiB: sampler.at(0.5, total)?.rssMiB ?? Number.NaN,
    endRssMiB: sampler.at(1, total)?.rssMiB ?? Number.NaN,
    peakRssMiB: sampler.peakRssMiB,
    hwmAfterMiB: last?.hwmMiB ?? Number.NaN,
    samples: samples
      .filter((_, i) => i % step === 0)
      .map(({ t, rssMiB, progress: p }) => ({ t, rssMiB, progress: p })),
  };
}

async function rawConsumer(
  topic: string,
  total: number,
  groupId: string,
  database: string,
): Promise<ReadResult> {
  const kafka = benchKafka('timeline-bench-replay-raw');
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const progress = new Progress('raw kafkajs consumer');
  const meter = new CpuMeter(undefined, database);
  let events = 0;
  let bytes = 0;
  let first = Number.NaN;
  await consumer.connect();
  try {
    meter.start();
    const t0 = performance.now();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (Number.isNaN(first)) first = performance.now();
          events += batch.messages.length;
          for (const m of batch.messages) bytes += m.value?.length ?? 0;
          progress.update(`${events.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')}`);
          if (events >= total) resolve();
        },
      });
    });
    const ms = performance.now() - t0;
    const cpu = meter.stop();
    const result: ReadResult = {
      name: 'raw kafkajs consumer (no decoding)',
      source: 'kafka',
      events,
      bytes,
      ms: Math.round(ms),
      msFromFirst: Math.round(t0 + ms - first),
      eventsPerSecond: perSecond(events, ms),
      cpu,
    };
    progress.done(
      `${events.toLocaleString('en-GB')} messages in ${round(ms / 1000, 1)} s (${result.eventsPerSecond.toLocaleString('en-GB')}/s)`,
    );
    return result;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Kafka replay done the way a consumer of the contract does it: decode and validate every message
 * (`decodeKafkaMessage`: JSON, envelope schema, the event's schema, upcast), then restore the total
 * order across partitions by the gapless position (emit N+1 after N) and serialise each event as a line.
 */
async function decodeReorderConsumer(
  topic: string,
  total: number,
  groupId: string,
  database: string,
): Promise<ReadResult> {
  const kafka = benchKafka('timeline-bench-replay-decode');
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const progress = new Progress('kafkajs decode + reorder');
  const meter = new CpuMeter(undefined, database);
  const waiting = new Map<number, DomainEventEnvelope>();
  let next = 1;
  let events = 0;
  let bytes = 0;
  let maxBuffered = 0;
  let duplicates = 0;
  let first = Number.NaN;
  let peakRss = 0;
  const emit = (event: DomainEventEnvelope) => {
    bytes += Buffer.byteLength(JSON.stringify(event)) + 1;
    events += 1;
  };
  await consumer.connect();
  try {
    meter.start();
    const t0 = performance.now();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (Number.isNaN(first)) first = performance.now();
          for (const message of batch.messages) {
            const event = decodeKafkaMessage({
              key: message.key,
              value: message.value,
              headers: message.headers ?? {},
            });
            if (event.position < next || waiting.has(event.position)) {
              duplicates += 1;
              continue;
            }
            waiting.set(event.position, event);
            for (let ready = waiting.get(next); ready; ready = waiting.get(next)) {
              waiting.delete(next);
              next += 1;
              emit(ready);
            }
          }
          maxBuffered = Math.max(maxBuffered, waiting.size);
          peakRss = Math.max(peakRss, process.memoryUsage.rss());
          progress.update(
            `${events.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} in order, ${waiting.size} buffered`,
          );
          if (events >= total) resolve();
        },
      });
    });
    const ms = performance.now() - t0;
    const cpu = meter.stop();
    const result: ReadResult = {
      name: 'kafkajs consumer + decode + reorder',
      source: 'kafka',
      events,
      bytes,
      ms: Math.round(ms),
      msFromFirst: Math.round(t0 + ms - first),
      eventsPerSecond: perSecond(events, ms),
      cpu,
      note: `at most ${maxBuffered} events waited in the reorder buffer; ${duplicates} duplicates; benchmark process RSS peaked at ${Math.round(peakRss / 2 ** 20)} MiB`,
    };
    progress.done(
      `${events.toLocaleString('en-GB')} events in ${round(ms / 1000, 1)} s (${result.eventsPerSecond.toLocaleString('en-GB')}/s); ${result.note}`,
    );
    return result;
  } finally {
    await consumer.disconnect();
  }
}

/** `timeline replay --source kafka --mode events`: the CLI's own decode + reorder path, as a user runs it. */
async function cliReplay(prefix: string, total: number, database: string): Promise<ReadResult> {
  const progress = new Progress('cli replay --source kafka');
  const child = spawn(
    process.execPath,
    [
      CLI_MAIN,
      'replay',
      '--source',
      'kafka',
      '--mode',
      'events',
      '--brokers',
      KAFKA_BROKERS.join(','),
      '--topic-prefix',
      prefix,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let events = 0;
  let bytes = 0;
  let first = Number.NaN;
  let stderr = '';
  const sampler = new RssSampler(child.pid!, () => events);
  const meter = new CpuMeter(undefined, database);
  meter.start();
  sampler.start();
  const t0 = performance.now();
  child.stdout.on('data', (chunk: Buffer) => {
    if (Number.isNaN(first)) first = performance.now();
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) events += 1;
    progress.update(
      `${events.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} lines, CLI ${Math.round(sampler.samples.at(-1)?.rssMiB ?? 0)} MiB RSS`,
    );
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  // A replay that writes nothing new for STALL_MS is stuck: stop it and report how far it got.
  let stalled = false;
  let seen = -1;
  let lastChange = performance.now();
  // The CLI's own CPU, sampled while it runs (its /proc entry is gone once it exits).
  let cliCpu = { seconds: 0, at: t0 };
  const watchdog = setInterval(() => {
    const seconds = cpuSeconds(child.pid!);
    if (!Number.isNaN(seconds)) cliCpu = { seconds, at: performance.now() };
    if (events !== seen) {
      seen = events;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > STALL_MS) {
      stalled = true;
      child.kill('SIGKILL');
    }
  }, 1_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(watchdog);
  const ms = performance.now() - t0;
  sampler.stop();
  const cpu = { ...meter.stop(), apiPct: round((cliCpu.seconds / ((cliCpu.at - t0) / 1000)) * 100, 0) };
  let note: string | undefined;
  if (stalled) {
    note = `stalled: no new line for ${STALL_MS / 1000} s after ${events} of ${total} lines (the CLI averaged ${cpu.apiPct}% of a core over its run); stopped with SIGKILL`;
    say('cli', `WARNING: ${note}`);
  } else if (code !== 0 || events !== total) {
    note = `exit code ${code}, ${events} lines (expected ${total}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`;
    say('cli', `WARNING: ${note}`);
  }
  const memory = memoryReport('cli', sampler, total);
  const result: ReadResult = {
    name: 'CLI replay --source kafka (decode, validate, reorder)',
    source: 'kafka',
    events,
    bytes,
    ms: Math.round(ms),
    msFromFirst: Math.round(t0 + ms - first),
    eventsPerSecond: perSecond(events, ms),
    cpu,
    memory,
    ...(note ? { note } : {}),
  };
  progress.done(
    `${events.toLocaleString('en-GB')} lines in ${round(ms / 1000, 1)} s (${result.eventsPerSecond.toLocaleString('en-GB')}/s); CLI RSS peak ${memory.peakRssMiB} MiB`,
  );
  return result;
}

async function replayMounted(api: ApiProcess): Promise<boolean> {
  const res = await fetch(`${api.baseUrl}/api/replay?after=0&until=5&mode=events`);
  await res.arrayBuffer();
  return res.status !== 404;
}

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
  const log = (text: string) => say('replay', text);
  const quiet = opts.quietWait > 0 ? await waitForQuietMachine(log, opts.quietWait * 1000) : undefined;
  const settle = async () => {
    if (opts.quietWait > 0) await waitForQuietMachine(log, opts.quietWait * 1000);
  };
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

  const rawOf = (source: 'store' | 'kafka') =>
    reads.find((r) => r.source === source && r.name.startsWith('raw'));
  const rows = reads.map((r) => {
    const stalled = r.note?.startsWith('stalled') ?? false;
    return [
      r.source,
      stalled ? `${r.name}: STALLED` : r.name,
      r.events,
      round(r.ms / 1000, 1),
      stalled ? '–' : r.eventsPerSecond,
      r.name.startsWith('raw') || stalled
        ? '–'
        : `${Math.round((r.eventsPerSecond / (rawOf(r.source)?.eventsPerSecond ?? NaN)) * 100)}%`,
      stalled ? '–' : round(r.bytes / 2 ** 20 / (r.ms / 1000), 1),
      total >= 1_000_000 || stalled ? '–' : round(1_000_000 / r.eventsPerSecond, 0),
      r.memory ? r.memory.peakRssMiB : '–',
    ];
  });
  const memoryRows = reads.flatMap((r) =>
    r.memory
      ? [
          [
            r.name,
            r.memory.idleRssMiB ?? '–',
            r.memory.startRssMiB,
            r.memory.midRssMiB,
            r.memory.endRssMiB,
            r.memory.peakRssMiB,
            r.memory.hwmBeforeMiB ?? '–',
            r.memory.hwmAfterMiB,
          ],
        ]
      : [],
  );
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
  process.stdout.write(
    `\nReplay throughput (${total.toLocaleString('en-GB')} events)\n${table(
      [
        'source',
        'reader',
        'events',
        'seconds',
        'events/s',
        'vs raw',
        'MiB/s',
        's per 1M (extrapolated)',
        'peak RSS MiB',
      ],
      rows,
    )}\n${reads
      .filter((r) => r.note)
      .map((r) => `- ${r.name}: ${r.note}`)
      .join(
        '\n',
      )}\n\nMemory of the serving/reading process while it streams (MiB; VmRSS sampled every 100 ms, VmHWM = lifetime peak)\n${table(
      ['reader', 'idle', 'start', 'mid', 'end', 'peak', 'HWM before', 'HWM after'],
      memoryRows,
    )}\n\nfill (store and topic at the same time, ${round((fill.wallMs ?? 0) / 1000, 0)} s): store ${round((fill.storeMs ?? 0) / 1000, 1)} s = inserts ${round((fill.insertMs ?? 0) / 1000, 1)} s + indexes ${round((fill.indexMs ?? 0) / 1000, 1)} s + vacuum ${round((fill.vacuumMs ?? 0) / 1000, 1)} s (${fill.storeEventsPerSecond?.toLocaleString('en-GB')} events/s overall); topic ${round((fill.topicMs ?? 0) / 1000, 1)} s (${fill.topicEventsPerSecond?.toLocaleString('en-GB')}/s); whole run ${round((performance.now() - tRun) / 1000, 0)} s\nresults: ${file}\n`,
  );
}

await main(parseBenchArgs());
