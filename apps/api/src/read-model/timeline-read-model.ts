import {
  applyToTimeline,
  compareItems,
  type DomainEventEnvelope,
  matchesTimelineFilter,
  type TimelineFilter,
  type TimelineItem,
} from '@timeline/shared-types';
import type { SqlClient, SqlExecutor } from '../event-store/sql-client.js';
import { type Param, type Writes, writeTogether, writeTogetherReturning } from './batched-writes.js';
import { type ItemVersion, itemVersionWrites } from './item-versions.js';
import { RollupDelta } from './timeline-rollups.js';

/** The tables a read model lives in. Names are ours, never input: they are spliced into SQL. */
export interface ReadModelTables {
  items: string;
  projected: string;
  /** One row: the highest position N such that 1..N are all in `projected` (migration 4). */
  watermark: string;
  /** Every state of every item, by the log positions it held for (migration 10). */
  versions: string;
  /** Counts of current items per month of valid time, by type and pillars, and by actor (migration 11). */
  months: string;
  actorMonths: string;
}

export const LIVE_READ_MODEL_TABLES: ReadModelTables = {
  items: 'timeline_items',
  projected: 'projected_events',
  watermark: 'projected_watermark',
  versions: 'timeline_item_versions',
  months: 'timeline_month_counts',
  actorMonths: 'timeline_month_actor_counts',
};

/**
 * The first hole in `projected` above `$1`, minus one: the end of the contiguous run that starts
 * at `$1 + 1` (the caller knows that row exists). The primary key walks the run in order and stops
 * at its end, so the cost is the run's length, not the table's.
 */
function runEndSql(projected: string, after: string): string {
  return `SELECT p.position FROM ${projected} p
          WHERE p.position > ${after} AND NOT EXISTS (SELECT 1 FROM ${projected} q WHERE q.position = p.position + 1)
          ORDER BY p.position LIMIT 1`;
}

/**
 * The timeline read model: one row per fact with its corrections applied (the shared fold of
 * shared-types), plus the set of log positions already projected, which makes every redelivery and
 * every duplicate on the topic a no-op, plus the watermark (highest contiguous projected position),
 * kept in the same transaction so that reading it is one row, whatever the size of the model.
 */
export class TimelineReadModel {
  /** The watermark as of this instance's last committed `apply` (undefined until one moved it). */
  lastWatermark: number | undefined;

  constructor(
    private readonly sql: SqlClient,
    /** The live tables unless given: a rebuild folds into tables of its own beside them, then swaps. */
    private readonly tables: ReadModelTables = LIVE_READ_MODEL_TABLES,
  ) {}

  /**
   * Applies events in the order given (per-partition order keeps a correction after its fact) in one
   * transaction, together with `extra` (the consumer's offsets). Returns the positions newly applied.
   */
  async apply(events: readonly DomainEventEnvelope[], extra?: Writes): Promise<number[]> {
    // The batch's last statement carries the COMMIT (one round trip less per batch).
    const result = await this.sql.transaction((tx) =>
      this.applyBatch(tx, events, extra, { query: (text, params) => tx.queryLast(text, params) }),
    );
    if (result.watermark !== undefined) this.lastWatermark = result.watermark;
    return result.applied;
  }

  /** `apply` inside a transaction the caller holds (a rebuild catches up under its lock this way). */
  async applyWithin(tx: SqlExecutor, events: readonly DomainEventEnvelope[]): Promise<number[]> {
    return (await this.applyBatch(tx, events, undefined, tx)).applied;
  }

