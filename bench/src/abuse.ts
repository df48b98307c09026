/**
 * Abuse (issue 13): one built API (PostgreSQL store, the shared Kafka) on loopback, hit at once by
 * 2,000 fuzzed anonymous requests across every route, 500 SSE connections from one address, 50 SSE
 * connections that never read, 20 concurrent `asOf` folds, while a normal client with the write token
 * appends and reads the whole time. Bounded: about 2 minutes. Goals: the server stays up; the normal
 * client's p99 under abuse < 5x its idle p99 (measured first, same run); RSS 30 s after within 1.2x of
 * idle; every acknowledged event stored and projected; no 5xx but 503 with Retry-After.
 */
import pg from 'pg';
import {
  fuzzAnonymously,
  foldAsOfContinuously,
  normalClient,
  openSseClients,
  openStuckSseClients,
  StatusTally,
  watchHealth,
} from './abuse/loads.js';
import { startApi, waitForPipeline } from './lib/api.js';
import { RUN_ID } from './lib/env.js';
import { benchEvent } from './lib/events.js';
import { keepAliveAgent, postJson } from './lib/http.js';
import { benchKafka, deleteTopicsWithPrefix } from './lib/kafka.js';
import { createDatabase, postgresVersion } from './lib/pg.js';
import { machine, say, table, writeResults } from './lib/report.js';
import { distribution, RssSampler, round } from './lib/stats.js';

const FUZZ_REQUESTS = 2_000;
const SSE_CLIENTS = 500;
const STUCK_SSE_CLIENTS = 50;
const FOLDS = 20;
const PRELOAD_EVENTS = 2_000;
const IDLE_MS = 10_000;
const MIN_ABUSE_MS = 20_000;
/** The fuzz stops starting requests here, sent or not: the run stays under 3 minutes. */
const MAX_ABUSE_MS = 60_000;
const SETTLE_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mean = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length), 1);

