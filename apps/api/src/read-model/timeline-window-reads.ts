import { ConflictException } from '@nestjs/common';
import {
  bucketEndMs,
  type BucketUnit,
  type Pillar,
  type TimelineBucket,
  type TimelineFacets,
  type TimelineGroupBy,
  type TimelineItem,
  type TimelineOverviewResponse,
  type TimelineWindowResponse,
  ValidationError,
  windowBucketUnit,
} from '@timeline/shared-types';
import type { SqlClient, SqlExecutor } from '../event-store/sql-client.js';
import { LIVE_READ_MODEL_TABLES, type ReadModelTables } from './timeline-read-model.js';
import {
  bucketSql,
  groupName,
  groupsSql,
  SqlParams,
  selectionSql,
  type WindowSelection,
} from './timeline-window-sql.js';
import { sqlTimestamp } from '../event-store/sql-time.js';
import {
  type BucketCountRow,
  bucketRowsFromCounts,
  overviewRowsFromCounts,
  positionsInBuckets,
} from './timeline-window-rollups.js';

/** At most this many buckets across a window, and across all valid time for the overview. */
export const WINDOW_MAX_BUCKETS = 200;
export const OVERVIEW_MAX_BUCKETS = 300;

/** The read model's position and the first position its version history answers for. */
export interface ReadModelState {
  position: number;
  historyFrom: number;
}

export interface WindowRequest extends WindowSelection {
  budget: number;
  groupBy: TimelineGroupBy;
}

