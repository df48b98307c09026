/**
 * Where a single-event append's time goes. Not a benchmark of its own: a diagnosis behind the append
 * figures. Sends the same 1,000 sequential single-event appends to two API processes, one with Kafka
 * (relay, projector and live feed running, as in production) and one whose broker address is
 * unreachable (the store is the outbox, so appends still succeed; the streaming side idles), and
 * reports per append: the API's CPU time, the PostgreSQL transactions committed in the database and the
 * rows each table had read (from pg_stat_user_tables / pg_stat_database).
 */
import pg from 'pg';
import { type ApiProcess, startApi, waitForPipeline } from './lib/api.js';
import { type BenchOptions, parseBenchArgs } from './lib/args.js';
import { RUN_ID } from './lib/env.js';
import { benchEvent } from './lib/events.js';
import { keepAliveAgent, postJson } from './lib/http.js';
import { benchKafka, deleteTopicsWithPrefix } from './lib/kafka.js';
import { createDatabase, postgresVersion } from './lib/pg.js';
import { quietMachine } from './lib/quiet.js';
import { machine, Progress, table, writeResults } from './lib/report.js';
import { cpuSeconds, round } from './lib/stats.js';

const APPENDS = 1000;
const WARMUP = 100;
/** PostgreSQL 15 backends flush their statistics at most every second, idle ones within 10 s. */
const STATS_FLUSH_MS = 11_000;

interface TableStats {
  rowsRead: number;
  scans: number;
  inserted: number;
  updated: number;
}

async function snapshot(client: pg.Client): Promise<{ xacts: number; tables: Map<string, TableStats> }> {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query<{
    relname: string;
    read: string;
    scans: string;
    ins: string;
    upd: string;
  }>(
    `SELECT relname, (seq_tup_read + coalesce(idx_tup_fetch, 0))::text AS read,
            (seq_scan + coalesce(idx_scan, 0))::text AS scans, n_tup_ins::text AS ins, n_tup_upd::text AS upd
     FROM pg_stat_user_tables`,
  );
  const { rows: db } = await client.query<{ x: string }>(
    'SELECT xact_commit::text AS x FROM pg_stat_database WHERE datname = current_database()',
  );
  return {
    xacts: Number(db[0]?.x ?? 0),
    tables: new Map(
      rows.map((r) => [
        r.relname,
        { rowsRead: Number(r.read), scans: Number(r.scans), inserted: Number(r.ins), updated: Number(r.upd) },
      ]),
    ),
  };
}

interface Diagnosis {
  setup: string;
  appendsPerSecond: number;
  latencyP50Ms: number;
  apiCpuMsPerAppend: number;
  transactionsPerAppend: number;
  perAppend: Record<string, { rowsRead: number; scans: number; inserted: number; updated: number }>;
}

