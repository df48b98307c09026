/**
 * Fan-out: many SSE clients on gateway processes (TIMELINE_ROLES=gateway) while one writer process
 * (api,relay,projector) takes appends at a steady rate. Per measurement: delivery latency (POST sent →
 * event on each client), events lost and duplicated per client, each gateway's RSS and the CPU of every
 * process. Run first with one gateway, then with two (each with the same number of clients).
 */
import { loadavg } from 'node:os';
import { type ApiProcess, startApi } from './lib/api.js';
import { type BenchOptions, parseBenchArgs } from './lib/args.js';
import { RUN_ID } from './lib/env.js';
import {
  closeReasons,
  type DeliveryTally,
  type DrainEnd,
  drain,
  FanoutClient,
  PipelineSampler,
  type PipelineSample,
  tallyDeliveries,
} from './fanout/client.js';
import { benchEvent } from './lib/events.js';
import { keepAliveAgent, postJson } from './lib/http.js';
import { benchKafka, deleteTopicsWithPrefix } from './lib/kafka.js';
import { createDatabase, postgresVersion } from './lib/pg.js';
import { quietMachine } from './lib/quiet.js';
import { machine, Progress, say, table, writeResults } from './lib/report.js';
import { CpuMeter, cpuSeconds, type Distribution, distribution, RssSampler, round } from './lib/stats.js';

const CONNECT_CONCURRENCY = 50;

/** The settings a gateway needs to take this many clients from one address (the bench's). */
function gatewayEnv(clients: number, sseBatchMs: string | undefined): Record<string, string> {
  return {
    ...(sseBatchMs === undefined ? {} : { TIMELINE_SSE_BATCH_MS: sseBatchMs }),
    TIMELINE_ROLES: 'gateway',
    TIMELINE_SSE_MAX_PER_ADDRESS: String(clients + 100),
    TIMELINE_SSE_MAX_CLIENTS: String(clients + 100),
    // Every client comes from this one address: the per-client read rate limit would refuse them.
    TIMELINE_READ_RATE_LIMIT: '0',
  };
}

interface FanoutResult {
  gateways: number;
  clientsPerGateway: number;
  rate: number;
  seconds: number;
  events: number;
  deliveries: number;
  /** Append POST sent → event received by a client, over every (client, event). */
  deliveryMs: Distribution;
  /** 201 received → event on a client (negative: the event reached the client before the answer). */
  afterAckMs: Distribution;
  /** Per (client, event): its arrival minus the event's first arrival on any client (the fan-out's own spread). */
  spreadMs: Distribution;
  /** Append POST sent → 201. */
  ackMs: Distribution;
  /** Every acknowledged (client, event) pair by what became of it: on time, late, lost (and why). */
  tally: DeliveryTally;
  /** (client, event) pairs never received: the sum of the tally's lost kinds. */
  lost: number;
  duplicates: number;
  /** From the last acknowledged append to the last delivery (or to the drain giving up). */
  drainMs: number;
  /** Why the drain ended: `complete`, `stalled` (nothing arrived for a while) or `timeout`. */
  drainEnd: DrainEnd;
  /** Clients whose stream ended during the run (a gateway closing a slow client, say). */
  clientsClosed: number;
  /** The closed clients by the reason the gateway gave. */
  closeReasons: Record<string, number>;
  /** Gateway CPU per delivered (client, event) pair, µs (all gateways' CPU over all deliveries). */
  gatewayCpuUsPerDelivery: number;
  /** Once a second, relative to the run's first event: store head, relay checkpoint, each gateway's feed. */
  pipeline: PipelineSample[];
  /** 1-minute load average at the start and the end of the measurement. */
  load: { start: number; end: number };
  gatewayRssMiB: Array<{ start: number; peak: number; end: number }>;
  /** % of one core, per process. */
  cpuPct: {
    writer: number;
    gateways: number[];
    loadGenerator: number;
    postgres: number;
    /** Every broker on the machine (other people's too). */
    kafka: number;
    /** Everything else: colleagues' builds and tests on a shared machine. */
    other: number;
    /** All cores busy, %. */
    machineBusy: number;
  };
}

