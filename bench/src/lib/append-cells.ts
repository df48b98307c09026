import { loadavg } from 'node:os';
import { Progress, say } from './report.js';
import { CpuMeter, type CpuShares, distribution, perSecond } from './stats.js';

export const BATCHES = [1, 100] as const;
export const CLIENTS = [1, 4, 16] as const;
export const WARMUP_MS = 1_000;
export const STREAMS_PER_CLIENT = 10;

/**
 * What one cell measured. `api-*` go through HTTP; `store` is Timeline's `SqlEventStore.append` in
 * this process (library level, what the API calls); `emmett` is Emmett's PostgreSQL event store
 * (`appendToStream`), the TypeScript peer; `raw-pg` plain multi-row INSERTs. `api-split` is `api-postgres`
 * with the roles in separate processes: one `TIMELINE_ROLES=api` process takes the appends, the relay,
 * projector and live feed run in others (`--split-roles`).
 */
export type Target = 'api-postgres' | 'api-split' | 'api-pglite' | 'store' | 'emmett' | 'raw-pg';

export interface CellResult {
  target: Target;
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
  /** CPU milliseconds the API process spent per appended event (API cells only). */
  apiCpuMsPerEvent: number | null;
  /**
   * CPU milliseconds per appended event of every service process (the API's and, split, the role
   * processes'), from the cell's first request to the end of the drain, over every event appended
   * meanwhile, warm-up included (API cells only).
   */
  serviceCpuMsPerEvent?: number | null;
  /** After an API cell: how long the relay and projector needed to catch up with the appends. */
  pipelineDrainMs: number | null;
  /** The 1-minute load average when the cell ended. */
  load1?: number;
}

/** Appends `batch` events for `client` (its `request`-th call); resolves to the number appended. */
export type Send = (client: number, request: number, batch: number) => Promise<number>;

/** One measurement of the grid: a batch size and a number of concurrent clients. */
export interface Cell {
  batch: number;
  clients: number;
  tag: string;
}

/** The cells in order; `only` (tags such as `b1-c16`) picks some of them. */
export function* grid(only?: readonly string[]): Generator<Cell> {
  for (const batch of BATCHES) {
    for (const clients of CLIENTS) {
      const tag = `b${batch}-c${clients}`;
      if (!only || only.includes(tag)) yield { batch, clients, tag };
    }
  }
}

/** The stream a client writes its `request`-th append to: each client has streams of its own. */
export function streamOf(tag: string, client: number, request: number): string {
  return `bench-${tag}-c${client}-s${request % STREAMS_PER_CLIENT}`;
}

/** Runs `clients` loops of back-to-back requests for warm-up + `seconds`; counts what completes after the warm-up. */
export async function runCell(
  label: string,
  { batch, clients }: Cell,
  seconds: number,
  send: Send,
  cpuPid: number | undefined,
  database: string,
  workerPids: readonly number[] = [],
): Promise<Omit<CellResult, 'target' | 'pipelineDrainMs'>> {
  const progress = new Progress(label);
  const start = performance.now();
  const measureFrom = start + WARMUP_MS;
  const end = measureFrom + seconds * 1000;
  let events = 0;
  let requests = 0;
  let errors = 0;
  const latencies: number[] = [];
  const meter = new CpuMeter(cpuPid, database, workerPids);
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
  const apiCpuMsPerEvent =
    cpuPid === undefined || events === 0
      ? null
      : Math.round(((cpu.apiPct / 100) * ms * 1000) / events) / 1000;
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
    apiCpuMsPerEvent,
    load1: Math.round(loadavg()[0]! * 100) / 100,
  };
  progress.done(
    `${result.eventsPerSecond.toLocaleString('en-GB')} events/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms${apiCpuMsPerEvent === null ? '' : `, API ${apiCpuMsPerEvent} CPU ms/event`}${errors ? `, ${errors} errors` : ''}`,
  );
  return result;
}
