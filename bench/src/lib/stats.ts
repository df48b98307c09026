import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles over the samples (milliseconds in, milliseconds out). */
export function distribution(samples: readonly number[]): Distribution {
  if (samples.length === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  let sum = 0;
  for (const s of sorted) sum += s;
  return {
    count: sorted.length,
    p50: round(at(50)),
    p90: round(at(90)),
    p99: round(at(99)),
    max: round(sorted[sorted.length - 1]!),
    mean: round(sum / sorted.length),
  };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function perSecond(count: number, ms: number): number {
  return ms > 0 ? Math.round((count * 1000) / ms) : NaN;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; NaN when unavailable. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which is in parentheses and may hold spaces).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** Whole-machine busy CPU seconds so far (all cores), from /proc/stat. */
export function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of every process on the machine, with its command line (for attribution). */
function processTable(): Map<number, { cpu: number; cmd: string }> {
  const table = new Map<number, { cpu: number; cmd: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cpu = cpuSeconds(pid);
    if (Number.isNaN(cpu)) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      // gone
    }
    table.set(pid, { cpu, cmd });
  }
  return table;
}

export interface CpuShares {
  /** % of one core used by the API process (NaN when there is none). */
  apiPct: number;
  /** % of one core used by this benchmark process (the load generator). */
  clientPct: number;
  /** % of one core used by PostgreSQL backends serving the benchmark's database. */
  postgresPct: number;
  /** % of one core used by the Kafka broker (shared with anyone else using it). */
  kafkaPct: number;
  /** % of one core used by every other process: colleagues' builds and tests on a shared machine. */
  otherPct: number;
  /** All cores busy, %. */
  machineBusyPct: number;
  /** % of one core used by each further service process (roles run apart from the API's), in the order given. */
  workersPct?: number[];
}

/**
 * Attributes the CPU used between start() and stop() to the API, the load generator, PostgreSQL
 * backends of the benchmark database, the Kafka broker, and everything else on the machine, so a
 * result taken while something else was busy can be recognised.
 */
export class CpuMeter {
  private before = new Map<number, { cpu: number; cmd: string }>();
  private busy = 0;
  private t = 0;

  constructor(
    private readonly apiPid: number | undefined,
    private readonly database: string | undefined = undefined,
    /** Further service processes (roles run apart from the API's), each reported on its own. */
    private readonly workerPids: readonly number[] = [],
  ) {}

  start(): void {
    this.before = processTable();
    this.busy = machineBusySeconds();
    this.t = performance.now();
  }

  stop(): CpuShares {
    const wall = (performance.now() - this.t) / 1000;
    const after = processTable();
    const busy = machineBusySeconds() - this.busy;
    const cores = cpus().length;
    const sums = { api: 0, client: 0, postgres: 0, kafka: 0, other: 0 };
    const workers = this.workerPids.map(() => 0);
    for (const [pid, now] of after) {
      const used = now.cpu - (this.before.get(pid)?.cpu ?? 0);
      if (used <= 0) continue;
      const worker = this.workerPids.indexOf(pid);
      if (worker >= 0) workers[worker] = used;
      else if (pid === this.apiPid) sums.api += used;
      else if (pid === process.pid) sums.client += used;
      else if (this.database && now.cmd.startsWith('postgres:') && now.cmd.includes(this.database))
        sums.postgres += used;
      else if (now.cmd.includes('kafka.Kafka')) sums.kafka += used;
      else sums.other += used;
    }
    const pct = (s: number) => round((s / wall) * 100, 0);
    return {
      apiPct: this.apiPid === undefined ? Number.NaN : pct(sums.api),
      clientPct: pct(sums.client),
      postgresPct: pct(sums.postgres),
      kafkaPct: pct(sums.kafka),
      otherPct: pct(sums.other),
      machineBusyPct: round((busy / wall / cores) * 100, 0),
      ...(this.workerPids.length > 0 ? { workersPct: workers.map(pct) } : {}),
    };
  }
}

export interface MemorySample {
  /** ms since the sampler started */
  t: number;
  rssMiB: number;
  hwmMiB: number;
  /** Caller-supplied progress (e.g. lines received) at the time of the sample. */
  progress: number;
}

/** Samples VmRSS and VmHWM of a process from /proc/<pid>/status every `intervalMs`. */
export class RssSampler {
  readonly samples: MemorySample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private t0 = 0;

  constructor(
    private readonly pid: number,
    private readonly progress: () => number = () => 0,
    private readonly intervalMs = 100,
  ) {}

  static read(pid: number): { rssMiB: number; hwmMiB: number } {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: round(kb('VmRSS') / 1024, 1), hwmMiB: round(kb('VmHWM') / 1024, 1) };
  }

  start(): void {
    this.t0 = performance.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    try {
      const { rssMiB, hwmMiB } = RssSampler.read(this.pid);
      this.samples.push({
        t: Math.round(performance.now() - this.t0),
        rssMiB,
        hwmMiB,
        progress: this.progress(),
      });
    } catch {
      // the process is gone
    }
  }

  /** RSS when progress first reached the given fraction of `total`. */
  at(fraction: number, total: number): MemorySample | undefined {
    return this.samples.find((s) => s.progress >= fraction * total) ?? this.samples[this.samples.length - 1];
  }

  get peakRssMiB(): number {
    return Math.max(...this.samples.map((s) => s.rssMiB));
  }
}

/**
 * Waits (up to `maxWaitMs`) until the machine is mostly idle before a measurement starts: on a shared
 * 2-core machine a colleague's build or test run would otherwise be measured too. Returns the busy
 * share seen last, which goes into the results either way.
 */
export async function waitForQuietMachine(
  log: (text: string) => void,
  maxWaitMs: number,
  thresholdPct = 25,
): Promise<{ busyPct: number; waitedMs: number }> {
  const t0 = performance.now();
  let told = false;
  for (;;) {
    const before = machineBusySeconds();
    const start = performance.now();
    await new Promise((r) => setTimeout(r, 2_000));
    const wall = (performance.now() - start) / 1000;
    const busyPct = round(((machineBusySeconds() - before) / wall / cpus().length) * 100, 0);
    const waitedMs = Math.round(performance.now() - t0);
    if (busyPct < thresholdPct) {
      if (told) log(`machine quiet (${busyPct}% busy) after ${Math.round(waitedMs / 1000)} s`);
      return { busyPct, waitedMs };
    }
    if (waitedMs >= maxWaitMs) {
      log(
        `machine still ${busyPct}% busy with other work after ${Math.round(waitedMs / 1000)} s: measuring anyway`,
      );
      return { busyPct, waitedMs };
    }
    if (!told)
      log(
        `machine ${busyPct}% busy with other work: waiting up to ${Math.round(maxWaitMs / 1000)} s for it to settle`,
      );
    told = true;
  }
}
