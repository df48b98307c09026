/**
 * The timeline by window at scale (issue 12; default 1,000,000 events): the log is written straight into
 * `events` and folded into the read model with the projector's code (see timeline-window/fill.ts), then
 * through the API:
 * - `GET /api/timeline?budget=2000` for a random one-month window, and for the whole range, p50/p99;
 * - `GET /api/timeline?budget=2000&at=P` for random P in a random one-year window (the replay scrubber), p95;
 * - the overview and the log histogram;
 * and EXPLAIN (ANALYZE, BUFFERS) of every statement the window reads run (bench/results/timeline-window-explain.txt).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  openSqlClient,
  type SqlClient,
  type SqlExecutor,
  TimelineWindowReads,
  type WindowRequest,
} from '@timeline/api';
import { topicNames } from '@timeline/shared-types';
import { type ApiProcess, startApi } from './lib/api.js';
import { type BenchOptions, parseBenchArgs } from './lib/args.js';
import { RESULTS_DIR, RUN_ID } from './lib/env.js';
import { createDatabase, existingDatabase, postgresVersion } from './lib/pg.js';
import { machine, say, writeResults } from './lib/report.js';
import { type Distribution, distribution, round } from './lib/stats.js';
import { fillWindowStore } from './timeline-window/fill.js';

const BUDGET = 2000;

async function timed(api: ApiProcess, path: string): Promise<{ ms: number; body: Record<string, unknown> }> {
  const t0 = performance.now();
  const response = await fetch(`${api.baseUrl}${path}`);
  const text = await response.text();
  const ms = performance.now() - t0;
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return { ms, body: JSON.parse(text) as Record<string, unknown> };
}

async function sample(
  api: ApiProcess,
  count: number,
  path: (i: number) => string,
): Promise<Distribution & { p95: number; modes: Record<string, number> }> {
  const samples: number[] = [];
  const modes: Record<string, number> = {};
  await timed(api, path(0)); // warm-up
  for (let i = 0; i < count; i++) {
    const { ms, body } = await timed(api, path(i));
    samples.push(ms);
    const mode = String(body.mode);
    modes[mode] = (modes[mode] ?? 0) + 1;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const p95 = round(sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? Number.NaN);
  return { ...distribution(samples), p95, modes };
}

/** A SqlClient that EXPLAINs (ANALYZE, BUFFERS) every statement before running it, in transactions too. */
function explaining<T extends Pick<SqlClient, 'query'>>(sql: T, plans: string[]): T {
  return new Proxy(sql, {
    get(target, key, receiver) {
      if (key === 'transaction') {
        const transaction = Reflect.get(target, key, receiver) as SqlClient['transaction'];
        return (work: (tx: SqlExecutor) => Promise<unknown>) =>
          transaction.call(target, (tx) => work(explaining(tx, plans)));
      }
      if (key !== 'query') return Reflect.get(target, key, receiver);
      return async (text: string, params?: unknown[]) => {
        if (!/^\s*(SELECT|WITH)/i.test(text)) return target.query(text, params);
        const { rows } = await target.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (ANALYZE, BUFFERS) ${text}`,
          params,
        );
        plans.push(`${text.replace(/\s+/g, ' ').trim()}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
        return target.query(text, params);
      };
    },
  });
}

const monthWindow = (i: number) => {
  const year = 1900 + ((i * 37 + 11) % 126);
  const month = ((i * 5 + 3) % 12) + 1;
  return `from=${year}-${String(month).padStart(2, '0')}&to=${year}-${String(month).padStart(2, '0')}`;
};

