/**
 * End-to-end latency: append one event (HTTP) → committed → relay → Kafka → live feed → SSE client,
 * at a steady rate, beside a raw kafkajs producer (acks all, idempotent, as the relay's) → consumer
 * (its own group, fresh topic) with messages of the same size at the same rate, in the same run.
 */
import { request } from 'node:http';
import { encodeKafkaMessage, SseParser } from '@timeline/shared-types';
import type { Consumer, Producer } from 'kafkajs';
import { type ApiProcess, startApi } from './lib/api.js';
import { type BenchOptions, parseBenchArgs } from './lib/args.js';
import { RUN_ID } from './lib/env.js';
import { benchEvent, eventEnvelope } from './lib/events.js';
import { keepAliveAgent, postJson } from './lib/http.js';
import { benchKafka, createTopic, deleteTopicsWithPrefix } from './lib/kafka.js';
import { createDatabase, postgresVersion } from './lib/pg.js';
import { quietMachine } from './lib/quiet.js';
import { machine, Progress, say, table, writeResults } from './lib/report.js';
import { CpuMeter, type CpuShares, type Distribution, distribution } from './lib/stats.js';

const DRAIN_TIMEOUT_MS = 60_000;

interface Probe {
  sent: number;
  acked?: number;
  received?: number;
}

interface RunResult {
  path: 'api-sse' | 'raw-kafkajs';
  rate: number;
  seconds: number;
  sent: number;
  received: number;
  lost: number;
  /** Send → delivered to the subscriber (SSE client / consumer). */
  endToEndMs: Distribution;
  /** Send → acknowledged (HTTP 201 / producer ack). */
  ackMs: Distribution;
  cpu: CpuShares;
}

/** Calls `fire(i)` at `rate` per second for `seconds`, on an absolute schedule (no drift, open loop). */
async function steady(
  rate: number,
  seconds: number,
  fire: (i: number) => void,
  progress: Progress,
): Promise<void> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = t0 + i * interval - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    fire(i);
    if (i % rate === 0) progress.update(`${i}/${total} sent`);
  }
}

