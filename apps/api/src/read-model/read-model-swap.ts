import type { SqlClient, SqlExecutor } from '../event-store/sql-client.js';
import { LIVE_READ_MODEL_TABLES, type ReadModelTables } from './timeline-read-model.js';

/** Where a rebuild folds, beside the live tables, before it swaps them in. */
export const NEXT_READ_MODEL_TABLES: ReadModelTables = {
  items: 'timeline_items_next',
  projected: 'projected_events_next',
  watermark: 'projected_watermark_next',
  versions: 'timeline_item_versions_next',
  months: 'timeline_month_counts_next',
  actorMonths: 'timeline_month_actor_counts_next',
};
const OLD_TABLES: ReadModelTables = {
  items: 'timeline_items_old',
  projected: 'projected_events_old',
  watermark: 'projected_watermark_old',
  versions: 'timeline_item_versions_old',
  months: 'timeline_month_counts_old',
  actorMonths: 'timeline_month_actor_counts_old',
};
const TABLE_KEYS = ['items', 'projected', 'watermark', 'versions', 'months', 'actorMonths'] as const;

/** Empty next tables with the live tables' exact shape (`LIKE … INCLUDING ALL`), watermark at 0. */
export async function prepareNextTables(sql: SqlClient): Promise<void> {
  await dropNextTables(sql);
  await sql.transaction(async (tx) => {
    for (const key of TABLE_KEYS) {
      await tx.query(
        `CREATE TABLE ${NEXT_READ_MODEL_TABLES[key]} (LIKE ${LIVE_READ_MODEL_TABLES[key]} INCLUDING ALL)`,
      );
    }
    await tx.query(`INSERT INTO ${NEXT_READ_MODEL_TABLES.watermark} (position) VALUES (0)`);
  });
}

export async function dropNextTables(sql: SqlExecutor): Promise<void> {
  await sql.query(`DROP TABLE IF EXISTS ${TABLE_KEYS.map((key) => NEXT_READ_MODEL_TABLES[key]).join(', ')}`);
}

/**
 * Locks the live tables for the rest of `tx`. The projector's first statement locks the watermark row
 * and inserts into projected_events, then it writes timeline_items; readers read the watermark, then
 * timeline_items. Locking in that order means neither can hold one of them while waiting for us.
 */
export async function lockLiveTables(sql: SqlClient, tx: SqlExecutor): Promise<void> {
  // Readers queue behind the lock while it waits: give up (and fail the rebuild) rather than stall them.
  if (sql.kind === 'pg') await tx.query(`SET LOCAL lock_timeout = '30s'`);
  const { watermark, projected, items, versions, months, actorMonths } = LIVE_READ_MODEL_TABLES;
  await tx.query(
    `LOCK TABLE ${watermark}, ${projected}, ${items}, ${versions}, ${months}, ${actorMonths} IN ACCESS EXCLUSIVE MODE`,
  );
}

/**
 * Renames next → live (and live → old, dropped; the watermark goes with its tables), then gives the
 * new indexes the old indexes' names, so later migrations find them.
 */
export async function swapInNextTables(tx: SqlExecutor): Promise<void> {
  for (const key of TABLE_KEYS) {
    const live = LIVE_READ_MODEL_TABLES[key];
    const oldIndexes = await indexesOf(tx, live);
    await tx.query(`ALTER TABLE ${live} RENAME TO ${OLD_TABLES[key]}`);
    await tx.query(`ALTER TABLE ${NEXT_READ_MODEL_TABLES[key]} RENAME TO ${live}`);
    await tx.query(`DROP TABLE ${OLD_TABLES[key]}`);
    const newIndexes = await indexesOf(tx, live);
    for (const [shape, name] of newIndexes) {
      const wanted = oldIndexes.get(shape);
      if (wanted && wanted !== name)
        await tx.query(`ALTER INDEX ${quoteIdent(name)} RENAME TO ${quoteIdent(wanted)}`);
    }
  }
}

/** A table's indexes by shape (uniqueness, method and columns, without names) → index name. */
async function indexesOf(tx: SqlExecutor, table: string): Promise<Map<string, string>> {
  const { rows } = await tx.query<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = $1::regclass`,
    [table],
  );
  const byShape = new Map<string, string>();
  for (const { name, def } of rows) {
    const unique = /^CREATE UNIQUE INDEX/i.test(def);
    const using = def.slice(def.indexOf(' USING ') + 1);
    byShape.set(`${unique ? 'unique ' : ''}${using}`, name);
  }
  return byShape;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
