import type { TimelineItem } from '@timeline/shared-types';
import type { Writes } from './batched-writes.js';
import { itemRow } from './item-row.js';

/** One state of an item, as the event at `fromPosition` left it. */
export interface ItemVersion {
  fromPosition: number;
  item: TimelineItem;
}

/**
 * The writes of the states a batch gave its items (in the order applied; an item's events share its stream,
 * so they arrive in position order): the last one into the items table, every one into the versions
 * table, both from one JSON made once. Each state holds until the item's next one, and the state that
 * was current before the batch ends where the batch's first one starts. This is what lets "the
 * timeline at position P" be read with an index instead of folding the log up to P.
 */
export function itemVersionWrites(
  tables: { items: string; versions: string },
  versions: readonly ItemVersion[],
): Writes {
  return (param) => {
    if (versions.length === 0) return [];
    const table = tables.versions;
    const byItem = new Map<string, ItemVersion[]>();
    for (const version of versions) {
      const list = byItem.get(version.item.id) ?? [];
      list.push(version);
      byItem.set(version.item.id, list);
    }
    const firsts: { id: string; from_position: number }[] = [];
    const rows: Record<string, unknown>[] = [];
    for (const [id, list] of byItem) {
      list.sort((a, b) => a.fromPosition - b.fromPosition);
      firsts.push({ id, from_position: list[0]!.fromPosition });
      list.forEach((version, index) => {
        rows.push({
          ...itemRow(version.item),
          from_position: version.fromPosition,
          to_position: list[index + 1]?.fromPosition ?? null,
        });
      });
    }
    // One JSON for both tables: an item's last state in the batch (to_position NULL) is its current one.
    const json = param(JSON.stringify(rows));
    return [
      `INSERT INTO ${tables.items} (id, position, last_position, stream_id, type, retracted, valid_from, valid_to,
          pillars, actors, search, item)
     SELECT id, position, last_position, stream_id, type, retracted, valid_from, valid_to,
          ARRAY(SELECT jsonb_array_elements_text(pillars)), ARRAY(SELECT jsonb_array_elements_text(actors)), search, item
     FROM jsonb_to_recordset(${json}::jsonb) AS x(id uuid, position bigint, last_position bigint, stream_id text,
          type text, retracted boolean, valid_from timestamptz, valid_to timestamptz, pillars jsonb, actors jsonb,
          search text, item jsonb, to_position bigint)
     WHERE x.to_position IS NULL
     ON CONFLICT (id) DO UPDATE SET last_position = EXCLUDED.last_position, retracted = EXCLUDED.retracted,
          valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, pillars = EXCLUDED.pillars,
          actors = EXCLUDED.actors, search = EXCLUDED.search, item = EXCLUDED.item`,
      // Closes the state that was current before the batch; on one snapshot with the INSERT below, it
      // cannot see (and close) the rows that INSERT adds.
      `UPDATE ${table} v SET to_position = x.from_position
     FROM jsonb_to_recordset(${param(JSON.stringify(firsts))}::jsonb) AS x(id uuid, from_position bigint)
     WHERE v.id = x.id AND v.to_position IS NULL AND v.from_position < x.from_position`,
      `INSERT INTO ${table} (id, from_position, to_position, position, stream_id, type, retracted, valid_from,
          valid_to, pillars, actors, search, item)
     SELECT id, from_position, to_position, position, stream_id, type, retracted, valid_from, valid_to,
          ARRAY(SELECT jsonb_array_elements_text(pillars)), ARRAY(SELECT jsonb_array_elements_text(actors)), search, item
     FROM jsonb_to_recordset(${json}::jsonb) AS x(id uuid, from_position bigint, to_position bigint, position bigint,
          stream_id text, type text, retracted boolean, valid_from timestamptz, valid_to timestamptz,
          pillars jsonb, actors jsonb, search text, item jsonb)
     ON CONFLICT (id, from_position) DO NOTHING`,
    ];
  };
}
