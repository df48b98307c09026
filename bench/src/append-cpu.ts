/**
 * CPU per appended event in the API process, end to end: a fixed number of appends through
 * `POST /api/streams/:id/events` (single events and batches of 100, 4 clients), then the wait until
 * the relay has published and the projector applied them, so the CPU the process spends on each event
 * (HTTP, validation, the store call, the relay, the projector, the live feed) is all counted. CPU time
 * is read from /proc, so a busy machine slows the run down but changes the figure far less than it
 * changes throughput. The API's idle CPU over the same time is measured first and subtracted.
 */
import { type ApiProcess, startApi, waitForPipeline } from './lib/api.js';
import { apiSender } from './lib/append-senders.js';
import { type BenchOptions, parseBenchArgs } from './lib/args.js';
import { RUN_ID } from './lib/env.js';
import { createDatabase } from './lib/pg.js';
import { say, table, writeResults } from './lib/report.js';
import { cpuSeconds, round } from './lib/stats.js';

const CLIENTS = 4;
const SHAPES = [
  { batch: 1, events: 2_000 },
  { batch: 100, events: 40_000 },
] as const;

async function appendAll(api: ApiProcess, batch: number, events: number, tag: string): Promise<void> {
  const send = apiSender(api, CLIENTS, tag);
  let next = 0;
  const requests = events / batch;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let n = next++; n < requests; n = next++) await send(client, n, batch);
    }),
  );
}

async function main(opts: BenchOptions): Promise<void> {
  const db = await createDatabase('append_cpu', opts.keep);
  const prefix = `bench-${RUN_ID}-append-cpu.`;
  let api: ApiProcess | undefined;
  const rows: Array<Array<string | number>> = [];
  const results: unknown[] = [];
  try {
    api = await startApi({ databaseUrl: db.url, topicPrefix: prefix });
    await appendAll(api, 10, 1_000, 'warm');
    await waitForPipeline(api.baseUrl);
    const idle0 = cpuSeconds(api.pid);
    await new Promise((r) => setTimeout(r, 5_000));
    const idlePerSecond = (cpuSeconds(api.pid) - idle0) / 5;
    for (const { batch, events } of SHAPES) {
      const cpu0 = cpuSeconds(api.pid);
      const t0 = performance.now();
      await appendAll(api, batch, events, `b${batch}`);
      await waitForPipeline(api.baseUrl);
      const seconds = (performance.now() - t0) / 1000;
      const used = cpuSeconds(api.pid) - cpu0;
      const net = used - idlePerSecond * seconds;
      const result = {
        batch,
        events,
        clients: CLIENTS,
        seconds: round(seconds, 1),
        cpuMsPerEvent: round((used * 1000) / events, 3),
        cpuMsPerEventLessIdle: round((net * 1000) / events, 3),
      };
      say('append-cpu', JSON.stringify(result));
      results.push(result);
      rows.push([batch, events, CLIENTS, result.seconds, result.cpuMsPerEvent, result.cpuMsPerEventLessIdle]);
    }
  } finally {
    await api?.stop();
    await db.drop();
    const { benchKafka, deleteTopicsWithPrefix } = await import('./lib/kafka.js');
    await deleteTopicsWithPrefix(
      benchKafka('timeline-bench-cleanup'),
      `bench-${RUN_ID}-append-cpu`,
      opts.keep,
    );
  }
  const file = await writeResults('append-cpu', { results });
  const headers = ['batch', 'events', 'clients', 'seconds', 'API CPU ms/event', 'less idle'];
  process.stdout.write(
    `\nAPI CPU per appended event (through the pipeline)\n${table(headers, rows)}\n\nresults: ${file}\n`,
  );
}

await main(parseBenchArgs());
