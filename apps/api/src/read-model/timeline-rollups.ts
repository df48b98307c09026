import { type TimelineItem, validTimeBounds } from '@timeline/shared-types';
import { sqlTimestamp } from '../event-store/sql-time.js';
import type { Writes } from './batched-writes.js';

/**
 * Counts of the current (not retracted) items per month of valid time (the month an item starts in),
 * kept by the projector in the transaction that writes the items (migration 11). A zoomed-out window
 * or the overview sums a few thousand of these rows instead of counting a million items: the cost of
 * the whole range grows with the months it spans, not with the log. Two tables:
 * - by (month, type, pillar list): buckets by pillar and type, and the type and pillar facets;
 * - by (month, actor, type, pillar list): the actor facet (an item counts once per actor it names, as
 *   the scan counts), filtered by type and pillar as the buckets are.
 * Rows whose count falls to zero are kept (a month that had items); readers skip zero sums.
 */
export interface RollupTables {
  months: string;
  actorMonths: string;
}

/** The first instant of the UTC month `ms` falls in (years before 100 CE included, which `Date.UTC` maps to 19xx). */
export function monthStartMs(ms: number): number {
  const d = new Date(ms);
  const start = new Date(0);
  start.setUTCFullYear(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return start.getTime();
}

interface Key {
  month: number;
  type: string;
  pillars: readonly string[];
  actors: readonly string[];
}

const keyOf = (item: TimelineItem): Key | undefined =>
  item.retracted
    ? undefined
    : {
        month: monthStartMs(validTimeBounds(item.occurredAt).startMs),
        type: item.type,
        pillars: item.pillars,
        actors: item.actors,
      };

/** What a batch did to the counts: −1 for each item's state before the batch, +1 for its state after. */
export class RollupDelta {
  private readonly months = new Map<
    string,
    { month: number; type: string; pillars: readonly string[]; n: number }
  >();
  private readonly actors = new Map<
    string,
    { month: number; actor: string; type: string; pillars: readonly string[]; n: number }
  >();

  /** An item went from `before` (undefined: it is new) to `after`. */
  change(before: TimelineItem | undefined, after: TimelineItem): void {
    const was = before && keyOf(before);
    const now = keyOf(after);
    if (was) this.add(was, -1);
    if (now) this.add(now, 1);
  }

  private add(key: Key, by: number): void {
    const k = JSON.stringify([key.month, key.type, key.pillars]);
    const row = this.months.get(k) ?? { month: key.month, type: key.type, pillars: key.pillars, n: 0 };
    row.n += by;
    this.months.set(k, row);
    for (const actor of key.actors) {
      const a = JSON.stringify([key.month, actor, key.type, key.pillars]);
      const arow = this.actors.get(a) ?? {
        month: key.month,
        actor,
        type: key.type,
        pillars: key.pillars,
        n: 0,
      };
      arow.n += by;
      this.actors.set(a, arow);
    }
  }

  /**
   * The writes adding the delta to the tables, one statement per table, rows in key order (two writers
   * never wait for each other in opposite orders; projectors take turns on the watermark row before
   * this anyway).
   */
  writes(tables: RollupTables): Writes {
    return (param) => {
      const months = [...this.months.values()].filter((r) => r.n !== 0);
      const actors = [...this.actors.values()].filter((r) => r.n !== 0);
      const byKey = <T extends { month: number }>(a: T, b: T, rest: (x: T) => string) =>
        a.month - b.month || (rest(a) < rest(b) ? -1 : rest(a) > rest(b) ? 1 : 0);
      const statements: string[] = [];
      if (months.length > 0) {
        months.sort((a, b) => byKey(a, b, (x) => JSON.stringify([x.type, x.pillars])));
        const rows = param(JSON.stringify(months.map((r) => ({ ...r, month: sqlTimestamp(r.month) }))));
        statements.push(
          `INSERT INTO ${tables.months} (month, type, pillars, n)
         SELECT month, type, ARRAY(SELECT jsonb_array_elements_text(pillars)), n
         FROM jsonb_to_recordset(${rows}::jsonb) AS x(month timestamptz, type text, pillars jsonb, n bigint)
         ON CONFLICT (month, type, pillars) DO UPDATE SET n = ${tables.months}.n + EXCLUDED.n`,
        );
      }
      if (actors.length > 0) {
        actors.sort((a, b) => byKey(a, b, (x) => JSON.stringify([x.actor, x.type, x.pillars])));
        const rows = param(JSON.stringify(actors.map((r) => ({ ...r, month: sqlTimestamp(r.month) }))));
        statements.push(
          `INSERT INTO ${tables.actorMonths} (month, actor, type, pillars, n)
         SELECT month, actor, type, ARRAY(SELECT jsonb_array_elements_text(pillars)), n
         FROM jsonb_to_recordset(${rows}::jsonb) AS x(month timestamptz, actor text, type text, pillars jsonb, n bigint)
         ON CONFLICT (month, actor, type, pillars) DO UPDATE SET n = ${tables.actorMonths}.n + EXCLUDED.n`,
        );
      }
      return statements;
    };
  }
}
