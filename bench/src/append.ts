/**
 * Append throughput, in one run, cell by cell (batches of 1 and 100, 1/4/16 concurrent clients, each
 * client on streams of its own, ~1 KB events):
 * - `api`: `POST /api/streams/:id/events` on the API process (HTTP, every role running);
 * - `api-split` (only when asked for): the same on a `TIMELINE_ROLES=api` process, with the relay,
 *   projector and live feed in other processes (`--split-roles`), on a database and topics of its own;
 * - `store`: Timeline's `SqlEventStore.append` in this process (library level, no HTTP): the API's own store;
 * - `emmett`: Emmett's PostgreSQL event store, `appendToStream` (the TypeScript peer, library level);
 * - `raw`: plain multi-row INSERTs of the same rows into a copy of the `events` table (no lock, no checks).
 * The API has a database of its own (its relay and projector must not see the library-level appends);
 * the library-level targets share another.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type ApiProcess, pipelinePositions, startApi, waitForPipeline } from './lib/api.js';
import {
  CLIENTS,
  type Cell,
  type CellResult,
  grid,
  runCell,
  type Send,
  type Target,
  WARMUP_MS,
  BATCHES,
} from './lib/append-cells.js';
import {
  apiSender,
  emmettSender,
  openEmmett,
  openTimelineStore,
  rawSender,
  storeSender,
} from './lib/append-senders.js';
import { type BenchOptions, parseBenchArgs } from './lib/args.js';
import { RUN_ID } from './lib/env.js';
import { createDatabase, postgresVersion } from './lib/pg.js';
import { quietMachine } from './lib/quiet.js';
import { machine, say, table, writeResults } from './lib/report.js';
import { cpuSeconds, round } from './lib/stats.js';

/** The API's process and, with the roles apart (`api-split`), the processes running the other roles. */
interface Service {
  api: ApiProcess;
  workers: ApiProcess[];
}

/** Starts the service on its own database and topic prefix: one process of every role, or the roles apart. */
async function startService(
  databaseUrl: string,
  topicPrefix: string,
  split: readonly string[] | undefined,
  nodeArgs: string[] | undefined,
): Promise<Service> {
  const common = { databaseUrl, topicPrefix, ...(nodeArgs ? { nodeArgs } : {}) };
  if (!split) return { api: await startApi(common), workers: [] };
  // The role processes first: the relay, projector and live feed are running when appends start.
  const workers: ApiProcess[] = [];
  try {
    for (const roles of split) workers.push(await startApi({ ...common, env: { TIMELINE_ROLES: roles } }));
    return { api: await startApi({ ...common, env: { TIMELINE_ROLES: 'api' } }), workers };
  } catch (error) {
    for (const worker of workers) await worker.stop();
    throw error;
  }
}

async function stopService(service: Service | undefined): Promise<void> {
  if (!service) return;
  await service.api.stop();
  for (const worker of service.workers) await worker.stop();
}

/**
 * A cell of appends through the API, then the wait for the relay and projector to catch up with them.
 * The CPU of every service process from the cell's start to the end of the drain, per event appended
 * meanwhile, is `serviceCpuMsPerEvent`.
 */