async function head(writer: ApiProcess): Promise<number> {
  const response = await fetch(`${writer.baseUrl}/api/events?limit=1`);
  return ((await response.json()) as { head: number }).head;
}

async function measure(
  writer: ApiProcess,
  gateways: ApiProcess[],
  opts: BenchOptions,
  database: string,
): Promise<FanoutResult> {
  const label = `${gateways.length} gateway${gateways.length > 1 ? 's' : ''}`;
  const progress = new Progress(label);
  const total = Math.round(opts.fanoutRate * opts.fanoutSeconds);
  const base = await head(writer);
  const capacity = total + 1000;
  const clients: FanoutClient[] = [];
  for (const _gateway of gateways)
    for (let i = 0; i < opts.fanoutClients; i++) clients.push(new FanoutClient(base, capacity));
  for (let i = 0; i < clients.length; i += CONNECT_CONCURRENCY) {
    await Promise.all(
      clients.slice(i, i + CONNECT_CONCURRENCY).map((client, j) => {
        const gateway = gateways[Math.floor((i + j) / opts.fanoutClients)]!;
        return client.connect(`${gateway.baseUrl}/api/stream?after=${base}`);
      }),
    );
    progress.update(
      `${Math.min(i + CONNECT_CONCURRENCY, clients.length)}/${clients.length} clients connected`,
    );
  }
  await new Promise((r) => setTimeout(r, 1_000));

  const rss = gateways.map((g) => new RssSampler(g.pid, () => 0, 250));
  for (const sampler of rss) sampler.start();
  const pids = [writer.pid, ...gateways.map((g) => g.pid), process.pid];
  const cpuBefore = pids.map(cpuSeconds);
  const meter = new CpuMeter(writer.pid, database);
  meter.start();
  const loadStart = loadavg()[0]!;
  const t0 = performance.now();
  const pipeline = new PipelineSampler(
    writer.baseUrl,
    gateways.map((g) => g.baseUrl),
    base,
  );
  pipeline.start(t0);

  const sentAt = new Map<number, number>();
  const ackedAt = new Map<number, number>();
  const acks: number[] = [];
  const agent = keepAliveAgent(64);
  const interval = 1000 / opts.fanoutRate;
  const inFlight: Array<Promise<void>> = [];
  let failed = 0;
  for (let i = 0; i < total; i++) {
    const wait = t0 + i * interval - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sent = performance.now();
    const body = JSON.stringify({ events: [benchEvent(i, `fanout-${RUN_ID}-${i}`)] });
    inFlight.push(
      postJson(agent, new URL(`/api/streams/fanout-${i % 20}/events`, writer.baseUrl), writer.token, body)
        .then((res) => {
          if (res.status !== 201) {
            failed += 1;
            return;
          }
          const position = (JSON.parse(res.body) as { events: Array<{ position: number }> }).events[0]!
            .position;
          sentAt.set(position, sent);
          const acked = performance.now();
          ackedAt.set(position, acked);
          acks.push(acked - sent);
        })
        .catch(() => {
          failed += 1;
        }),
    );
    if (i % opts.fanoutRate === 0) progress.update(`${i}/${total} appended`);
  }
  await Promise.all(inFlight);
  const appendsEndedAt = performance.now();
  agent.destroy();
  if (failed > 0) say('fanout', `${failed} appends failed`);

  const positions = [...sentAt.keys()];
  const { end: drainEnd, ms: drainMs } = await drain(clients, positions.length, appendsEndedAt, progress);
  const wall = (performance.now() - t0) / 1000;
  const cpu = meter.stop();
  const cpuAfter = pids.map(cpuSeconds);
  const loadEnd = loadavg()[0]!;
  pipeline.stop();
  if (drainEnd !== 'complete') {
    for (const [i, gateway] of gateways.entries()) {
      const warnings = gateway.logs().split('\n').slice(-10).join('\n');
      say('fanout', `gateway ${i + 1}'s last log lines:\n${warnings}`);
    }
  }
  for (const sampler of rss) sampler.stop();

  const latencies: number[] = [];
  const afterAck: number[] = [];
  const spread: number[] = [];
  const firstArrival = positions.map((p) =>
    clients.reduce((min, c) => {
      const at = c.arrivedAt[p - base - 1]!;
      return at > 0 && at < min ? at : min;
    }, Number.POSITIVE_INFINITY),
  );
  for (const client of clients) {
    for (const [i, p] of positions.entries()) {
      const at = client.arrivedAt[p - base - 1]!;
      if (at === 0) continue;
      latencies.push(at - sentAt.get(p)!);
      afterAck.push(at - ackedAt.get(p)!);
      spread.push(at - firstArrival[i]!);
    }
  }
  const tally = tallyDeliveries(clients, base, positions, appendsEndedAt);
  const lost = tally.lostHole + tally.lostTail + tally.onClosedClients;
  const clientsClosed = clients.filter((c) => c.ended).length;
  const reasons = closeReasons(clients);
  for (const client of clients) client.close();

  const used = (i: number) => cpuAfter[i]! - cpuBefore[i]!;
  const pct = (i: number) => round((used(i) / wall) * 100, 0);
  const gatewayCpu = gateways.reduce((sum, _, i) => sum + used(i + 1), 0);
  const result: FanoutResult = {
    gateways: gateways.length,
    clientsPerGateway: opts.fanoutClients,
    rate: opts.fanoutRate,
    seconds: opts.fanoutSeconds,
    events: positions.length,
    deliveries: latencies.length,
    deliveryMs: distribution(latencies),
    afterAckMs: distribution(afterAck),
    spreadMs: distribution(spread),
    ackMs: distribution(acks),
    tally,
    lost,
    duplicates: tally.duplicates,
    drainMs,
    drainEnd,
    clientsClosed,
    closeReasons: reasons,
    gatewayCpuUsPerDelivery: round((gatewayCpu / Math.max(1, latencies.length)) * 1e6, 1),
    pipeline: pipeline.samples,
    load: { start: round(loadStart, 2), end: round(loadEnd, 2) },
    gatewayRssMiB: rss.map((s) => ({
      start: s.samples[0]?.rssMiB ?? Number.NaN,
      peak: s.peakRssMiB,
      end: s.samples[s.samples.length - 1]?.rssMiB ?? Number.NaN,
    })),
    cpuPct: {
      writer: pct(0),
      gateways: gateways.map((_, i) => pct(i + 1)),
      loadGenerator: pct(pids.length - 1),
      postgres: cpu.postgresPct,
      kafka: cpu.kafkaPct,
      // The meter counts the gateways as "other" (it knows only the writer's pid).
      other: Math.max(0, cpu.otherPct - gateways.reduce((sum, _, i) => sum + pct(i + 1), 0)),
      machineBusy: cpu.machineBusyPct,
    },
  };
  if (clientsClosed > 0) say('fanout', `clients closed: ${JSON.stringify(reasons)}`);
  const last = pipeline.samples.at(-1);
  if (last) say('fanout', `pipeline at the end (events since the start): ${JSON.stringify(last)}`);
  progress.done(
    `p50 ${result.deliveryMs.p50} ms, p99 ${result.deliveryMs.p99} ms, late ${tally.late}, lost ${lost} (${JSON.stringify(tally)}), drain ${drainMs} ms (${drainEnd}), RSS peak ${result.gatewayRssMiB.map((r) => r.peak).join(' / ')} MiB`,
  );
  return result;
}

