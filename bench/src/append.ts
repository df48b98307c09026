/**
 * Append throughput: events/s through `POST /api/streams/:id/events` (batches of 1 and 100, 1/4/16
 * concurrent clients) beside raw `pg` multi-row INSERTs of the same rows into a plain copy of the
 * `events` table (same columns, same indexes) in the same database, in the same run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type ApiProcess, startApi, waitForPipeline } from './lib/api.js';
import { type BenchOptions, parseBenchArgs } from './lib/args.js';
import { RUN_ID } from './lib/env.js';
import { benchEvent, eventRow } from './lib/events.js';
import { keepAliveAgent, postJson } from './lib/http.js';
import { createDatabase, multiRowInsert, postgresVersion } from './lib/pg.js';
import { quietMachine } from './lib/quiet.js';
import { machine, Progress, say, table, writeResults } from './lib/report.js';
import { CpuMeter, type CpuShares, distribution, perSecond, round } from './lib/stats.js';

const BATCHES = [1, 100] as const;
const CLIENTS = [1, 4, 16] as const;
const WARMUP_MS = 1_000;
const STREAMS_PER_CLIENT = 10;

interface CellResult {
  target: 'api-postgres' | 'api-pglite' | 'raw-pg';
  batch: number;
  clients: number;
  events: number;
  requests: number;
  errors: number;
  seconds: number;
  eventsPerSecond: number;
  latencyMs: ReturnType<typeof distribution>;
  /** CPU while measuring, % of one core each (API, load generator, PostgreSQL backends, Kafka, others). */
  cpu: CpuShares;
  /** After an API cell: how long the relay and projector needed to catch up with the appends. */
  pipelineDrainMs: number | null;
}

type Send = (client: number, request: number, batch: number) => Promise<number>;

/** One measurement of the grid: a batch size and a number of concurrent clients. */
interface Cell {
  batch: number;
  clients: number;
  tag: string;
}

function* grid(): Generator<Cell> {
  for (const batch of BATCHES) {
    for (const clients of CLIENTS) yield { batch, clients, tag: `b${batch}-c${clients}` };
  }
}

/** Runs `clients` loops of back-to-back requests for warm-up + `seconds`; counts what completes after the warm-up. */
async function runCell(
  label: string,
  { batch, clients }: Cell,
  seconds: number,
  send: Send,
  cpuPid: number | undefined,
  database: string,
): Promise<Omit<CellResult, 'target' | 'pipelineDrainMs'>> {
  const progress = new Progress(label);
  const start = performance.now();
  const measureFrom = start + WARMUP_MS;
  const end = measureFrom + seconds * 1000;
  let events = 0;
  let requests = 0;
  let errors = 0;
  const latencies: number[] = [];
  const meter = new CpuMeter(cpuPid, database);
  let metered = false;
  const loop = async (client: number) => {
    for (let n = 0; ; n++) {
      const now = performance.now();
      if (now >= end) return;
      if (!metered && now >= measureFrom) {
        metered = true;
        meter.start();
      }
      const t0 = performance.now();
      const ok = await send(client, n, batch).catch((error: unknown) => {
        if (errors === 0) say(label, `request failed: ${String(error)}`);
        return 0;
      });
      const t1 = performance.now();
      if (t1 < measureFrom || t1 > end) continue;
      if (ok === 0) errors += 1;
      events += ok;
      requests += 1;
      latencies.push(t1 - t0);
      progress.update(
        `${events.toLocaleString('en-GB')} events, ${Math.round((t1 - measureFrom) / 1000)}/${seconds} s`,
      );
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => loop(c)));
  const cpu = meter.stop();
  const ms = seconds * 1000;
  const result = {
    batch,
    clients,
    events,
    requests,
    errors,
    seconds,
    eventsPerSecond: perSecond(events, ms),
    latencyMs: distribution(latencies),
    cpu,
  };
  progress.done(
    `${result.eventsPerSecond.toLocaleString('en-GB')} events/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms${errors ? `, ${errors} errors` : ''}`,
  );
  return result;
}

/** A client of the HTTP API: each request appends `batch` events to one of the client's streams. */
function apiSender(api: ApiProcess, clients: number, tag: string): Send {
  const agent = keepAliveAgent(clients);
  let n = 0;
  return async (client, request, batch) => {
    const streamId = `bench-${tag}-c${client}-s${request % STREAMS_PER_CLIENT}`;
    const events = Array.from({ length: batch }, () => benchEvent(n++));
    const url = new URL(`/api/streams/${streamId}/events`, api.baseUrl);
    const res = await postJson(agent, url, api.token, JSON.stringify({ events }));
    if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    return batch;
  };
}

/** The same rows straight into `raw_events` with one multi-row INSERT per request (no lock, no checks). */
function rawSender(pool: pg.Pool, tag: string, positions: { next: number }): Send {
  const versions = new Map<string, number>();
  let n = 0;
  return async (client, request, batch) => {
    const streamId = `bench-${tag}-c${client}-s${request % STREAMS_PER_CLIENT}`;
    const recordedAt = new Date().toISOString();
    const rows = Array.from({ length: batch }, () => {
      const version = (versions.get(streamId) ?? 0) + 1;
      versions.set(streamId, version);
      positions.next += 1;
      return eventRow(benchEvent(n++), {
        position: positions.next,
        streamId,
        streamVersion: version,
        recordedAt,
      });
    });
    await pool.query(multiRowInsert('raw_events', rows));
    return batch;
  };
}