async function drain(probes: Map<string, Probe>): Promise<void> {
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  while (performance.now() < deadline) {
    let waiting = 0;
    for (const p of probes.values()) if (p.received === undefined || p.acked === undefined) waiting += 1;
    if (waiting === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function summarise(
  path: RunResult['path'],
  rate: number,
  seconds: number,
  probes: Map<string, Probe>,
  cpu: CpuShares,
): RunResult {
  const all = [...probes.values()];
  const e2e = all.flatMap((p) => (p.received === undefined ? [] : [p.received - p.sent]));
  const ack = all.flatMap((p) => (p.acked === undefined ? [] : [p.acked - p.sent]));
  return {
    path,
    rate,
    seconds,
    sent: all.length,
    received: e2e.length,
    lost: all.length - e2e.length,
    endToEndMs: distribution(e2e),
    ackMs: distribution(ack),
    cpu,
  };
}

/** An SSE subscriber on `/api/stream`: calls `onEvent(correlationId)` for each event, as it arrives. */
function subscribe(
  api: ApiProcess,
  after: number,
  onEvent: (correlationId: string) => void,
): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${api.baseUrl}/api/stream?after=${after}`,
      { headers: { accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`SSE answered ${res.statusCode}`));
          return;
        }
        res.setEncoding('utf8');
        const parser = new SseParser();
        res.on('data', (chunk: string) => {
          for (const message of parser.push(chunk)) {
            if (message.event !== 'message') continue;
            const envelope = JSON.parse(message.data) as { metadata?: { correlationId?: string } };
            const id = envelope.metadata?.correlationId;
            if (id) onEvent(id);
          }
        });
        resolve(() => req.destroy());
      },
    );
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}

/**
 * Sends at `rate`/s for `seconds`: `send` builds event `i` (correlation id `id`), starts its probe when the
 * clock should start and marks it acknowledged; then waits for every probe to arrive (or give up) and
 * summarises.
 */
async function measure(
  target: 'api-sse' | 'raw-kafkajs',
  rate: number,
  seconds: number,
  probes: Map<string, Probe>,
  cpu: { pid: number | undefined; database: string },
  send: (i: number, id: string, startProbe: () => Probe) => void,
): Promise<RunResult> {
  const label = target === 'api-sse' ? 'api' : 'raw';
  const progress = new Progress(`${label} ${rate}/s`);
  const meter = new CpuMeter(cpu.pid, cpu.database);
  meter.start();
  await steady(
    rate,
    seconds,
    (i) => {
      const id = `lat-${label}-${rate}-${i}`;
      send(i, id, () => {
        const probe: Probe = { sent: performance.now() };
        probes.set(id, probe);
        return probe;
      });
    },
    progress,
  );
  await drain(probes);
  const result = summarise(target, rate, seconds, probes, meter.stop());
  progress.done(
    `p50 ${result.endToEndMs.p50} ms, p99 ${result.endToEndMs.p99} ms, max ${result.endToEndMs.max} ms, lost ${result.lost}`,
  );
  return result;
}

async function measureApi(
  api: ApiProcess,
  rate: number,
  seconds: number,
  probes: Map<string, Probe>,
  database: string,
): Promise<RunResult> {
  const agent = keepAliveAgent(64);
  try {
    return await measure(
      'api-sse',
      rate,
      seconds,
      probes,
      { pid: api.pid, database },
      (i, id, startProbe) => {
        const probe = startProbe();
        const body = JSON.stringify({ events: [benchEvent(i, id)] });
        void postJson(agent, new URL(`/api/streams/latency-${i % 20}/events`, api.baseUrl), api.token, body)
          .then((res) => {
            if (res.status === 201) probe.acked = performance.now();
            else say('api', `append answered ${res.status}: ${res.body.slice(0, 200)}`);
          })
          .catch((error: unknown) => say('api', `append failed: ${String(error)}`));
      },
    );
  } finally {
    agent.destroy();
  }
}

function measureRaw(
  producer: Producer,
  topic: string,
  rate: number,
  seconds: number,
  probes: Map<string, Probe>,
  database: string,
): Promise<RunResult> {
  return measure('raw-kafkajs', rate, seconds, probes, { pid: undefined, database }, (i, id, startProbe) => {
    const message = encodeKafkaMessage(
      eventEnvelope(benchEvent(i, id), {
        position: i + 1,
        streamId: `latency-${i % 20}`,
        streamVersion: Math.floor(i / 20) + 1,
        recordedAt: new Date().toISOString(),
        eventId: crypto.randomUUID(),
      }),
    );
    const probe = startProbe();
    void producer
      .send({ topic, acks: -1, messages: [message] })
      .then(() => {
        probe.acked = performance.now();
      })
      .catch((error: unknown) => say('raw', `send failed: ${String(error)}`));
  });
}

async function main(opts: BenchOptions): Promise<void> {
  const db = await createDatabase('latency', opts.keep);
  const prefix = `bench-${RUN_ID}-latency.`;
  const kafka = benchKafka('timeline-bench-latency');
  const rawTopic = `${prefix}raw-latency`;
  let api: ApiProcess | undefined;
  let unsubscribe: (() => void) | undefined;
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  const results: RunResult[] = [];
  const { atStart: quiet, settle } = await quietMachine('latency', opts.quietWait);
  try {
    say(
      'latency',
      `database ${db.name}, topic prefix ${prefix}; rates ${opts.rates.join(', ')}/s for ${opts.latencySeconds} s each`,
    );
    api = await startApi({
      databaseUrl: db.url,
      topicPrefix: prefix,
      ...(opts.cpuProfDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] } : {}),
      ...(opts.sseBatchMs === undefined ? {} : { env: { TIMELINE_SSE_BATCH_MS: opts.sseBatchMs } }),
    });

    // The API path: one SSE subscriber for the whole run; probes are matched by correlationId.
    const apiProbes = new Map<string, Probe>();
    unsubscribe = await subscribe(api, 0, (id) => {
      const probe = apiProbes.get(id);
      if (probe && probe.received === undefined) probe.received = performance.now();
    });

    // The raw path: a fresh topic with the same partitions, a producer configured like the relay's,
    // and a consumer in its own group that joined before anything is sent.
    await createTopic(kafka, rawTopic, 3);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    consumer = kafka.consumer({ groupId: `${prefix}raw-latency-consumer`, allowAutoTopicCreation: false });
    const rawProbes = new Map<string, Probe>();
    await consumer.connect();
    await consumer.subscribe({ topic: rawTopic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const now = performance.now();
        const envelope = JSON.parse(message.value?.toString('utf8') ?? '{}') as {
          metadata?: { correlationId?: string };
        };
        const probe = rawProbes.get(envelope.metadata?.correlationId ?? '');
        if (probe && probe.received === undefined) probe.received = now;
      },
    });

    // Warm-up both paths (producer connections, consumer fetch loops, JIT) and check they deliver.
    const warm = new Progress('warm-up');
    const warmApi = await measureApi(api, 20, 2, apiProbes, db.name);
    const warmRaw = await measureRaw(producer, rawTopic, 20, 2, rawProbes, db.name);
    if (warmApi.lost > 0 || warmRaw.lost > 0) throw new Error('the warm-up lost events: is Kafka up?');
    warm.done(
      `both paths deliver (api p50 ${warmApi.endToEndMs.p50} ms, raw p50 ${warmRaw.endToEndMs.p50} ms)`,
    );
    apiProbes.clear();
    rawProbes.clear();

    for (const rate of opts.rates) {
      await settle();
      results.push(await measureApi(api, rate, opts.latencySeconds, apiProbes, db.name));
      apiProbes.clear();
      await settle();
      results.push(await measureRaw(producer, rawTopic, rate, opts.latencySeconds, rawProbes, db.name));
      rawProbes.clear();
    }
  } finally {
    unsubscribe?.();
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await api?.stop();
    await db.drop();
    await deleteTopicsWithPrefix(kafka, prefix, opts.keep);
  }

  const rows = results.map((r) => [
    r.path,
    r.rate,
    r.sent,
    r.endToEndMs.p50,
    r.endToEndMs.p99,
    r.endToEndMs.max,
    r.ackMs.p50,
    r.ackMs.p99,
    r.lost,
    Number.isNaN(r.cpu.apiPct) ? '–' : r.cpu.apiPct,
    r.cpu.otherPct,
  ]);
  const file = await writeResults('latency', {
    machine: machine(await postgresVersion()),
    machineBusyAtStartPct: quiet?.busyPct ?? null,
    settings: { rates: opts.rates, secondsPerRate: opts.latencySeconds, partitions: 3 },
    runs: results,
  });
  process.stdout.write(
    `\nEnd-to-end latency (ms; api-sse: POST → SSE client, raw-kafkajs: send → consumer; ack: 201 / producer ack)\n${table(
      [
        'path',
        'events/s',
        'events',
        'p50',
        'p99',
        'max',
        'ack p50',
        'ack p99',
        'lost',
        'CPU% API',
        'CPU% other',
      ],
      rows,
    )}\n\nresults: ${file}\n`,
  );
}

await main(parseBenchArgs());
