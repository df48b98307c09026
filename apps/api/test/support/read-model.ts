/**
 * Comparing a read model with a fold of the store, row by row: what a rebuild (from the store or from
 * Kafka) and the projector must both produce.
 */
import { isDeepStrictEqual } from 'node:util';
import { applyToTimeline, readStoredEnvelope, type TimelineItem } from '@timeline/shared-types';
import { expect } from 'vitest';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import type { SqlClient } from '../../src/event-store/sql-client.js';
import { itemRow } from '../../src/read-model/item-row.js';

/** The read model's rows in id order, page by page, as comparable values. */
export async function* readModelRows(
  sql: SqlClient,
): AsyncGenerator<{ id: string; row: Record<string, unknown> }> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql.query<{
      id: string;
      position: number;
      last_position: number;
      stream_id: string;
      type: string;
      retracted: boolean;
      valid_from: Date | string;
      valid_to: Date | string;
      pillars: string[];
      actors: string[];
      search: string;
      item: TimelineItem;
    }>(
      `SELECT id::text AS id, position, last_position, stream_id, type, retracted, valid_from, valid_to, pillars,
              actors, search, item
       FROM timeline_items WHERE id > $1::uuid ORDER BY id LIMIT 5000`,
      [after],
    );
    for (const r of rows) {
      yield {
        id: r.id,
        row: {
          ...r,
          valid_from: new Date(r.valid_from).toISOString(),
          valid_to: new Date(r.valid_to).toISOString(),
        },
      };
    }
    if (rows.length < 5000) return;
    after = rows[rows.length - 1]!.id;
  }
}

export function expectedRow(item: TimelineItem): Record<string, unknown> {
  // Through JSON, as the row went into jsonb: absent optional fields are dropped, not undefined.
  return JSON.parse(JSON.stringify(itemRow(item)));
}

/** Compares the live read model with a fold of the whole store, row by row; returns the rows compared. */
export async function expectReadModelEqualsFold(store: EventStore, sql: SqlClient): Promise<number> {
  const folded = new Map<string, TimelineItem>();
  for await (const e of store.readLog({}, 5000)) applyToTimeline(folded, readStoredEnvelope(e));
  const ids = [...folded.keys()].sort();
  let index = 0;
  for await (const { id, row } of readModelRows(sql)) {
    expect(id).toBe(ids[index]);
    const expected = expectedRow(folded.get(id)!);
    if (!isDeepStrictEqual(row, expected)) expect(row).toEqual(expected);
    index += 1;
  }
  expect(index).toBe(ids.length);
  return index;
}