/** A cell of appends through the API, then the wait for the relay and projector to catch up with them. */
async function apiCell(
  target: 'api-postgres' | 'api-pglite',
  api: ApiProcess,
  cell: Cell,
  seconds: number,
  database: string,
): Promise<CellResult> {
  const label = `${target === 'api-pglite' ? 'pglite' : 'api'} ${cell.tag}`;
  const result = await runCell(
    label,
    cell,
    seconds,
    apiSender(api, cell.clients, cell.tag),
    api.pid,
    database,
  );
  const drain = await waitForPipeline(api.baseUrl);
  return { target, ...result, pipelineDrainMs: drain };
}

async function main(opts: BenchOptions): Promise<void> {
  const db = await createDatabase('append', opts.keep);
  const prefix = `bench-${RUN_ID}-append.`;
  let api: ApiProcess | undefined;
  let pool: pg.Pool | undefined;
  const cells: CellResult[] = [];
  const { atStart: quiet, settle } = await quietMachine('append', opts.quietWait);
  try {
    say(
      'append',
      `database ${db.name}, topic prefix ${prefix}; ${opts.duration} s per cell after ${WARMUP_MS} ms warm-up`,
    );
    api = await startApi({ databaseUrl: db.url, topicPrefix: prefix });
    pool = new pg.Pool({
      connectionString: db.url,
      max: Math.max(...CLIENTS),
      application_name: 'timeline-bench',
    });
    // A plain copy of the store's table: same columns, types, primary key, unique constraints and indexes.
    await pool.query('CREATE TABLE raw_events (LIKE events INCLUDING ALL)');
    const rawPositions = { next: 0 };

    for (const cell of grid()) {
      await settle();
      cells.push(await apiCell('api-postgres', api, cell, opts.duration, db.name));
      await settle();
      const raw = rawSender(pool, cell.tag, rawPositions);
      const rawCell = await runCell(`raw ${cell.tag}`, cell, opts.duration, raw, undefined, db.name);
      cells.push({ target: 'raw-pg', ...rawCell, pipelineDrainMs: null });
    }
    const { rows } = await pool.query<{ n: number; bytes: string }>(
      "SELECT count(*)::int AS n, pg_size_pretty(pg_total_relation_size('events')) AS bytes FROM events",
    );
    say('append', `store holds ${rows[0]?.n} events (${rows[0]?.bytes} with indexes)`);
  } finally {
    await api?.stop();
    await pool?.end();
    await db.drop();
  }

  if (opts.pglite) {
    const dataDir = await mkdtemp(join(tmpdir(), 'timeline-bench-pglite-'));
    const pgPrefix = `bench-${RUN_ID}-append-pglite.`;
    let lite: ApiProcess | undefined;
    try {
      lite = await startApi({ dataDir, topicPrefix: pgPrefix });
      for (const cell of grid()) cells.push(await apiCell('api-pglite', lite, cell, opts.duration, 'pglite'));
    } finally {
      await lite?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const { benchKafka, deleteTopicsWithPrefix } = await import('./lib/kafka.js');
  await deleteTopicsWithPrefix(benchKafka('timeline-bench-cleanup'), `bench-${RUN_ID}-append`, opts.keep);

  const rawOf = (c: CellResult) =>
    cells.find((r) => r.target === 'raw-pg' && r.batch === c.batch && r.clients === c.clients);
  const rows = cells.map((c) => [
    c.target,
    c.batch,
    c.clients,
    c.eventsPerSecond,
    c.target === 'raw-pg'
      ? '–'
      : `${Math.round((c.eventsPerSecond / (rawOf(c)?.eventsPerSecond ?? NaN)) * 100)}%`,
    c.latencyMs.p50,
    c.latencyMs.p99,
    Number.isNaN(c.cpu.apiPct) ? '–' : c.cpu.apiPct,
    c.cpu.postgresPct,
    c.cpu.clientPct,
    c.cpu.kafkaPct,
    c.cpu.otherPct,
    c.pipelineDrainMs === null ? '–' : round(c.pipelineDrainMs / 1000, 1),
    c.errors,
  ]);
  const headers = [
    'target',
    'batch',
    'clients',
    'events/s',
    'vs raw',
    'p50 ms',
    'p99 ms',
    'CPU% API',
    'CPU% pg',
    'CPU% client',
    'CPU% kafka',
    'CPU% other',
    'drain s',
    'errors',
  ];
  const pgVersion = await postgresVersion();
  const file = await writeResults('append', {
    machine: machine(pgVersion),
    machineBusyAtStartPct: quiet?.busyPct ?? null,
    settings: { secondsPerCell: opts.duration, warmupMs: WARMUP_MS, batches: BATCHES, clients: CLIENTS },
    cells,
  });
  process.stdout.write(
    `\nAppend throughput (${opts.duration} s per cell)\n${table(headers, rows)}\n\nresults: ${file}\n`,
  );
}

await main(parseBenchArgs());