async function apiCell(
  target: 'api-postgres' | 'api-split' | 'api-pglite',
  { api, workers }: Service,
  cell: Cell,
  seconds: number,
  database: string,
): Promise<CellResult> {
  const label = `${target === 'api-pglite' ? 'pglite' : target === 'api-split' ? 'split' : 'api'} ${cell.tag}`;
  const workerPids = workers.map((w) => w.pid);
  const urls = [api.baseUrl, ...workers.map((w) => w.baseUrl)];
  // CPU of every service process from the first request to the end of the drain, over every event
  // appended meanwhile (the warm-up's too): what each event cost, wherever its roles ran.
  const pids = [api.pid, ...workerPids];
  const cpu0 = pids.map(cpuSeconds);
  const head0 = (await pipelinePositions(api.baseUrl)).head;
  const result = await runCell(
    label,
    cell,
    seconds,
    apiSender(api, cell.clients, cell.tag),
    api.pid,
    database,
    workerPids,
  );
  const drain = await waitForPipeline(urls);
  const used = pids.reduce((sum, pid, i) => sum + (cpuSeconds(pid) - cpu0[i]!), 0);
  const appended = (await pipelinePositions(api.baseUrl)).head - head0;
  const serviceCpuMsPerEvent = appended > 0 ? round((used * 1000) / appended, 3) : null;
  if (workers.length > 0)
    say(
      label,
      `CPU % of a core: api ${result.cpu.apiPct}, ${workers.length === 1 ? 'roles' : 'role processes'} ${(result.cpu.workersPct ?? []).join(' / ')}; drain ${round(drain / 1000, 1)} s; all service processes ${serviceCpuMsPerEvent} CPU ms/event, warm-up to drained`,
    );
  return { target, ...result, pipelineDrainMs: drain, serviceCpuMsPerEvent };
}

async function libraryCell(
  target: Target,
  send: Send,
  cell: Cell,
  seconds: number,
  database: string,
): Promise<CellResult> {
  const result = await runCell(`${target} ${cell.tag}`, cell, seconds, send, undefined, database);
  return { target, ...result, pipelineDrainMs: null };
}

