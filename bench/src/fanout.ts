/**
 * Fan-out: many SSE clients on gateway processes (TIMELINE_ROLES=gateway) while one writer process
 * (api,relay,projector) takes appends at a steady rate. Per measurement: delivery latency (POST sent →
 * event on each client), events lost and duplicated per client, each gateway's RSS and the CPU of every
 * process. Run first with one gateway, then with two (each with the same number of clients).
 */
import { type ClientRequest, request } from 'node:http';
import { type ApiProcess, startApi } from './lib/api.js';
import { type BenchOptions, parseBenchArgs } from './lib/args.js';
import { RUN_ID } from './lib/env.js';
import { benchEvent } from './lib/events.js';
import { keepAliveAgent, postJson } from './lib/http.js';
import { benchKafka, deleteTopicsWithPrefix } from './lib/kafka.js';
import { createDatabase, postgresVersion } from './lib/pg.js';
import { quietMachine } from './lib/quiet.js';
import { machine, Progress, say, table, writeResults } from './lib/report.js';
import { CpuMeter, cpuSeconds, type Distribution, distribution, RssSampler, round } from './lib/stats.js';

const DRAIN_TIMEOUT_MS = 30_000;
const CONNECT_CONCURRENCY = 50;
const HEARTBEAT_LINE = 'event: heartbeat\n';

/** The settings a gateway needs to take this many clients from one address (the bench's). */
function gatewayEnv(clients: number): Record<string, string> {
  return {
    TIMELINE_ROLES: 'gateway',
    TIMELINE_SSE_MAX_PER_ADDRESS: String(clients + 100),
    TIMELINE_SSE_MAX_CLIENTS: String(clients + 100),
    // Every client comes from this one address: the per-client read rate limit would refuse them.
    TIMELINE_READ_RATE_LIMIT: '0',
  };
}

/** One SSE client: it keeps which positions arrived (a count per position) and when. */
class FanoutClient {
  /** Deliveries per position, indexed by position - base - 1. */
  readonly seen: Uint8Array;
  readonly arrivals: Array<[position: number, at: number]> = [];
  ended = false;
  private carry = '';
  private req: ClientRequest | undefined;

  constructor(
    private readonly base: number,
    capacity: number,
  ) {
    this.seen = new Uint8Array(capacity);
  }

