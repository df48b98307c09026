/**
 * Two builds of the API against each other, the same load on each: the API process's cost per
 * `POST /api/streams/:id/events`. Two API processes, each on its own database: `--baseline` (the
 * `apps/api/dist/main.js` of another checkout, for example a git worktree of the commit before a
 * change) and this checkout's `apps/api/dist/main.js`. It measured Express against Fastify under the
 * same Nest application before the API moved to Fastify (docs/benchmarks.md, "Nest on Fastify"). With `--roles api` (the
 * default) no relay, projector or live feed runs: what is left per request is HTTP, validation, the
 * command bus and the store call; with `--roles all` each run also waits for relay and projector, whose
 * CPU is then counted. Both are loaded in turn, A/B with the order swapped every round, by 4 (default)
 * keep-alive clients (`--clients`) sending single ~1 KB events, then batches of 100. Per run: requests/s and the
 * process's CPU µs per request (from /proc, its idle CPU over the same time subtracted), with the
 * 1-minute load average.
 *
 * `pnpm --filter @timeline/bench bench:http-stack --baseline ../wt/before/apps/api/dist/main.js [--rounds 4]
 * [--single 3000] [--batched 200] [--clients 4] [--roles api|all] [--cpu-prof-dir DIR]`
 */
import { loadavg } from 'node:os';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type ApiProcess, startApi, waitForPipeline } from './lib/api.js';
import { apiSender } from './lib/append-senders.js';
import { RUN_ID } from './lib/env.js';
import { type BenchDatabase, createDatabase } from './lib/pg.js';
import { say, table, writeResults } from './lib/report.js';
import { cpuSeconds, round } from './lib/stats.js';

const VARIANTS = ['baseline', 'current'] as const;
type Variant = (typeof VARIANTS)[number];

interface Run {
  variant: Variant;
  batch: number;
  round: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  cpuUsPerRequest: number;
  cpuUsPerRequestLessIdle: number;
  load1: number;
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    single: { type: 'string', default: '3000' },
    batched: { type: 'string', default: '200' },
    roles: { type: 'string', default: 'api' },
    'cpu-prof-dir': { type: 'string' },
    baseline: { type: 'string' },
    clients: { type: 'string', default: '4' },
    keep: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(values.rounds);
const CLIENTS = Number(values.clients);
if (!values.baseline || !existsSync(values.baseline)) {
  process.stderr.write(
    "bench:http-stack: --baseline <path to another build's apps/api/dist/main.js> is required (for example: git worktree add ../before HEAD~1, then pnpm install and pnpm build there)\n",
  );
  process.exit(2);
}
const BASELINE_ENTRY = resolve(values.baseline);
/** `api`, or `all`: then each run also waits for relay and projector, and their CPU is counted. */
const ROLES = values.roles;
const SHAPES = [
  { batch: 1, requests: Number(values.single) },
  { batch: 100, requests: Number(values.batched) },
];

/** `requests` appends of `batch` events by CLIENTS closed-loop clients. */
async function load(api: ApiProcess, batch: number, requests: number, tag: string): Promise<void> {
  const send = apiSender(api, CLIENTS, tag);
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let n = next++; n < requests; n = next++) await send(client, n, batch);
    }),
  );
}

/** Both builds answer an append alike, refuse one without a token, and run the middleware (its headers). */
async function checkAlike(api: ApiProcess, variant: Variant): Promise<void> {
  const url = `${api.baseUrl}/api/streams/bench-check-${variant}/events`;
  const body = JSON.stringify({ events: [{ type: 'MeetingHeld' }] });
  const anonymous = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await anonymous.arrayBuffer();
  if (anonymous.status === 201) throw new Error(`${variant}: an append without a token was accepted`);
  const invalid = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}` },
    body,
  });
  await invalid.arrayBuffer();
  if (invalid.status === 201) throw new Error(`${variant}: an invalid event was accepted`);
  await load(api, 1, 1, `check-${variant}`);
  const headers = anonymous.headers;
  if (!headers.get('x-request-id') || headers.get('x-content-type-options') !== 'nosniff')
    throw new Error(`${variant}: the middleware's headers are missing`);
}

