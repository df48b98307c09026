import pg from 'pg';
import type { LockHandle, SqlClient, SqlExecutor } from './sql-client.js';

/** int8 (positions) arrive as strings from `pg`; they stay far below 2^53, so parse them as numbers. */
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export async function createPgClient(
  connectionString: string,
  options: { max?: number } = {},
): Promise<SqlClient> {
  const lockClients = new Set<pg.Client>();
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, application_name: 'timeline-api' });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined);
  await pool.query('select 1');
  const listeners = new Set<pg.PoolClient>();

  return {
    kind: 'pg',
    query: async (text, params) => pool.query(text, params as unknown[]) as never,
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          query: async (text, params) => client.query(text, params as unknown[]) as never,
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      const client = await pool.connect();
      listeners.add(client);
      const handler = (message: pg.Notification) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      };
      client.on('notification', handler);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        if (!listeners.delete(client)) return;
        client.off('notification', handler);
        await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
        client.release();
      };
    },
    async tryLock(key: number): Promise<LockHandle | null> {
      // A dedicated connection, outside the pool: the lock must not be released by pool recycling.
      // Keepalive probes end a connection whose peer vanished, so the lock's loss is noticed by the OS too.
      const client = new pg.Client({
        connectionString,
        application_name: 'timeline-api-lock',
        keepAlive: true,
        keepAliveInitialDelayMillis: 5_000,
      });
      let markLost: () => void = () => undefined;
      const lost = new Promise<void>((resolve) => {
        markLost = resolve;
      });
      client.on('error', () => markLost());
      client.on('end', () => markLost());
      try {
        await client.connect();
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($1) AS locked',
          [key],
        );
        if (!rows[0]?.locked) {
          await client.end();
          return null;
        }
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      lockClients.add(client);
      return {
        lost,
        async check(timeoutMs: number) {
          let timer: NodeJS.Timeout | undefined;
          const held = await Promise.race([
            client
              .query<{ held: boolean }>(
                `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
                   AND objid = $1 AND granted) AS held`,
                [key],
              )
              .then((r) => r.rows[0]?.held === true)
              .catch(() => false),
            new Promise<boolean>((resolve) => {
              timer = setTimeout(() => resolve(false), timeoutMs);
            }),
          ]);
          clearTimeout(timer);
          if (!held) {
            markLost();
            lockClients.delete(client);
            void client.end().catch(() => undefined);
          }
          return held;
        },
        async release() {
          if (!lockClients.delete(client)) return;
          await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
          await client.end().catch(() => undefined);
        },
      };
    },
    async close() {
      for (const client of lockClients) await client.end().catch(() => undefined);
      lockClients.clear();
      for (const client of listeners) client.release();
      listeners.clear();
      await pool.end();
    },
  };
}