type Count = Record<string, number>;
const bump = (counts: Count, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/**
 * The timeline by window (issue 12) over the read model: items when the selection fits the budget,
 * buckets otherwise; facets over the whole selection; the same at any log position through the
 * version rows. Every statement starts from an index on the valid period (and the position), so the
 * cost grows with the window, not with the log.
 */
export class TimelineWindowReads {
  private overviewKept?: { position: number; answer: TimelineOverviewResponse };

  constructor(
    private readonly sql: SqlClient,
    private readonly tables: ReadModelTables = LIVE_READ_MODEL_TABLES,
    /** Zoomed-out windows and the overview from the month counts (false: always scan the items; tests compare both). */
    private readonly useCounts = true,
  ) {}

  async state(executor: SqlExecutor = this.sql): Promise<ReadModelState> {
    const { rows } = await executor.query<{ position: number; history_from: number }>(
      `SELECT position, history_from FROM ${this.tables.watermark}`,
    );
    return { position: Number(rows[0]?.position ?? 0), historyFrom: Number(rows[0]?.history_from ?? 0) };
  }

  /**
   * A counting statement over many rows. Its row estimates (arrays unnested) are far above the truth,
   * which makes PostgreSQL compile it with JIT: seconds of compiling for a statement that runs in
   * less, so JIT is off for it.
   */
  private aggregate<Row>(text: string, params: unknown[]): Promise<{ rows: Row[] }> {
    if (this.sql.kind !== 'pg') return this.sql.query<Row>(text, params);
    return this.sql.transaction(async (tx) => {
      await tx.query('SET LOCAL jit = off');
      return tx.query<Row>(text, params);
    });
  }

  /** Refuses a position the version rows cannot answer: beyond the read model, or before its history. */
  checkPosition(state: ReadModelState, at: number, field: string): void {
    if (at > state.position)
      throw new ValidationError(
        [{ path: field, message: `is beyond the read model's position ${state.position}` }],
        'request',
      );
    if (at < state.historyFrom)
      throw new ConflictException(
        `${field}: the read model keeps history from position ${state.historyFrom} only; a rebuild (POST /api/admin/rebuild) writes all of it`,
      );
  }

  async window(request: WindowRequest, state: ReadModelState): Promise<TimelineWindowResponse> {
    if (request.at !== undefined) this.checkPosition(state, request.at, 'at');
    const range = await this.range(request);
    const position = request.at ?? state.position;
    const window = { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() };
    const base = { position, window, ...(request.at === undefined ? {} : { at: request.at }) };

    const counted = new SqlParams();
    const { rows: countRows } = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int8 AS n FROM (SELECT 1 ${selectionSql(this.tables, request, counted)}
       LIMIT ${counted.add(request.budget + 1)}) x`,
      counted.values,
    );
    if (Number(countRows[0]?.n ?? 0) <= request.budget) {
      const items = await this.items(request);
      return { ...base, mode: 'items', items, facets: facetsOf(items) };
    }
    const unit = windowBucketUnit(range.fromMs, range.toMs, WINDOW_MAX_BUCKETS);
    const { rows, facets, alone } = await this.buckets({ ...request, ...range }, unit);
    const items = alone.length > 0 ? await this.items(request, alone) : [];
    return { ...base, mode: 'buckets', items, buckets: { unit, rows }, facets };
  }

  /** The window as asked, or, where a bound is missing, as far as the items reach. */
  private async range(request: WindowSelection): Promise<{ fromMs: number; toMs: number }> {
    if (request.fromMs !== undefined && request.toMs !== undefined)
      return { fromMs: request.fromMs, toMs: request.toMs };
    const reach = await this.reach();
    const fromMs = request.fromMs ?? reach?.fromMs ?? request.toMs ?? Date.now();
    return { fromMs, toMs: Math.max(fromMs, request.toMs ?? reach?.toMs ?? fromMs) };
  }

  /** The first and last instant any current item covers (two index probes). */
  private async reach(): Promise<{ fromMs: number; toMs: number } | undefined> {
    const { items } = this.tables;
    const { rows } = await this.sql.query<{ from: Date | null; to: Date | null }>(
      `SELECT (SELECT min(valid_from) FROM ${items}) AS "from", (SELECT max(valid_to) FROM ${items}) AS "to"`,
    );
    const { from, to } = rows[0] ?? {};
    if (!from || !to) return undefined;
    return { fromMs: new Date(from).getTime(), toMs: new Date(to).getTime() };
  }

  /** The selection's items in timeline order, or only those at the given item positions. */
  private async items(selection: WindowSelection, positions?: readonly number[]): Promise<TimelineItem[]> {
    const params = new SqlParams();
    const from = selectionSql(this.tables, selection, params);
    const only = positions
      ? ` ${from.includes(' WHERE ') ? 'AND' : 'WHERE'} s.position = ANY(${params.add(positions)}::int8[])`
      : '';
    const { rows } = await this.sql.query<{ item: TimelineItem }>(
      `SELECT s.item ${from}${only} ORDER BY s.valid_from, s.position`,
      params.values,
    );
    return rows.map((r) => r.item);
  }

  /**
   * Counts per (bucket, group) with their split by type and pillar, and the facets, in one pass over
   * the selection. An item counts in the bucket where it starts, or the first one if it started
   * before the window. Returns the item positions of the buckets of one.
   */
  private async buckets(
    request: WindowRequest & { fromMs: number; toMs: number },
    unit: BucketUnit,
  ): Promise<{ rows: TimelineBucket[]; facets: TimelineFacets; alone: number[] }> {
    const byActor = request.groupBy === 'actor';
    const run = <Row>(text: string, params: unknown[]) => this.aggregate<Row>(text, params);
    const counted =
      this.useCounts && !byActor ? await bucketRowsFromCounts(run, this.tables, request, unit) : undefined;
    const rows = counted ?? (await this.scanBuckets(request, unit));
    const facets: TimelineFacets = { total: 0, pillars: {}, types: {}, actors: {} };
    const byKey = new Map<string, TimelineBucket & { pos: number }>();
    const bucketOf = (b: Date, group: string) => {
      const startMs = new Date(b).getTime();
      const key = `${startMs}|${group}`;
      let bucket = byKey.get(key);
      if (!bucket) {
        const end = new Date(bucketEndMs(startMs, unit)).toISOString();
        bucket = {
          start: new Date(startMs).toISOString(),
          end,
          group,
          count: 0,
          byPillar: {},
          byType: {},
          pos: 0,
        };
        byKey.set(key, bucket);
      }
      return bucket;
    };
    for (const row of rows) {
      const n = Number(row.n);
      const pillars = [...new Set(row.pillars ?? [])];
      if (row.kind === 'bucket') {
        const groups = byActor
          ? [groupName('actor', row.g)]
          : pillars.length > 0
            ? pillars.map((p) => groupName('pillar', p))
            : [groupName('pillar', null)];
        for (const group of groups) {
          const bucket = bucketOf(row.b!, group);
          bucket.count += n;
          bump(bucket.byType, row.type!, n);
          for (const pillar of pillars) bump(bucket.byPillar as Count, pillar, n);
          bucket.pos = Number(row.pos);
        }
      } else if (row.kind === 'facet') {
        facets.total += n;
        bump(facets.types, row.type!, n);
        for (const pillar of pillars) bump(facets.pillars as Count, pillar, n);
      } else facets.actors[row.g!] = n;
    }
    if (counted) await this.findPositionsOfOnes(request, unit, byKey);
    // Buckets of one become their items, as far as the budget goes; the rest stay rows of one.
    const buckets: TimelineBucket[] = [];
    const alone = new Set<number>();
    for (const { pos, ...bucket } of [...byKey.values()].sort((a, b) =>
      a.start === b.start ? a.group.localeCompare(b.group) : a.start < b.start ? -1 : 1,
    )) {
      if (bucket.count === 1 && pos > 0 && (alone.has(pos) || alone.size < request.budget)) alone.add(pos);
      else buckets.push(bucket);
    }
    return { rows: buckets, facets, alone: [...alone] };
  }

  /** The bucket counts by a scan of the selection (what `bucketRowsFromCounts` answers from the month counts). */
  private async scanBuckets(
    request: WindowRequest & { fromMs: number },
    unit: BucketUnit,
  ): Promise<BucketCountRow[]> {
    const params = new SqlParams();
    const selection = selectionSql(this.tables, request, params);
    const start = bucketSql(
      unit,
      `greatest(s.valid_from, ${params.add(sqlTimestamp(request.fromMs))}::timestamptz)`,
    );
    // Grouped by the pillar list as a whole (few distinct lists), then split here: no unnest per row.
    // Grouped by actor, each item is unnested into its actors. The facets come from their own
    // grouping, where each item counts once.
    const byActor = request.groupBy === 'actor';
    const { rows } = await this.aggregate<BucketCountRow>(
      `WITH sel AS MATERIALIZED (SELECT ${start} AS b, s.type, s.pillars, s.actors, s.position ${selection})
       SELECT 'bucket' AS kind, b, ${byActor ? 'g' : 'NULL::text'} AS g, type, pillars, count(*)::int8 AS n,
              min(position) AS pos
       FROM sel ${byActor ? `CROSS JOIN LATERAL ${groupsSql('actor', 'sel')} g` : ''}
       GROUP BY b, ${byActor ? 'g, ' : ''}type, pillars
       UNION ALL SELECT 'facet', NULL, NULL, type, pillars, count(*)::int8, NULL FROM sel GROUP BY type, pillars
       UNION ALL SELECT 'actor', NULL, a, NULL, NULL, count(*)::int8, NULL
       FROM sel CROSS JOIN LATERAL unnest(actors) a GROUP BY a`,
      params.values,
    );
    return rows;
  }

  /**
   * Buckets counted from the month counts know their counts, not their items: the positions of the
   * buckets of one (as many as the budget can show) are read here.
   */
  private async findPositionsOfOnes(
    request: WindowRequest & { fromMs: number; toMs: number },
    unit: BucketUnit,
    byKey: Map<string, TimelineBucket & { pos: number }>,
  ): Promise<void> {
    const ones = [...byKey.values()].filter((b) => b.count === 1 && !b.pos);
    if (ones.length === 0) return;
    const starts = [...new Set(ones.map((b) => Date.parse(b.start)))];
    const found = await positionsInBuckets(
      this.sql,
      this.tables,
      request,
      starts.map((startMs) => ({ startMs, endMs: bucketEndMs(startMs, unit) })),
    );
    for (const item of found) {
      const groups = item.pillars.length > 0 ? item.pillars.map((p) => groupName('pillar', p)) : ['other'];
      for (const group of groups) {
        const bucket = byKey.get(`${item.startMs}|${group}`);
        if (bucket?.count === 1 && !bucket.pos) bucket.pos = item.position;
      }
    }
  }

  /**
   * Density over all valid time by pillar, in one unit for the whole range (each item in the bucket
   * where it starts). Unfiltered answers are kept until the position moves.
   */
  async overview(
    filter: WindowSelection['filter'],
    state: ReadModelState,
  ): Promise<TimelineOverviewResponse> {
    const unfiltered = Object.values(filter).every(
      (v) => v === undefined || (Array.isArray(v) && v.length === 0),
    );
    if (unfiltered && this.overviewKept?.position === state.position) return this.overviewKept.answer;
    const reach = await this.reach();
    if (!reach) return { position: state.position, unit: 'year', rows: [] };
    const unit = windowBucketUnit(reach.fromMs, reach.toMs, OVERVIEW_MAX_BUCKETS);
    const run = <Row>(text: string, params: unknown[]) => this.aggregate<Row>(text, params);
    const counted = this.useCounts ? await overviewRowsFromCounts(run, this.tables, filter, unit) : undefined;
    const rows = counted
      ? counted.flatMap(({ b, pillars, n }) => [{ b, p: null, n }, ...pillars.map((p) => ({ b, p, n }))])
      : await this.scanOverview(filter, unit);
    const byStart = new Map<number, TimelineOverviewResponse['rows'][number]>();
    for (const row of rows) {
      const startMs = new Date(row.b).getTime();
      let out = byStart.get(startMs);
      if (!out) {
        out = {
          start: new Date(startMs).toISOString(),
          end: new Date(bucketEndMs(startMs, unit)).toISOString(),
          count: 0,
          byPillar: {},
        };
        byStart.set(startMs, out);
      }
      if (row.p === null) out.count += Number(row.n);
      else out.byPillar[row.p as Pillar] = (out.byPillar[row.p as Pillar] ?? 0) + Number(row.n);
    }
    const answer: TimelineOverviewResponse = {
      position: state.position,
      range: { from: new Date(reach.fromMs).toISOString(), to: new Date(reach.toMs).toISOString() },
      unit,
      rows: [...byStart.values()],
    };
    if (unfiltered) this.overviewKept = { position: state.position, answer };
    return answer;
  }

  /** The overview's rows by a scan of the items (bucket, pillar or NULL for all, count). */
  private async scanOverview(
    filter: WindowSelection['filter'],
    unit: BucketUnit,
  ): Promise<{ b: Date; p: string | null; n: number }[]> {
    const params = new SqlParams();
    const selection = selectionSql(this.tables, { filter }, params);
    const { rows } = await this.aggregate<{ b: Date; p: string | null; n: number }>(
      `WITH sel AS MATERIALIZED (SELECT ${bucketSql(unit, 's.valid_from')} AS b, s.pillars ${selection})
       SELECT b, NULL AS p, count(*)::int8 AS n FROM sel GROUP BY b
       UNION ALL SELECT b, p, count(*)::int8 FROM sel CROSS JOIN LATERAL unnest(pillars) p GROUP BY b, p
       ORDER BY b`,
      params.values,
    );
    return rows;
  }
}

/** Counts for the filter panel from the items themselves (items mode: the whole selection is at hand). */
export function facetsOf(items: readonly TimelineItem[]): TimelineFacets {
  const facets: TimelineFacets = { total: items.length, pillars: {}, types: {}, actors: {} };
  for (const item of items) {
    bump(facets.types, item.type);
    for (const pillar of new Set(item.pillars)) bump(facets.pillars as Count, pillar);
    for (const actor of new Set(item.actors)) bump(facets.actors, actor);
  }
  return facets;
}
