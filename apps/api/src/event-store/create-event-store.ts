import { join } from 'node:path';
import type { EventStore } from './event-store.port.js';
import { migrate } from './migrations.js';
import { createPgClient } from './pg-client.js';
import { createPgliteClient } from './pglite-client.js';
import type { SqlClient } from './sql-client.js';
import { SqlEventStore } from './sql-event-store.js';

export interface EventStoreOptions {
  /** PostgreSQL when set; embedded PGlite in `${dataDir}/pglite` otherwise. */
  databaseUrl?: string | undefined;
  dataDir: string;
  now?: () => Date;
  poolSize?: number;
}

export async function openSqlClient(
  options: Pick<EventStoreOptions, 'databaseUrl' | 'dataDir' | 'poolSize'>,
): Promise<SqlClient> {
  const client = options.databaseUrl
    ? await createPgClient(
        options.databaseUrl,
        options.poolSize === undefined ? {} : { max: options.poolSize },
      )
    : await createPgliteClient(join(options.dataDir, 'pglite'));
  try {
    await migrate(client);
  } catch (error) {
    // Releases the embedded folder's lock too, so a failed start leaves nothing held.
    await client.close().catch(() => undefined);
    throw error;
  }
  return client;
}

export async function createEventStore(options: EventStoreOptions): Promise<EventStore> {
  const client = await openSqlClient(options);
  return new SqlEventStore(client, options.now);
}

/** The store together with its SQL client, for components that keep their own tables beside it (relay, projections). */
export async function openStorage(
  options: EventStoreOptions,
): Promise<{ sql: SqlClient; store: EventStore }> {
  const sql = await openSqlClient(options);
  return { sql, store: new SqlEventStore(sql, options.now) };
}
