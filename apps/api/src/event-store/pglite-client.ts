import { mkdir } from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor } from './sql-client.js';

/** Embedded PostgreSQL (WASM) in a data folder: the default store when no DATABASE_URL is set. */
export async function createPgliteClient(dataDir: string | undefined): Promise<SqlClient> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  // Positions are int8; they stay far below 2^53, so read them as numbers, as with `pg`.
  const parsers = { [types.INT8]: (value: string) => Number(value) };
  const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers });

  return {
    kind: 'pglite',
    query: async (text, params) => db.query(text, params as unknown[]) as never,
    transaction: <T>(work: (tx: SqlExecutor) => Promise<T>) =>
      db.transaction((tx) => work({ query: async (text, params) => tx.query(text, params as unknown[]) as never })),
    async listen(channel, onNotify) {
      const stop = await db.listen(channel, onNotify);
      return async () => {
        if (!db.closed) await stop();
      };
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