async function main(opts: BenchOptions): Promise<void> {
  const targets = new Set(opts.targets);
  const cells: CellResult[] = [];
  const { atStart: quiet, settle } = await quietMachine('append', opts.quietWait);
  const poolSize = Math.max(...CLIENTS);
  const prefix = `bench-${RUN_ID}-append.`;
  const apiDb = targets.has('api') ? await createDatabase('append', opts.keep) : undefined;
  const splitDb = targets.has('api-split') ? await createDatabase('append_split', opts.keep) : undefined;
  const libDb = await createDatabase('append_lib', opts.keep);
  let api: Service | undefined;
  let split: Service | undefined;
  let pool: pg.Pool | undefined;
  const closers: Array<() => Promise<void>> = [];
  try {
    say(
      'append',
      `targets ${[...targets].join(', ')}; databases ${apiDb ? `${apiDb.name} (api), ` : ''}${splitDb ? `${splitDb.name} (api-split: api | ${opts.splitRoles.join(' | ')}), ` : ''}${libDb.name}; topic prefix ${prefix}; ${opts.duration} s per cell after ${WARMUP_MS} ms warm-up`,
    );
    const nodeArgs = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : undefined;
    if (apiDb) api = await startService(apiDb.url, prefix, undefined, nodeArgs);
    if (splitDb)
      split = await startService(splitDb.url, `bench-${RUN_ID}-append-split.`, opts.splitRoles, nodeArgs);
    pool = new pg.Pool({ connectionString: libDb.url, max: poolSize, application_name: 'timeline-bench' });
    const store = targets.has('store') ? await openTimelineStore(libDb.url, poolSize) : undefined;
    if (store) closers.push(() => store.close());
    const emmett = targets.has('emmett') ? await openEmmett(libDb.url, poolSize) : undefined;
    if (emmett) closers.push(() => emmett.close());
    // A plain copy of the store's table: same columns, types, primary key, unique constraints and indexes.
    if (targets.has('raw')) {
      if (!store) await openTimelineStore(libDb.url, 1).then((s) => s.close());
      await pool.query('CREATE TABLE raw_events (LIKE events INCLUDING ALL)');
    }
    const rawPositions = { next: 0 };

    for (const cell of grid(opts.cells)) {
      const d = opts.duration;
      if (api && apiDb) {
        await settle();
        cells.push(await apiCell('api-postgres', api, cell, d, apiDb.name));
      }
      if (split && splitDb) {
        await settle();
        cells.push(await apiCell('api-split', split, cell, d, splitDb.name));
      }
      if (store) {
        await settle();
        cells.push(await libraryCell('store', storeSender(store, cell.tag), cell, d, libDb.name));
      }
      if (emmett) {
        await settle();
        cells.push(await libraryCell('emmett', emmettSender(emmett, cell.tag), cell, d, libDb.name));
      }
      if (targets.has('raw')) {
        await settle();
        cells.push(await libraryCell('raw-pg', rawSender(pool, cell.tag, rawPositions), cell, d, libDb.name));
      }
    }
  } finally {
    await stopService(api);
    await stopService(split);
    for (const close of closers) await close().catch(() => undefined);
    await pool?.end();
    await apiDb?.drop();
    await splitDb?.drop();
    await libDb.drop();
  }

  if (opts.pglite && targets.has('api')) {
    const dataDir = await mkdtemp(join(tmpdir(), 'timeline-bench-pglite-'));
    const pgPrefix = `bench-${RUN_ID}-append-pglite.`;
    let lite: ApiProcess | undefined;
    try {
      lite = await startApi({ dataDir, topicPrefix: pgPrefix });
      for (const cell of grid(opts.cells))
        cells.push(await apiCell('api-pglite', { api: lite, workers: [] }, cell, opts.duration, 'pglite'));
    } finally {
      await lite?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  if (targets.has('api') || targets.has('api-split')) {
    const { benchKafka, deleteTopicsWithPrefix } = await import('./lib/kafka.js');
    await deleteTopicsWithPrefix(benchKafka('timeline-bench-cleanup'), `bench-${RUN_ID}-append`, opts.keep);
  }

  const of = (target: Target, c: CellResult) =>
    cells.find((r) => r.target === target && r.batch === c.batch && r.clients === c.clients);
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || !(b > 0) ? '–' : round(a / b, 2);
  // The ratios the goals are stated in: the store against the peer, the service against its own store.
  const rows = cells.map((c) => [
    c.target,
    c.batch,
    c.clients,
    c.eventsPerSecond,
    c.target === 'store' ? ratio(c.eventsPerSecond, of('emmett', c)?.eventsPerSecond) : '–',
    c.target.startsWith('api') ? ratio(c.eventsPerSecond, of('store', c)?.eventsPerSecond) : '–',
    c.target === 'raw-pg' ? '–' : ratio(c.eventsPerSecond, of('raw-pg', c)?.eventsPerSecond),
    c.latencyMs.p50,
    c.latencyMs.p99,
    c.apiCpuMsPerEvent ?? '–',
    c.serviceCpuMsPerEvent ?? '–',
    Number.isNaN(c.cpu.apiPct) ? '–' : c.cpu.apiPct,
    c.cpu.workersPct?.join(' / ') ?? '–',
    c.cpu.postgresPct,
    c.cpu.clientPct,
    c.cpu.kafkaPct,
    c.cpu.otherPct,
    c.pipelineDrainMs === null ? '–' : round(c.pipelineDrainMs / 1000, 1),
    c.errors,
    c.load1 ?? '–',
  ]);
  const headers = [
    'target',
    'batch',
    'clients',
    'events/s',
    '÷ emmett',
    '÷ store',
    '÷ raw',
    'p50 ms',
    'p99 ms',
    'API CPU ms/ev',
    'service CPU ms/ev (to drained)',
    'CPU% API',
    'CPU% roles apart',
    'CPU% pg',
    'CPU% client',
    'CPU% kafka',
    'CPU% other',
    'drain s',
    'errors',
    'load 1m',
  ];
  const pgVersion = await postgresVersion();
  const file = await writeResults(
    'append',
    {
      machine: machine(pgVersion),
      machineBusyAtStartPct: quiet?.busyPct ?? null,
      settings: {
        secondsPerCell: opts.duration,
        warmupMs: WARMUP_MS,
        batches: BATCHES,
        clients: CLIENTS,
        targets: [...targets],
        ...(split ? { splitRoles: opts.splitRoles } : {}),
      },
      cells,
    },
    // A run with the roles apart is kept beside the usual one (docs/benchmarks.md, "Scale-out goals").
    targets.has('api-split') ? 'append-split' : 'append',
  );
  process.stdout.write(
    `\nAppend throughput (${opts.duration} s per cell)\n${table(headers, rows)}\n\nresults: ${file}\n`,
  );
}

await main(parseBenchArgs());