  connect(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = request(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`SSE answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.onData(chunk));
        res.on('end', () => {
          this.ended = true;
        });
        resolve();
      });
      this.req.on('error', (error) => {
        this.ended = true;
        reject(error);
      });
      this.req.end();
    });
  }

  /** Only the `id:` lines are read (the position): parsing every JSON body would load the generator. */
  private onData(chunk: string): void {
    const now = performance.now();
    const text = this.carry + chunk;
    const lastNewline = text.lastIndexOf('\n');
    this.carry = text.slice(lastNewline + 1);
    const complete = text.slice(0, lastNewline + 1);
    for (let at = complete.indexOf('id: '); at !== -1; at = complete.indexOf('id: ', at + 4)) {
      if (at > 0 && complete[at - 1] !== '\n') continue;
      // A heartbeat carries the cursor as its id: not a delivery.
      if (complete.startsWith(HEARTBEAT_LINE, at - HEARTBEAT_LINE.length)) continue;
      const end = complete.indexOf('\n', at);
      const position = Number(complete.slice(at + 4, end));
      const index = position - this.base - 1;
      if (index >= 0 && index < this.seen.length) {
        this.seen[index] = Math.min(255, this.seen[index]! + 1);
        if (this.seen[index] === 1) this.arrivals.push([position, now]);
      }
    }
  }

  close(): void {
    this.req?.destroy();
  }
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
  /** Append POST sent → 201. */
  ackMs: Distribution;
  /** (client, event) pairs never received. */
  lost: number;
  duplicates: number;
  /** Clients whose stream ended during the run (a gateway closing a slow client, say). */
  clientsClosed: number;
  gatewayRssMiB: Array<{ start: number; peak: number; end: number }>;
  /** % of one core, per process. */
  cpuPct: {
    writer: number;
    gateways: number[];
    loadGenerator: number;
    postgres: number;
    kafka: number;
    other: number;
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
  for (const gateway of gateways)
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
  const t0 = performance.now();

  const sentAt = new Map<number, number>();
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
          acks.push(performance.now() - sent);
        })
        .catch(() => {
          failed += 1;
        }),
    );
    if (i % opts.fanoutRate === 0) progress.update(`${i}/${total} appended`);
  }
  await Promise.all(inFlight);
  agent.destroy();
  if (failed > 0) say('fanout', `${failed} appends failed`);

  // Drain: until every client has every acknowledged event, or the timeout.
  const positions = [...sentAt.keys()];
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const waiting = clients.filter(
      (c) => !c.ended && positions.some((p) => c.seen[p - base - 1] === 0),
    ).length;
    progress.update(`draining: ${waiting} clients still waiting`);
    if (waiting === 0 || performance.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = meter.stop();
  const cpuAfter = pids.map(cpuSeconds);
  for (const sampler of rss) sampler.stop();

  const latencies: number[] = [];
  let lost = 0;
  let duplicates = 0;
  for (const client of clients) {
    for (const [position, at] of client.arrivals) {
      const sent = sentAt.get(position);
      if (sent !== undefined) latencies.push(at - sent);
    }
    for (const p of positions) {
      const count = client.seen[p - base - 1]!;
      if (count === 0) lost += 1;
      else if (count > 1) duplicates += count - 1;
    }
  }
  const clientsClosed = clients.filter((c) => c.ended).length;
  for (const client of clients) client.close();

  const pct = (i: number) => round(((cpuAfter[i]! - cpuBefore[i]!) / wall) * 100, 0);
  const result: FanoutResult = {
    gateways: gateways.length,
    clientsPerGateway: opts.fanoutClients,
    rate: opts.fanoutRate,
    seconds: opts.fanoutSeconds,
    events: positions.length,
    deliveries: latencies.length,
    deliveryMs: distribution(latencies),
    ackMs: distribution(acks),
    lost,
    duplicates,
    clientsClosed,
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
      other: cpu.otherPct,
    },
  };
  progress.done(
    `p50 ${result.deliveryMs.p50} ms, p99 ${result.deliveryMs.p99} ms, lost ${lost}, duplicates ${duplicates}, RSS peak ${result.gatewayRssMiB.map((r) => r.peak).join(' / ')} MiB`,
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
          await startApi({ databaseUrl: db.url, topicPrefix: prefix, env: gatewayEnv(opts.fanoutClients) }),
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
    r.lost,
    r.duplicates,
    r.clientsClosed,
    r.gatewayRssMiB.map((m) => m.peak).join(' / '),
    r.cpuPct.gateways.join(' / '),
    r.cpuPct.writer,
    r.cpuPct.loadGenerator,
    r.cpuPct.other,
  ]);
  const file = await writeResults('fanout', {
    machine: machine(await postgresVersion()),
    machineBusyAtStartPct: quiet?.busyPct ?? null,
    settings: {
      clientsPerGateway: opts.fanoutClients,
      rate: opts.fanoutRate,
      seconds: opts.fanoutSeconds,
      gateways: opts.gateways,
      partitions: 3,
    },
    runs: results,
  });
  process.stdout.write(
    `\nFan-out (delivery: append POST sent → event on an SSE client; CPU % of one core per process)\n${table(
      [
        'gateways',
        'clients',
        'events/s',
        'events',
        'p50 ms',
        'p99 ms',
        'max ms',
        'ack p99 ms',
        'lost',
        'dups',
        'closed',
        'gateway RSS peak MiB',
        'CPU% gateways',
        'CPU% writer',
        'CPU% load gen',
        'CPU% other',
      ],
      rows,
    )}\n\nresults: ${file}\n`,
  );
}

await main(parseBenchArgs());
