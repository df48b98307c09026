import { PGlite, types } from '@electric-sql/pglite';
import { lockDataFolder } from './data-folder-lock.js';
import { createOwnerOnlyFolder, tightenToOwner } from './owner-only-files.js';
import type { LockHandle, SqlClient, TransactionExecutor } from './sql-client.js';

/**
 * Embedded PostgreSQL (WASM) in a data folder: the default store when no DATABASE_URL is set. The folder
 * is locked to this process until `close()`, and kept to its owner (0700 / 0600).
 */
export async function createPgliteClient(dataDir: string | undefined): Promise<SqlClient> {
  if (dataDir) await createOwnerOnlyFolder(dataDir);
  // Before PGlite reads a byte: a second process on the folder stops here.
  const folderLock = dataDir ? await lockDataFolder(dataDir) : undefined;
  // Positions are int8; they stay far below 2^53, so read them as numbers, as with `pg`.
  const parsers = { [types.INT8]: (value: string) => Number(value) };
  const giveUp = async (error: unknown): Promise<never> => {
    await folderLock?.release();
    throw error;
  };
  const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers }).catch(giveUp);
  // After the open: PGlite copies a new cluster in with modes of its own (0666, 0644).
  if (dataDir) {
    try {
      await tightenToOwner(dataDir);
    } catch (error) {
      await db.close();
      await giveUp(error);
    }
  }

  const heldLocks = new Set<number>();
  const closing: Array<() => void> = [];

  return {
    kind: 'pglite',
    query: async (text, params) => db.query(text, params as unknown[]) as never,
    // In-process: no round trips to save, so the last statement is sent as any other.
    transaction: <T>(work: (tx: TransactionExecutor) => Promise<T>) =>
      db.transaction((tx) => {
        const query = async (text: string, params?: readonly unknown[]) =>
          tx.query(text, params as unknown[]) as never;
        return work({ query, queryLast: query });
      }),
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
      try {
        if (!db.closed) await db.close();
      } finally {
        await folderLock?.release();
      }
    },
  };
}
