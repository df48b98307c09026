import { mkdir } from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import type { LockHandle, SqlClient, SqlExecutor } from './sql-client.js';

/** Embedded PostgreSQL (WASM) in a data folder: the default store when no DATABASE_URL is set. */
export async function createPgliteClient(dataDir: string | undefined): Promise<SqlClient> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  // Positions are int8; they stay far below 2^53, so read them as numbers, as with `pg`.
  const parsers = { [types.INT8]: (value: string) => Number(value) };
  const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers });

  const heldLocks = new Set<number>();
  const closing: Array<() => void> = [];

  return {
    kind: 'pglite',
    query: async (text, params) => db.query(text, params as unknown[]) as never,
    transaction: <T>(work: (tx: SqlExecutor) => Promise<T>) =>
      db.transaction((tx) =>
        work({ query: async (text, params) => tx.query(text, params as unknown[]) as never }),
      ),
    async listen(channel, onNotify) {
      const stop = await db.listen(channel, onNotify);
      return async () => {
        if (!db.closed) await stop();
      };
    },
    // One process owns a PGlite data folder, so an in-process flag is the whole lock.
    async tryLock(key: number): Promise<LockHandle | null> {
      if (heldLocks.has(key)) return null;
      heldLocks.add(key);
      let markLost: () => void = () => undefined;
      const lost = new Promise<void>((resolve) => {
        markLost = resolve;
      });
      closing.push(markLost);
      return {
        lost,
        async release() {
          heldLocks.delete(key);
        },
      };
    },
    async close() {
      for (const mark of closing) mark();
      if (!db.closed) await db.close();
    },
  };
}
