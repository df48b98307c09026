import { type BucketUnit, bucketEndMs } from '@timeline/shared-types';
import type { SqlExecutor } from '../event-store/sql-client.js';
import { sqlTimestamp } from '../event-store/sql-time.js';
import { monthStartMs } from './timeline-rollups.js';
import type { ReadModelTables } from './timeline-read-model.js';
import { bucketSql, SqlParams, selectionSql, type WindowSelection } from './timeline-window-sql.js';

/** One row of a bucket count, as the scan and the month counts both give it (see `TimelineWindowReads.buckets`). */
export interface BucketCountRow {
  kind: string;
  b: Date | null;
  g: string | null;
  type: string | null;
  pillars: string[] | null;
  n: number;
  pos: number | null;
}

/** Units the month counts add up to (a month starts each of them). */
const MONTHLY_UNITS: readonly BucketUnit[] = ['month', 'quarter', 'year', 'decade'];

/** The month after the one starting at `ms`. */
const nextMonthMs = (ms: number) => bucketEndMs(ms, 'month');

/**
 * Whether the month counts can answer a selection: the current items (not at a position), retracted
 * ones hidden, filtered by pillar and type only (the counts have no search text, stream or actor
 * column; actor filters count items, not actors).
 */
export function countsAnswer(selection: WindowSelection): boolean {
  const { filter } = selection;
  return (
    selection.at === undefined &&
    !filter.includeRetracted &&
    !filter.q &&
    !filter.actors?.length &&
    !filter.streams?.length
  );
}

function countFilters(selection: WindowSelection, params: SqlParams, alias: string): string {
  const where: string[] = [];
  if (selection.filter.pillars?.length)
    where.push(`${alias}.pillars && ${params.add(selection.filter.pillars)}::text[]`);
  if (selection.filter.types?.length)
    where.push(`${alias}.type = ANY(${params.add(selection.filter.types)}::text[])`);
  return where.map((w) => ` AND ${w}`).join('');
}

/**
 * Bucket counts (grouped by pillar) and facets of a window from the month counts: the whole months
 * inside the window from the counts, the partial months at its two edges (and the items that started
 * before it) from the items, as the scan counts them. Undefined when the counts cannot answer: a unit
 * finer than a month, a window without a whole month, or a selection `countsAnswer` refuses.
 */
export async function bucketRowsFromCounts(
  run: <Row>(text: string, params: unknown[]) => Promise<{ rows: Row[] }>,
  tables: ReadModelTables,
  selection: WindowSelection & { fromMs: number; toMs: number },
  unit: BucketUnit,
): Promise<BucketCountRow[] | undefined> {
  if (!MONTHLY_UNITS.includes(unit) || !countsAnswer(selection)) return undefined;
  const { fromMs, toMs } = selection;
  const m0 = monthStartMs(fromMs) === fromMs ? fromMs : nextMonthMs(monthStartMs(fromMs));
  const m1 = monthStartMs(toMs);
  if (m0 >= m1) return undefined;
  const params = new SqlParams();
  const from = params.add(sqlTimestamp(fromMs));
  const to = params.add(sqlTimestamp(toMs));
  const first = params.add(sqlTimestamp(m0));
  const last = params.add(sqlTimestamp(m1));
  // The items outside the whole months: those that started before the first (they count in the
  // window's first bucket, as in the scan), and those that start in the last, partial month.
  const edges = selectionSql(tables, { filter: selection.filter }, params);
  const edgeWhere = `${edges.includes(' WHERE ') ? ' AND' : ' WHERE'} (
      (tstzrange(s.valid_from, s.valid_to) && tstzrange(${from}::timestamptz, ${first}::timestamptz, '[]')
        AND s.valid_from < ${first}::timestamptz)
      OR (tstzrange(s.valid_from, s.valid_to) && tstzrange(${last}::timestamptz, ${to}::timestamptz)
        AND s.valid_from >= ${last}::timestamptz))`;
  const inside = `m.month >= ${first}::timestamptz AND m.month < ${last}::timestamptz`;
  const { rows } = await run<BucketCountRow>(
    `WITH edge AS MATERIALIZED (
       SELECT ${bucketSql(unit, `greatest(s.valid_from, ${from}::timestamptz)`)} AS b, s.type, s.pillars, s.actors,
              s.position ${edges}${edgeWhere}),
     counted AS (
       SELECT b, type, pillars, 1::int8 AS n, position AS pos FROM edge
       UNION ALL
       SELECT ${bucketSql(unit, 'm.month')}, m.type, m.pillars, m.n, NULL FROM ${tables.months} m
       WHERE ${inside}${countFilters(selection, params, 'm')})
     SELECT 'bucket' AS kind, b, NULL::text AS g, type, pillars, sum(n)::int8 AS n, min(pos) AS pos
     FROM counted GROUP BY b, type, pillars
     UNION ALL SELECT 'facet', NULL, NULL, type, pillars, sum(n)::int8, NULL FROM counted GROUP BY type, pillars
     UNION ALL SELECT 'actor', NULL, a, NULL, NULL, sum(n)::int8, NULL FROM (
       SELECT a, 1::int8 AS n FROM edge CROSS JOIN LATERAL unnest(actors) a
       UNION ALL
       SELECT m.actor, m.n FROM ${tables.actorMonths} m WHERE ${inside}${countFilters(selection, params, 'm')}
     ) x GROUP BY a`,
    params.values,
  );
  return rows.filter((r) => Number(r.n) !== 0);
}

