import { BUCKET_UNITS, type BucketUnit } from './timeline-window.js';

/** Units of the log histogram: knowledge time spans seconds in a test, years in production. */
export const HISTOGRAM_UNITS = ['second', 'minute', ...BUCKET_UNITS] as const;
export type HistogramUnit = (typeof HISTOGRAM_UNITS)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The shortest length of each unit, so a span divided by it bounds the number of buckets from above. */
const SHORTEST_MS: Record<HistogramUnit, number> = {
  second: 1000,
  minute: 60_000,
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 28 * DAY,
  quarter: 89 * DAY,
  year: 365 * DAY,
  decade: 3652 * DAY,
};

/**
 * The finest unit that cuts `[fromMs, toMs)` into at most `maxBuckets` buckets (plus one for the
 * alignment of the first), from `units` (finest first); the coarsest when none does.
 */
export function bucketUnitFor<U extends HistogramUnit>(
  fromMs: number,
  toMs: number,
  maxBuckets: number,
  units: readonly U[],
): U {
  const span = Math.max(0, toMs - fromMs);
  return units.find((unit) => span / SHORTEST_MS[unit] <= maxBuckets) ?? units[units.length - 1]!;
}

export const windowBucketUnit = (fromMs: number, toMs: number, maxBuckets = 200): BucketUnit =>
  bucketUnitFor(fromMs, toMs, maxBuckets, BUCKET_UNITS);

/** The start of the next bucket after the one starting at `startMs` (UTC calendar arithmetic). */
export function bucketEndMs(startMs: number, unit: HistogramUnit): number {
  const d = new Date(startMs);
  const months = { month: 1, quarter: 3, year: 12, decade: 120 } as Partial<Record<HistogramUnit, number>>;
  const addMonths = months[unit];
  if (addMonths !== undefined)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + addMonths, d.getUTCDate(), d.getUTCHours());
  return startMs + SHORTEST_MS[unit];
}