  private async applyBatch(
    tx: SqlExecutor,
    events: readonly DomainEventEnvelope[],
    extra: Writes | undefined,
    /** Sends the batch's last statement: the transaction's own end when `apply` holds it. */
    last: SqlExecutor,
  ): Promise<{ applied: number[]; watermark?: number }> {
    if (events.length === 0) {
      if (extra) await writeTogether(last, extra);
      return { applied: [] };
    }
    const { items: itemsTable } = this.tables;
    const { current, fresh: freshPositions } = await this.recordPositions(tx, events);
    const toApply = events.filter((e) => freshPositions.has(e.position));
    if (toApply.length === 0) {
      if (extra) await writeTogether(last, extra);
      return { applied: [] };
    }

    const targets = toApply.flatMap((e) =>
      e.type === 'EventCorrected'
        ? [e.data.correctedEventId]
        : e.type === 'EventRetracted'
          ? [e.data.retractedEventId]
          : [],
    );
    const items = new Map<string, TimelineItem>();
    if (targets.length > 0) {
      const { rows } = await tx.query<{ item: TimelineItem }>(
        `SELECT item FROM ${itemsTable} WHERE id = ANY($1::uuid[])`,
        [[...new Set(targets)]],
      );
      for (const { item } of rows) items.set(item.id, item);
    }
    const before = new Map(items);
    const changed = new Set<string>();
    const versions: ItemVersion[] = [];
    for (const event of toApply) {
      const change = applyToTimeline(items, event);
      if (change.kind === 'ignored') continue;
      changed.add(change.item.id);
      versions.push({ fromPosition: event.position, item: change.item });
    }
    const writes: Writes[] = [];
    if (changed.size > 0) {
      const delta = new RollupDelta();
      for (const id of changed) delta.change(before.get(id), items.get(id)!);
      writes.push(itemVersionWrites(this.tables, versions), delta.writes(this.tables));
    }
    if (extra) writes.push(extra);
    const next = await this.advanceWatermark(last, current, freshPositions, writes);
    return { applied: toApply.map((e) => e.position), watermark: next };
  }

  /**
   * Records positions as projected without folding them (dead letters: the projector gave up on them),
   * so the watermark can pass them. Returns the positions newly recorded.
   */
  async skipWithin(
    tx: SqlExecutor,
    entries: readonly { position: number; eventId: string }[],
  ): Promise<number[]> {
    if (entries.length === 0) return [];
    const { current, fresh } = await this.recordPositions(tx, entries);
    this.lastWatermark = await this.advanceWatermark(tx, current, fresh);
    return [...fresh];
  }

  /** Takes the watermark's lock, as every projector batch does: what the read model holds stays put until commit. */
  async lockWithin(tx: SqlExecutor): Promise<void> {
    await tx.query(`SELECT position FROM ${this.tables.watermark} FOR UPDATE`);
  }

  /**
   * Folds one item again from its history (its fact, then the corrections and retraction naming it, in
   * position order; the caller holds `lockWithin`), keeping only the positions the read model has
   * recorded: a dead letter redriven is recorded as a mark, so its event is folded in its place among
   * the others, not on top of corrections that came after it. The item's versions are written anew.
   * Returns false when the history folds to no item (its fact is not recorded).
   */
  async refoldItemWithin(tx: SqlExecutor, history: readonly DomainEventEnvelope[]): Promise<boolean> {
    if (history.length === 0) return false;
    const { rows: recorded } = await tx.query<{ position: number }>(
      `SELECT position FROM ${this.tables.projected} WHERE position = ANY($1::bigint[])`,
      [history.map((e) => e.position)],
    );
    const held = new Set(recorded.map((r) => Number(r.position)));
    const items = new Map<string, TimelineItem>();
    const versions: ItemVersion[] = [];
    for (const event of history) {
      if (!held.has(event.position)) continue;
      const change = applyToTimeline(items, event);
      if (change.kind !== 'ignored') versions.push({ fromPosition: event.position, item: change.item });
    }
    const after = versions[versions.length - 1]?.item;
    if (!after) return false;
    const { items: itemsTable, versions: versionsTable } = this.tables;
    const { rows } = await tx.query<{ item: TimelineItem }>(`SELECT item FROM ${itemsTable} WHERE id = $1`, [
      after.id,
    ]);
    await tx.query(`DELETE FROM ${versionsTable} WHERE id = $1`, [after.id]);
    const delta = new RollupDelta();
    delta.change(rows[0]?.item, after);
    await writeTogether(tx, itemVersionWrites(this.tables, versions), delta.writes(this.tables));
    return true;
  }