async function main(opts: BenchOptions): Promise<void> {
  const db = await createDatabase('fanout', opts.keep);
  const prefix = `bench-${RUN_ID}-fanout.`;
  const kafka = benchKafka('timeline-bench-fanout');
  let writer: ApiProcess | undefined;
  let gateways: ApiProcess[] = [];
  const results: FanoutResult[] = [];
  const { atStart: quiet, settle } = await quietMachine('fanout', opts.quietWait);
  try {
    say(
      'fanout',
      `database ${db.name}, topic prefix ${prefix}; ${opts.fanoutClients} clients per gateway, ${opts.fanoutRate} events/s for ${opts.fanoutSeconds} s; gateways ${opts.gateways.join(', ')}`,
    );
    writer = await startApi({
      databaseUrl: db.url,
      topicPrefix: prefix,
      env: { TIMELINE_ROLES: 'api,relay,projector' },
    });
    for (const count of opts.gateways) {
      gateways = [];
      for (let g = 0; g < count; g++) {
        gateways.push(
          await startApi({
            databaseUrl: db.url,
            topicPrefix: prefix,
            env: gatewayEnv(opts.fanoutClients, opts.sseBatchMs),
            ...(opts.cpuProfDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] } : {}),
          }),
        );
      }
      await settle();
      results.push(await measure(writer, gateways, opts, db.name));
      for (const gateway of gateways) await gateway.stop();
      gateways = [];
    }
  } finally {
    for (const gateway of gateways) await gateway.stop();
    await writer?.stop();
    await db.drop();
    await deleteTopicsWithPrefix(kafka, prefix, opts.keep);
  }

  const rows = results.map((r) => [
    r.gateways,
    r.gateways * r.clientsPerGateway,
    r.rate,
    r.events,
    r.deliveryMs.p50,
    r.deliveryMs.p99,
    r.deliveryMs.max,
    r.ackMs.p99,
    `${r.afterAckMs.p50} / ${r.afterAckMs.p99}`,
    `${r.spreadMs.p50} / ${r.spreadMs.p99}`,
    r.tally.late,
    r.lost,
    r.duplicates,
    r.clientsClosed,
    `${r.drainMs} (${r.drainEnd})`,
    r.gatewayRssMiB.map((m) => m.peak).join(' / '),
    r.cpuPct.gateways.join(' / '),
    r.gatewayCpuUsPerDelivery,
    r.cpuPct.writer,
    r.cpuPct.loadGenerator,
    r.cpuPct.postgres,
    r.cpuPct.kafka,
    r.cpuPct.other,
    `${r.load.start} → ${r.load.end}`,
  ]);
  const file = await writeResults('fanout', {
    machine: machine(await postgresVersion()),
    machineBusyAtStartPct: quiet?.busyPct ?? null,
    settings: {
      clientsPerGateway: opts.fanoutClients,
      rate: opts.fanoutRate,
      seconds: opts.fanoutSeconds,
      gateways: opts.gateways,
      sseBatchMs: opts.sseBatchMs ?? 'default',
      partitions: 3,
    },
    runs: results,
  });
  process.stdout.write(
    `\nFan-out (delivery: append POST sent → event on an SSE client; after ack: 201 → event; spread: an event's arrival on a client − its first arrival on any; late: arrived after the last append was acknowledged; lost: never arrived; CPU % of one core per process)\n${table(
      [
        'gateways',
        'clients',
        'events/s',
        'events',
        'p50 ms',
        'p99 ms',
        'max ms',
        'ack p99 ms',
        'after ack p50/p99 ms',
        'spread p50/p99 ms',
        'late',
        'lost',
        'dups',
        'closed',
        'drain ms',
        'gateway RSS peak MiB',
        'CPU% gateways',
        'gateway µs/delivery',
        'CPU% writer',
        'CPU% load gen',
        'CPU% pg',
        'CPU% kafka',
        'CPU% other',
        'load 1m',
      ],
      rows,
    )}\n\nresults: ${file}\n`,
  );
}

await main(parseBenchArgs());