async function main(opts: BenchOptions): Promise<void> {
  const samples = opts.quick ? 10 : 50;
  const db = opts.database
    ? existingDatabase(opts.database)
    : await createDatabase('timeline-window', opts.keep);
  let prefix = `bench-${RUN_ID}-window.`;
  let total = Math.round(opts.events);
  const idPrefix = RUN_ID.replace(/[^0-9a-f]/g, '')
    .padEnd(8, '0')
    .slice(0, 8);
  const dataDir = await mkdtemp(join(tmpdir(), 'timeline-bench-window-'));
  let api: ApiProcess | undefined;
  try {
    const opened = performance.now();
    const sql = await openSqlClient({ databaseUrl: db.url, dataDir, poolSize: 2 });
    if (opts.database)
      say('timeline-window', `opened and migrated in ${Math.round(performance.now() - opened)} ms`);
    let fill: Awaited<ReturnType<typeof fillWindowStore>> | undefined;
    if (opts.database) {
      // The kept run's topic prefix is in its relay checkpoint: the API must not publish the log again.
      const { rows } = await sql.query<{ name: string; position: number }>(
        'SELECT name, position FROM relay_checkpoints ORDER BY position DESC LIMIT 1',
      );
      const kept = rows[0];
      if (!kept?.name.endsWith(topicNames().events))
        throw new Error(
          `${db.name} has no relay checkpoint of a timeline-window run: fill one with --keep first`,
        );
      prefix = kept.name.slice(0, -topicNames().events.length);
      total = Number(kept.position);
      say(
        'timeline-window',
        `database ${db.name} (kept, not filled again); ${total.toLocaleString('en-GB')} events`,
      );
    } else {
      say('timeline-window', `database ${db.name}; ${total.toLocaleString('en-GB')} events`);
      fill = await fillWindowStore(sql, total, idPrefix, topicNames(prefix).events);
    }
    const { rows: sizes } = await sql.query<{ name: string; size: string }>(
      `SELECT c.relname AS name, pg_size_pretty(pg_relation_size(c.oid)) AS size FROM pg_class c
       WHERE c.relname LIKE 'timeline_item%' ORDER BY c.relname`,
    );

    // EXPLAIN of what the window reads run: a month (items), the whole range (buckets), at=P.
    const plans: string[] = [];
    const reads = new TimelineWindowReads(explaining(sql, plans));
    const state = await reads.state();
    const base: WindowRequest = { budget: BUDGET, groupBy: 'pillar', filter: {} };
    const cases: [string, WindowRequest][] = [
      ['one month (1987-06)', { ...base, fromMs: Date.UTC(1987, 5, 1), toMs: Date.UTC(1987, 6, 1) }],
      ['whole range', base],
      [
        `one year (1987) at P=${Math.floor(total / 2)}`,
        { ...base, fromMs: Date.UTC(1987, 0, 1), toMs: Date.UTC(1988, 0, 1), at: Math.floor(total / 2) },
      ],
    ];
    const explained: string[] = [];
    for (const [label, request] of cases) {
      plans.length = 0;
      const answer = await reads.window(request, state);
      explained.push(
        `### ${label}: mode ${answer.mode}, ${answer.facets.total} items\n\n${plans.join('\n')}`,
      );
    }
    const explainFile = resolve(RESULTS_DIR, 'timeline-window-explain.txt');
    await writeFile(explainFile, explained.join('\n'));
    await sql.close();

    api = await startApi({ databaseUrl: db.url, topicPrefix: prefix, readyTimeoutMs: 300_000 });
    const month = await sample(api, samples, (i) => `/api/timeline?budget=${BUDGET}&${monthWindow(i)}`);
    say('timeline-window', `one month: p50 ${month.p50} ms, p99 ${month.p99} ms`);
    const whole = await sample(api, Math.max(5, samples / 5), () => `/api/timeline?budget=${BUDGET}`);
    say('timeline-window', `whole range: p50 ${whole.p50} ms, p99 ${whole.p99} ms`);
    const atP = await sample(api, samples, (i) => {
      const at = 1 + (((i + 2) * 7_919_191) % total);
      const year = 1900 + ((i * 37 + 11) % 126);
      return `/api/timeline?budget=${BUDGET}&from=${year}&to=${year}&at=${at}`;
    });
    say('timeline-window', `at=P, one-year window: p50 ${atP.p50} ms, p95 ${atP.p95} ms, p99 ${atP.p99} ms`);
    const overview = await sample(api, 5, () => '/api/timeline/overview');
    const histogram = await sample(api, 5, () => '/api/log/histogram?buckets=200');
    const file = await writeResults('timeline-window', {
      machine: machine(await postgresVersion()),
      events: total,
      budget: BUDGET,
      fill,
      tableSizes: Object.fromEntries(sizes.map((s) => [s.name, s.size])),
      oneMonth: month,
      wholeRange: whole,
      atPOneYear: atP,
      overview,
      histogram,
      explain: explainFile,
    });
    process.stdout.write(`results: ${file}\nEXPLAIN: ${explainFile}\n`);
  } finally {
    await api?.stop();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main(parseBenchArgs());