  /** Inserts positions into `projected` under the watermark's lock; returns the watermark before and what was new. */
  private async recordPositions(
    tx: SqlExecutor,
    events: readonly { position: number; eventId: string }[],
  ): Promise<{ current: number; fresh: Set<number> }> {
    const { projected, watermark } = this.tables;
    // The watermark row is locked by the same statement that records the positions, so projectors
    // (one per API instance, on different partitions) take turns from here to their commit. That is
    // what keeps it exact: the next holder's later statements see every position committed by the
    // previous one, so a position that fills a hole is never missed by both. One statement, one round trip.
    const { rows } = await tx.query<{ watermark: number; fresh: number[] | null }>(
      `WITH w AS (SELECT position FROM ${watermark} FOR UPDATE),
            ins AS (
              INSERT INTO ${projected} (position, event_id)
              SELECT position, event_id FROM jsonb_to_recordset($1::jsonb) AS x(position bigint, event_id uuid)
              ON CONFLICT (position) DO NOTHING
              RETURNING position)
       SELECT (SELECT position FROM w) AS watermark, (SELECT array_agg(position) FROM ins) AS fresh`,
      [JSON.stringify(events.map((e) => ({ position: e.position, event_id: e.eventId })))],
    );
    const before = rows[0]?.watermark;
    if (before === undefined || before === null)
      throw new Error(`${watermark} has no row: the store was not migrated (version 4)`);
    return { current: Number(before), fresh: new Set((rows[0]?.fresh ?? []).map(Number)) };
  }

  /**
   * Every writer advances the watermark under its lock, so position current + 1 is not in the table
   * unless this transaction brought it: otherwise (a position above a hole) there is nothing to move.
   * Redelivered positions are not fresh, so they never count twice. The batch's `writes` go in the same
   * statement (one round trip): they touch other tables, and the run of positions it reads was
   * recorded by an earlier statement of this transaction, under the same lock.
   */
  private async advanceWatermark(
    tx: SqlExecutor,
    current: number,
    fresh: Set<number>,
    writes: Writes[] = [],
  ): Promise<number> {
    const { projected, watermark } = this.tables;
    const advance = fresh.has(current + 1)
      ? (param: Param) =>
          `UPDATE ${watermark} SET position = (${runEndSql(projected, param(current))}) RETURNING position`
      : undefined;
    const moved = await writeTogetherReturning<{ position: number }>(tx, advance, ...writes);
    return advance ? Number(moved[0]!.position) : current;
  }

  /** The highest position N such that every position 1..N is in the read model: one row. */
  async watermark(executor: SqlExecutor = this.sql): Promise<number> {
    const { rows } = await executor.query<{ position: number }>(
      `SELECT position FROM ${this.tables.watermark}`,
    );
    return Number(rows[0]?.position ?? 0);
  }

  /** Items matching the filter in timeline order (valid time, then position); retracted ones hidden. */
  async items(filter: TimelineFilter = {}): Promise<{ items: TimelineItem[]; position: number }> {
    return this.sql.transaction(async (tx) => {
      const position = await this.watermark(tx);
      const { rows } = await tx.query<{ item: TimelineItem }>(
        `SELECT item FROM ${this.tables.items} WHERE ($1::boolean OR NOT retracted) ORDER BY valid_from, position`,
        [filter.includeRetracted ?? false],
      );
      const items = rows.map((r) => r.item).filter((item) => matchesTimelineFilter(item, filter));
      return { items: items.sort(compareItems), position };
    });
  }

  async count(): Promise<number> {
    const { rows } = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int8 AS n FROM ${this.tables.items}`,
    );
    return rows[0]?.n ?? 0;
  }
}
