import {
  bucketEndMs,
  bucketUnitFor,
  HISTOGRAM_UNITS,
  type HistogramUnit,
  type LogHistogramResponse,
} from '@timeline/shared-types';
import type { SqlExecutor } from './sql-client.js';

const INTERVAL: Record<HistogramUnit, string> = {
  second: '1 second',
  minute: '1 minute',
  hour: '1 hour',
  day: '1 day',
  week: '1 week',
  month: '1 month',
  quarter: '3 months',
  year: '1 year',
  decade: '10 years',
};

/**
 * Events recorded per knowledge-time bucket, in the finest unit that gives at most `maxBuckets`. Knowledge
 * time never goes backwards along the log and positions have no gaps, so each bucket is the run of
 * positions from the first one recorded in it to the first one recorded in the next: one index probe
 * on `recorded_at` per bucket, whatever the length of the log.
 */
export async function logHistogram(executor: SqlExecutor, maxBuckets: number): Promise<LogHistogramResponse> {
  const { rows: ends } = await executor.query<{ head: number; first: Date | null; last: Date | null }>(
    `SELECT h.position AS head, (SELECT recorded_at FROM events ORDER BY position LIMIT 1) AS first,
            (SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1) AS last
     FROM log_head h`,
  );
  const head = Number(ends[0]?.head ?? 0);
  const { first, last } = ends[0] ?? {};
  if (head === 0 || !first || !last) return { head, unit: 'second', rows: [] };
  const unit = bucketUnitFor(
    new Date(first).getTime(),
    new Date(last).getTime(),
    maxBuckets,
    HISTOGRAM_UNITS,
  );
  const { rows } = await executor.query<{ b: Date; first_position: number | null }>(
    `SELECT b, (SELECT min(position) FROM events
                WHERE recorded_at = (SELECT min(recorded_at) FROM events WHERE recorded_at >= b)) AS first_position
     FROM (SELECT g AT TIME ZONE 'UTC' AS b
           FROM generate_series(date_trunc('${unit}', $1::timestamptz AT TIME ZONE 'UTC'),
                                $2::timestamptz AT TIME ZONE 'UTC', '${INTERVAL[unit]}'::interval) g) buckets
     ORDER BY b`,
    [new Date(first).toISOString(), new Date(last).toISOString()],
  );
  const out: LogHistogramResponse['rows'] = [];
  rows.forEach((row, index) => {
    if (row.first_position === null) return;
    const firstPosition = Number(row.first_position);
    const next = rows[index + 1]?.first_position;
    const lastPosition = next === undefined || next === null ? head : Number(next) - 1;
    if (lastPosition < firstPosition) return;
    const startMs = new Date(row.b).getTime();
    out.push({
      start: new Date(startMs).toISOString(),
      end: new Date(bucketEndMs(startMs, unit)).toISOString(),
      count: lastPosition - firstPosition + 1,
      firstPosition,
      lastPosition,
    });
  });
  return { head, unit, rows: out };
}