function idlePerSecond(api: ApiProcess, ms: number): Promise<number> {
  const cpu0 = cpuSeconds(api.pid);
  return new Promise((r) => setTimeout(() => r((cpuSeconds(api.pid) - cpu0) / (ms / 1000)), ms));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const dbs: BenchDatabase[] = [];
  const apis = new Map<Variant, ApiProcess>();
  const runs: Run[] = [];
  try {
    for (const variant of VARIANTS) {
      // A database each: with the relay role, two processes on one store would elect one relay.
      const db = await createDatabase(`http_stack_${variant}`, values.keep);
      dbs.push(db);
      const api = await startApi({
        databaseUrl: db.url,
        topicPrefix: `bench-${RUN_ID}-http-stack-${variant}.`,
        env: { TIMELINE_ROLES: ROLES },
        waitFor: 'live',
        // A V8 profile of each process, written when it stops (`<dir>/<variant>`).
        ...(values['cpu-prof-dir']
          ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', resolve(values['cpu-prof-dir'], variant)] }
          : {}),
        ...(variant === 'baseline' ? { entry: BASELINE_ENTRY } : {}),
      });
      apis.set(variant, api);
      await checkAlike(api, variant);
      await load(api, 1, 3_000, `warm1-${variant}`);
      await load(api, 100, 100, `warm100-${variant}`);
      if (ROLES !== 'api') await waitForPipeline(api.baseUrl);
    }
    const idle = new Map<Variant, number>();
    for (const variant of VARIANTS) idle.set(variant, await idlePerSecond(apis.get(variant)!, 3_000));
    say('http-stack', `idle CPU s/s: ${JSON.stringify(Object.fromEntries(idle))}`);
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const { batch, requests } of SHAPES) {
        for (const variant of order) {
          const api = apis.get(variant)!;
          const load1 = round(loadavg()[0]!, 2);
          const cpu0 = cpuSeconds(api.pid);
          const t0 = performance.now();
          await load(api, batch, requests, `r${r}-b${batch}-${variant}`);
          if (ROLES !== 'api') await waitForPipeline(api.baseUrl);
          const seconds = (performance.now() - t0) / 1000;
          const used = cpuSeconds(api.pid) - cpu0;
          const run: Run = {
            variant,
            batch,
            round: r,
            requests,
            seconds: round(seconds, 2),
            requestsPerSecond: round(requests / seconds, 1),
            cpuUsPerRequest: round((used * 1e6) / requests, 0),
            cpuUsPerRequestLessIdle: round(((used - idle.get(variant)! * seconds) * 1e6) / requests, 0),
            load1,
          };
          say('http-stack', JSON.stringify(run));
          runs.push(run);
        }
      }
    }
  } finally {
    for (const api of apis.values()) await api.stop();
    for (const db of dbs) await db.drop();
  }
  const rows: Array<Array<string | number>> = [];
  const summary: unknown[] = [];
  for (const { batch } of SHAPES) {
    const of = (v: Variant) => runs.filter((x) => x.variant === v && x.batch === batch);
    const cpu = (v: Variant) => median(of(v).map((x) => x.cpuUsPerRequestLessIdle));
    const rps = (v: Variant) => median(of(v).map((x) => x.requestsPerSecond));
    const saved = 1 - cpu('current') / cpu('baseline');
    summary.push({
      batch,
      baseline: { cpu: cpu('baseline'), rps: rps('baseline') },
      current: { cpu: cpu('current'), rps: rps('current') },
      saved,
    });
    for (const v of VARIANTS)
      rows.push([
        batch,
        v,
        of(v).length,
        rps(v),
        cpu(v),
        of(v)
          .map((x) => x.cpuUsPerRequestLessIdle)
          .join(' / '),
      ]);
    rows.push([
      batch,
      'current saves',
      '–',
      '–',
      round(cpu('baseline') - cpu('current'), 0),
      `${round(saved * 100, 1)} %`,
    ]);
  }
  process.env.BENCH_COMMAND ??= [
    'pnpm --filter @timeline/bench bench:http-stack',
    ...process.argv.slice(2),
  ].join(' ');
  const file = await writeResults(`http-stack-${ROLES}`, {
    clients: CLIENTS,
    roles: ROLES,
    baseline: values.baseline,
    runs,
    summary,
  });
  const headers = ['batch', 'build', 'runs', 'req/s (median)', 'CPU µs/req (median)', 'each run'];
  process.stdout.write(
    `\nAPI process (roles: ${ROLES}), per append request\n${table(headers, rows)}\n\nresults: ${file}\n`,
  );
}

await main();