/**
 * The positions of the items alone in their (bucket, pillar group), for buckets counted from the
 * month counts (which know counts, not items): the items of the selection starting in those buckets,
 * inside the whole months (the edges' items came with their positions).
 */
export async function positionsInBuckets(
  sql: SqlExecutor,
  tables: ReadModelTables,
  selection: WindowSelection & { fromMs: number; toMs: number },
  buckets: readonly { startMs: number; endMs: number }[],
): Promise<{ position: number; startMs: number; pillars: string[] }[]> {
  if (buckets.length === 0) return [];
  const params = new SqlParams();
  const from = selectionSql(tables, { filter: selection.filter }, params);
  const starts = params.add(buckets.map((b) => sqlTimestamp(Math.max(b.startMs, selection.fromMs))));
  const ends = params.add(buckets.map((b) => sqlTimestamp(Math.min(b.endMs, selection.toMs))));
  const { rows } = await sql.query<{ position: number; b: Date; pillars: string[] }>(
    `SELECT s.position, r.b, s.pillars
     FROM unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) AS r(b, e)
     JOIN LATERAL (SELECT s.position, s.pillars ${from}
       ${from.includes(' WHERE ') ? 'AND' : 'WHERE'} tstzrange(s.valid_from, s.valid_to) && tstzrange(r.b, r.e)
       AND s.valid_from >= r.b AND s.valid_from < r.e) s ON TRUE`,
    params.values,
  );
  return rows.map((r) => ({
    position: Number(r.position),
    startMs: new Date(r.b).getTime(),
    pillars: r.pillars,
  }));
}

/** The overview's rows (bucket, pillar list, count) from the month counts, or undefined when they cannot answer. */
export async function overviewRowsFromCounts(
  run: <Row>(text: string, params: unknown[]) => Promise<{ rows: Row[] }>,
  tables: ReadModelTables,
  filter: WindowSelection['filter'],
  unit: BucketUnit,
): Promise<{ b: Date; pillars: string[]; n: number }[] | undefined> {
  if (!MONTHLY_UNITS.includes(unit) || !countsAnswer({ filter })) return undefined;
  const params = new SqlParams();
  const { rows } = await run<{ b: Date; pillars: string[]; n: number }>(
    `SELECT ${bucketSql(unit, 'm.month')} AS b, m.pillars, sum(m.n)::int8 AS n FROM ${tables.months} m
     WHERE TRUE${countFilters({ filter }, params, 'm')} GROUP BY 1, 2 HAVING sum(m.n) <> 0 ORDER BY 1`,
    params.values,
  );
  return rows;
}