async function diagnose(setup: string, api: ApiProcess, url: string, streaming: boolean): Promise<Diagnosis> {
  const progress = new Progress(`diagnose ${setup}`);
  const agent = keepAliveAgent(1);
  const append = async (n: number) => {
    const body = JSON.stringify({ events: [benchEvent(n)] });
    const res = await postJson(
      agent,
      new URL(`/api/streams/diagnose-${n % 10}/events`, api.baseUrl),
      api.token,
      body,
    );
    if (res.status !== 201) throw new Error(`append answered ${res.status}: ${res.body.slice(0, 200)}`);
  };
  for (let n = 0; n < WARMUP; n++) await append(n);
  if (streaming) await waitForPipeline(api.baseUrl);
  await new Promise((r) => setTimeout(r, STATS_FLUSH_MS));
  const client = new pg.Client({ connectionString: url, application_name: 'timeline-bench-diagnose' });
  await client.connect();
  try {
    const before = await snapshot(client);
    const cpu0 = cpuSeconds(api.pid);
    const latencies: number[] = [];
    const t0 = performance.now();
    for (let n = WARMUP; n < WARMUP + APPENDS; n++) {
      const s = performance.now();
      await append(n);
      latencies.push(performance.now() - s);
      progress.update(`${n - WARMUP + 1}/${APPENDS} appends`);
    }
    const wall = performance.now() - t0;
    if (streaming) await waitForPipeline(api.baseUrl);
    const cpu = cpuSeconds(api.pid) - cpu0;
    progress.update('waiting for PostgreSQL to flush its statistics', true);
    await new Promise((r) => setTimeout(r, STATS_FLUSH_MS));
    const after = await snapshot(client);
    const perAppend: Diagnosis['perAppend'] = {};
    for (const [name, a] of after.tables) {
      const b = before.tables.get(name);
      if (!b) continue;
      const d = {
        rowsRead: round((a.rowsRead - b.rowsRead) / APPENDS, 1),
        scans: round((a.scans - b.scans) / APPENDS, 1),
        inserted: round((a.inserted - b.inserted) / APPENDS, 1),
        updated: round((a.updated - b.updated) / APPENDS, 1),
      };
      if (d.rowsRead || d.scans || d.inserted || d.updated) perAppend[name] = d;
    }
    latencies.sort((x, y) => x - y);
    const result: Diagnosis = {
      setup,
      appendsPerSecond: Math.round((APPENDS / wall) * 1000),
      latencyP50Ms: round(latencies[Math.floor(APPENDS / 2)]!, 1),
      apiCpuMsPerAppend: round((cpu * 1000) / APPENDS, 2),
      transactionsPerAppend: round((after.xacts - before.xacts) / APPENDS, 1),
      perAppend,
    };
    progress.done(
      `${result.appendsPerSecond} appends/s, ${result.apiCpuMsPerAppend} ms API CPU and ${result.transactionsPerAppend} transactions per append`,
    );
    return result;
  } finally {
    await client.end();
    agent.destroy();
  }
}

async function main(opts: BenchOptions): Promise<void> {
  await quietMachine('diagnose', opts.quietWait);
  const prefix = `bench-${RUN_ID}-diagnose.`;
  const results: Diagnosis[] = [];
  for (const streaming of [true, false]) {
    const db = await createDatabase(streaming ? 'diag_on' : 'diag_off', opts.keep);
    let api: ApiProcess | undefined;
    try {
      api = streaming
        ? await startApi({ databaseUrl: db.url, topicPrefix: prefix })
        : // Its broker cannot be reached: never "ready", so wait for liveness instead.
          await startApi({
            databaseUrl: db.url,
            topicPrefix: `${prefix}off.`,
            env: { KAFKA_BROKERS: '127.0.0.1:1', LOG_LEVEL: 'error' },
            waitFor: 'live',
          });
      results.push(
        await diagnose(streaming ? 'with Kafka (as deployed)' : 'Kafka unreachable', api, db.url, streaming),
      );
    } finally {
      await api?.stop();
      await db.drop();
    }
  }
  await deleteTopicsWithPrefix(benchKafka('timeline-bench-cleanup'), `bench-${RUN_ID}-diagnose`, opts.keep);

  const tables = [...new Set(results.flatMap((r) => Object.keys(r.perAppend)))].sort();
  const file = await writeResults('diagnose', {
    machine: machine(await postgresVersion()),
    appends: APPENDS,
    results,
  });
  process.stdout.write(
    `\nOne single-event append, sequential, ${APPENDS} times (per append)\n${table(
      ['setup', 'appends/s', 'p50 ms', 'API CPU ms', 'pg transactions'],
      results.map((r) => [
        r.setup,
        r.appendsPerSecond,
        r.latencyP50Ms,
        r.apiCpuMsPerAppend,
        r.transactionsPerAppend,
      ]),
    )}\n\nRows read per append, by table (seq_tup_read + idx_tup_fetch; scans in brackets)\n${table(
      ['table', ...results.map((r) => r.setup)],
      tables.map((t) => [
        t,
        ...results.map((r) => {
          const d = r.perAppend[t];
          return d ? `${d.rowsRead} (${d.scans})` : '–';
        }),
      ]),
    )}\n\nresults: ${file}\n`,
  );
}

await main(parseBenchArgs());