async function main(): Promise<void> {
  const db = await createDatabase('abuse');
  const prefix = `bench-${RUN_ID}-abuse.`;
  const api = await startApi({ databaseUrl: db.url, topicPrefix: prefix });
  const agent = keepAliveAgent(4);
  try {
    say('abuse', `API pid ${api.pid} on ${api.baseUrl}; preloading ${PRELOAD_EVENTS} events`);
    const preloadUrl = new URL(`${api.baseUrl}/api/streams/abuse-preload/events`);
    for (let i = 0; i < PRELOAD_EVENTS; i += 100) {
      const events = Array.from({ length: 100 }, (_, k) => benchEvent(i + k, 'abuse-preload'));
      const reply = await postJson(agent, preloadUrl, api.token, JSON.stringify({ events }));
      if (reply.status !== 201) throw new Error(`preload answered ${reply.status}: ${reply.body}`);
    }
    await waitForPipeline(api.baseUrl, 60_000);
    const asOf = new Date().toISOString();

    const rss = new RssSampler(api.pid, () => 0, 250);
    rss.start();
    const sampledFrom = performance.now();
    const health = watchHealth(api.baseUrl);
    const tally = new StatusTally();
    const normal = normalClient(api.baseUrl, agent, api.token, tally);

    say('abuse', `idle: the normal client alone for ${IDLE_MS / 1000} s`);
    const idleStart = performance.now();
    await sleep(IDLE_MS);
    const abuseStart = performance.now();
    const abuserTally = new StatusTally();
    say(
      'abuse',
      `abuse: ${FUZZ_REQUESTS} fuzz, ${SSE_CLIENTS} SSE, ${STUCK_SSE_CLIENTS} stuck SSE, ${FOLDS} folds`,
    );
    const stuck = openStuckSseClients(api.port, STUCK_SSE_CLIENTS);
    const sse = await openSseClients(api.baseUrl, SSE_CLIENTS, abuserTally);
    const folds = foldAsOfContinuously(api.baseUrl, FOLDS, asOf, abuserTally);
    const fuzzAgent = keepAliveAgent(8);
    const [fuzzSent] = await Promise.all([
      fuzzAnonymously(api.baseUrl, fuzzAgent, FUZZ_REQUESTS, 8, abuserTally, abuseStart + MAX_ABUSE_MS),
      sleep(MIN_ABUSE_MS),
    ]);
    const foldCount = await folds.stop();
    const abuseEnd = performance.now();
    sse.close();
    stuck.close();
    fuzzAgent.destroy();
    await normal.stop();
    say(
      'abuse',
      `abuse over after ${round((abuseEnd - abuseStart) / 1000, 1)} s; settling ${SETTLE_MS / 1000} s`,
    );
    await sleep(SETTLE_MS);
    const rssAfter = RssSampler.read(api.pid).rssMiB;
    rss.stop();
    const healthPolls = await health.stop();

    const rssBetween = (from: number, to: number) =>
      rss.samples.filter((s) => s.t >= from - sampledFrom && s.t < to - sampledFrom).map((s) => s.rssMiB);
    const rssIdle = mean(rssBetween(idleStart, abuseStart));
    const rssDuring = Math.max(...rssBetween(abuseStart, abuseEnd));
    const idle = distribution(normal.latencies.filter((l) => l.at < abuseStart).map((l) => l.ms));
    const underAbuse = distribution(
      normal.latencies.filter((l) => l.at >= abuseStart && l.at < abuseEnd).map((l) => l.ms),
    );

    await waitForPipeline(api.baseUrl, 60_000);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const stored = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM events WHERE event_id = ANY($1::uuid[])',
      [normal.acknowledged],
    );
    const projected = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM projected_events WHERE event_id = ANY($1::uuid[])',
      [normal.acknowledged],
    );
    await client.end();
    const up = api.child.exitCode === null && healthPolls.failures === 0;

    const all = new StatusTally();
    for (const t of [tally, abuserTally])
      for (const [s, n] of t.byStatus) all.byStatus.set(s, (all.byStatus.get(s) ?? 0) + n);
    const bad5xx = [...tally.bad5xx, ...abuserTally.bad5xx];
    const ratio = round(underAbuse.p99 / idle.p99, 2);
    const rssRatio = round(rssAfter / rssIdle, 2);
    const rows: Array<Array<string | number>> = [
      [
        'server up (health/live every 1 s)',
        `${up ? 'yes' : 'NO'} (${healthPolls.failures}/${healthPolls.polls} polls failed)`,
        'stays up',
      ],
      ['normal client p99 idle / under abuse', `${idle.p99} / ${underAbuse.p99} ms (${ratio}x)`, '< 5x'],
      [
        'server RSS idle / peak during / 30 s after',
        `${rssIdle} / ${rssDuring} / ${rssAfter} MiB (${rssRatio}x)`,
        '<= 1.2x idle after',
      ],
      [
        'acknowledged events stored / projected',
        `${stored.rows[0]!.n} / ${projected.rows[0]!.n} of ${normal.acknowledged.length}`,
        'all',
      ],
      ['SSE connections accepted (of 500 from one address)', sse.accepted, 'capped'],
      ['fuzz requests sent (of 2,000, within 60 s)', fuzzSent, ''],
      ['asOf folds completed', foldCount, ''],
      ['responses by class', JSON.stringify(all.byClass()), ''],
      ['5xx other than 503 + Retry-After', bad5xx.length, '0'],
    ];
    console.log(table(['measure', 'result', 'goal'], rows));
    if (bad5xx.length > 0) say('abuse', `bad 5xx (first 10): ${bad5xx.slice(0, 10).join('; ')}`);
    const file = await writeResults('abuse', {
      machine: machine(await postgresVersion()),
      load: {
        fuzzRequests: FUZZ_REQUESTS,
        sseClients: SSE_CLIENTS,
        stuckSseClients: STUCK_SSE_CLIENTS,
        folds: FOLDS,
        preloadEvents: PRELOAD_EVENTS,
      },
      serverUp: up,
      health: healthPolls,
      normalClient: { idleMs: idle, underAbuseMs: underAbuse, p99Ratio: ratio },
      rssMiB: { idle: rssIdle, peakDuring: rssDuring, after30s: rssAfter, afterOverIdle: rssRatio },
      acknowledged: {
        count: normal.acknowledged.length,
        stored: stored.rows[0]!.n,
        projected: projected.rows[0]!.n,
      },
      sseAccepted: sse.accepted,
      fuzzSent,
      folds: foldCount,
      statusClasses: all.byClass(),
      statuses: Object.fromEntries([...all.byStatus].sort((a, b) => a[0] - b[0])),
      bad5xx: { count: bad5xx.length, first: bad5xx.slice(0, 20) },
      abuseSeconds: round((abuseEnd - abuseStart) / 1000, 1),
    });
    say('abuse', `results in ${file}`);
  } finally {
    agent.destroy();
    await api.stop();
    await deleteTopicsWithPrefix(benchKafka('abuse-cleanup'), prefix);
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
