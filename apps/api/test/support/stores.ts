import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, openStorage } from '../../src/event-store/create-event-store.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import type { SqlClient } from '../../src/event-store/sql-client.js';
import { createTestDatabase } from './postgres.js';

export type StoreKind = 'postgres' | 'pglite';
export const STORE_KINDS: StoreKind[] = ['postgres', 'pglite'];

/** Opens a fresh store of the given kind: a new database on the real server, or PGlite in a temp folder. */
export async function openTestStore(
  kind: StoreKind,
  options: { now?: () => Date; poolSize?: number } = {},
): Promise<{ store: EventStore; dispose: () => Promise<void>; databaseUrl?: string; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'timeline-store-'));
  if (kind === 'pglite') {
    const store = await createEventStore({ dataDir, ...options });
    return {
      store,
      dataDir,
      async dispose() {
        await store.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const db = await createTestDatabase('store');
  const store = await createEventStore({
    databaseUrl: db.url,
    dataDir,
    poolSize: options.poolSize ?? 20,
    ...options,
  });
  return {
    store,
    dataDir,
    databaseUrl: db.url,
    async dispose() {
      await store.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh store with its SQL client (for read-model and rebuild tests): a new database, or PGlite in a temp folder. */
export async function openTestStorage(
  kind: StoreKind,
  label: string,
  now?: () => Date,
): Promise<{ sql: SqlClient; store: EventStore; dispose: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), `timeline-${label}-`));
  const db = kind === 'postgres' ? await createTestDatabase(label) : undefined;
  const { sql, store } = await openStorage({
    databaseUrl: db?.url,
    dataDir,
    poolSize: 10,
    ...(now ? { now } : {}),
  });
  return {
    sql,
    store,
    async dispose() {
      await store.close();
      await db?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
