import type { Progress } from '../lib/report.js';
import {
  CpuMeter,
  type CpuShares,
  type MemorySample,
  perSecond,
  type RssSampler,
  round,
} from '../lib/stats.js';

/** One reader's pass over the whole log, as it goes into the results file. */
export interface ReadResult {
  name: string;
  source: 'store' | 'kafka';
  events: number;
  bytes: number;
  ms: number;
  /** From the first event received (leaves out group joins and query start-up). */
  msFromFirst: number;
  eventsPerSecond: number;
  cpu: CpuShares;
  /** RSS of the serving/reading process over the read (API or CLI), when sampled. */
  memory?: MemoryReport;
  note?: string;
}

export interface MemoryReport {
  process: 'api' | 'cli';
  idleRssMiB?: number;
  startRssMiB: number;
  midRssMiB: number;
  endRssMiB: number;
  peakRssMiB: number;
  hwmBeforeMiB?: number;
  hwmAfterMiB: number;
  samples: Array<Pick<MemorySample, 't' | 'rssMiB' | 'progress'>>;
}

export interface ReadTiming {
  ms: number;
  msFromFirst: number;
  cpu: CpuShares;
}

/** Wall time, time from the first event, and the CPU shares of one read. */
export class ReadTimer {
  private readonly meter: CpuMeter;
  private t0 = 0;
  private first = Number.NaN;

  constructor(servingPid: number | undefined, database: string) {
    this.meter = new CpuMeter(servingPid, database);
  }

  start(): void {
    this.meter.start();
    this.t0 = performance.now();
  }

  /** Call on every arrival: only the first counts. */
  received(): void {
    if (Number.isNaN(this.first)) this.first = performance.now();
  }

  get startedAt(): number {
    return this.t0;
  }

  stop(): ReadTiming {
    const ms = performance.now() - this.t0;
    return { ms, msFromFirst: this.t0 + ms - this.first, cpu: this.meter.stop() };
  }
}

/**
 * The result of a read, announced on its progress line as `<events> <unit> in <s> s (<rate>/s)` and what
 * `detail` adds.
 */
export function readResult(
  progress: Progress,
  read: { name: string; source: 'store' | 'kafka'; events: number; bytes: number; unit: string },
  timing: ReadTiming,
  extra: Pick<ReadResult, 'memory' | 'note'> = {},
  detail = (_: ReadResult) => '',
): ReadResult {
  const { name, source, events, bytes, unit } = read;
  const result: ReadResult = {
    name,
    source,
    events,
    bytes,
    ms: Math.round(timing.ms),
    msFromFirst: Math.round(timing.msFromFirst),
    eventsPerSecond: perSecond(events, timing.ms),
    cpu: timing.cpu,
    ...extra,
  };
  progress.done(
    `${events.toLocaleString('en-GB')} ${unit} in ${round(timing.ms / 1000, 1)} s (${result.eventsPerSecond.toLocaleString('en-GB')}/s)${detail(result)}`,
  );
  return result;
}

export function memoryReport(
  process: 'api' | 'cli',
  sampler: RssSampler,
  total: number,
  idle?: { rssMiB: number; hwmMiB: number },
): MemoryReport {
  const samples = sampler.samples;
  const last = samples[samples.length - 1];
  // Keep the file small: about 100 samples over the run.
  const step = Math.max(1, Math.ceil(samples.length / 100));
  const firstData = samples.find((s) => s.progress > 0) ?? samples[0];
  return {
    process,
    ...(idle ? { idleRssMiB: idle.rssMiB, hwmBeforeMiB: idle.hwmMiB } : {}),
    startRssMiB: firstData?.rssMiB ?? Number.NaN,
    midRssMiB: sampler.at(0.5, total)?.rssMiB ?? Number.NaN,
    endRssMiB: sampler.at(1, total)?.rssMiB ?? Number.NaN,
    peakRssMiB: sampler.peakRssMiB,
    hwmAfterMiB: last?.hwmMiB ?? Number.NaN,
    samples: samples
      .filter((_, i) => i % step === 0)
      .map(({ t, rssMiB, progress: p }) => ({ t, rssMiB, progress: p })),
  };
}

/** Counts the newline-terminated lines in a chunk of NDJSON. */
export function countLines(chunk: Buffer): number {
  let lines = 0;
  for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines += 1;
  return lines;
}
