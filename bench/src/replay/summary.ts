import { table } from '../lib/report.js';
import { round } from '../lib/stats.js';
import type { ReadResult } from './read-result.js';

/** The tables printed at the end of a run: throughput against the raw baselines, then memory. */
export function replaySummary(
  total: number,
  reads: ReadResult[],
  fill: Record<string, number>,
  runMs: number,
  file: string,
): string {
  const rawOf = (source: 'store' | 'kafka') =>
    reads.find((r) => r.source === source && r.name.startsWith('raw'));
  const rows = reads.map((r) => {
    const stalled = r.note?.startsWith('stalled') ?? false;
    return [
      r.source,
      stalled ? `${r.name}: STALLED` : r.name,
      r.events,
      round(r.ms / 1000, 1),
      stalled ? '–' : r.eventsPerSecond,
      r.name.startsWith('raw') || stalled
        ? '–'
        : `${Math.round((r.eventsPerSecond / (rawOf(r.source)?.eventsPerSecond ?? NaN)) * 100)}%`,
      stalled ? '–' : round(r.bytes / 2 ** 20 / (r.ms / 1000), 1),
      total >= 1_000_000 || stalled ? '–' : round(1_000_000 / r.eventsPerSecond, 0),
      r.memory ? r.memory.peakRssMiB : '–',
    ];
  });
  const memoryRows = reads.flatMap((r) =>
    r.memory
      ? [
          [
            r.name,
            r.memory.idleRssMiB ?? '–',
            r.memory.startRssMiB,
            r.memory.midRssMiB,
            r.memory.endRssMiB,
            r.memory.peakRssMiB,
            r.memory.hwmBeforeMiB ?? '–',
            r.memory.hwmAfterMiB,
          ],
        ]
      : [],
  );
  return `\nReplay throughput (${total.toLocaleString('en-GB')} events)\n${table(
    [
      'source',
      'reader',
      'events',
      'seconds',
      'events/s',
      'vs raw',
      'MiB/s',
      's per 1M (extrapolated)',
      'peak RSS MiB',
    ],
    rows,
  )}\n${reads
    .filter((r) => r.note)
    .map((r) => `- ${r.name}: ${r.note}`)
    .join(
      '\n',
    )}\n\nMemory of the serving/reading process while it streams (MiB; VmRSS sampled every 100 ms, VmHWM = lifetime peak)\n${table(
    ['reader', 'idle', 'start', 'mid', 'end', 'peak', 'HWM before', 'HWM after'],
    memoryRows,
  )}\n\nfill (store and topic at the same time, ${round((fill.wallMs ?? 0) / 1000, 0)} s): store ${round((fill.storeMs ?? 0) / 1000, 1)} s = inserts ${round((fill.insertMs ?? 0) / 1000, 1)} s + indexes ${round((fill.indexMs ?? 0) / 1000, 1)} s + vacuum ${round((fill.vacuumMs ?? 0) / 1000, 1)} s (${fill.storeEventsPerSecond?.toLocaleString('en-GB')} events/s overall); topic ${round((fill.topicMs ?? 0) / 1000, 1)} s (${fill.topicEventsPerSecond?.toLocaleString('en-GB')}/s); whole run ${round(runMs / 1000, 0)} s\nresults: ${file}\n`;
}
