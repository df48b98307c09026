import {
  applyToTimeline,
  compareItems,
  type DomainEventEnvelope,
  matchesTimelineFilter,
  type TimelineFilter,
  type TimelineItem,
  validTimeBounds,
} from '@timeline/shared-types';
import type { SqlClient, SqlExecutor } from '../event-store/sql-client.js';

/** The tables a read model lives in. Names are ours, never input: they are spliced into SQL. */
export interface ReadModelTables {
  items: string;
  projected: string;
}

export const LIVE_READ_MODEL_TABLES: ReadModelTables = {
  items: 'timeline_items',
  projected: 'projected_events',
};

/**
 * The timeline read model: one row per fact with its corrections applied (the shared fold of
 * shared-types), plus the set of log positions already projected, which makes every redelivery and
 * every duplicate on the topic a no-op.
 */
export class TimelineReadModel {
  constructor(
    private readonly sql: SqlClient,
    /** The live tables unless given: a rebuild folds into tables of its own beside them, then swaps. */
    private readonly tables: ReadModelTables = LIVE_READ_MODEL_TABLES,
  ) {}

  /**
   * Applies events in the order given (per-partition order keeps a correction after its fact) in one
   * transaction, together with `extra` (the consumer's offsets). Returns the positions newly applied.
   */
  async apply(
    events: readonly DomainEventEnvelope[],
    extra?: (tx: SqlExecutor) => Promise<void>,
  ): Promise<number[]> {
    return this.sql.transaction(async (tx) => {
      const applied = await this.applyWithin(tx, events);
      if (extra) await extra(tx);
      return applied;
    });
  }

  /** `apply` inside a transaction the caller holds (a rebuild catches up under its lock this way). */
  async applyWithin(tx: SqlExecutor, events: readonly DomainEventEnvelope[]): Promise<number[]> {
    if (events.length === 0) return [];
    const { items: itemsTable, projected } = this.tables;
    const { rows: fresh } = await tx.query<{ position: number }>(
      `INSERT INTO ${projected} (position, event_id)
       SELECT position, event_id FROM jsonb_to_recordset($1::jsonb) AS x(position bigint, event_id uuid)
       ON CONFLICT (position) DO NOTHING
       RETURNING position`,
      [JSON.stringify(events.map((e) => ({ position: e.position, event_id: e.eventId })))],
    );
    const freshPositions = new Set(fresh.map((r) => r.position));
    const toApply = events.filter((e) => freshPositions.has(e.position));
    if (toApply.length === 0) return [];

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
    const changed = new Set<string>();
    for (const event of toApply) {
      const change = applyToTimeline(items, event);
      if (change.kind !== 'ignored') changed.add(change.item.id);
    }
    if (changed.size > 0) {
      const rows = [...changed].map((id) => {
        const item = items.get(id)!;
        return {
          id: item.id,
          position: item.position,
          last_position: item.lastPosition,
          stream_id: item.streamId,
          type: item.type,
          retracted: item.retracted,
          valid_from: new Date(validTimeBounds(item.occurredAt).startMs).toISOString(),
          item,
        };
      });
      await tx.query(
        `INSERT INTO ${itemsTable} (id, position, last_position, stream_id, type, retracted, valid_from, item)
         SELECT id, position, last_position, stream_id, type, retracted, valid_from, item
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, position bigint, last_position bigint, stream_id text,
              type text, retracted boolean, valid_from timestamptz, item jsonb)
         ON CONFLICT (id) DO UPDATE SET last_position = EXCLUDED.last_position, retracted = EXCLUDED.retracted,
              valid_from = EXCLUDED.valid_from, item = EXCLUDED.item`,
        [JSON.stringify(rows)],
      );
    }
    return toApply.map((e) => e.position);
  }

  /** The highest position N such that every position 1..N is in the read model. */
  async watermark(executor: SqlExecutor = this.sql): Promise<number> {
    const { projected } = this.tables;
    const { rows } = await executor.query<{ watermark: number }>(
      `SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM ${projected} WHERE position = 1) THEN 0
              ELSE (SELECT MIN(p.position) FROM ${projected} p
                    WHERE NOT EXISTS (SELECT 1 FROM ${projected} q WHERE q.position = p.position + 1))
              END AS watermark`,
    );
    return rows[0]?.watermark ?? 0;
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
