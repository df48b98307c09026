import pg from 'pg';
import { StoreUnavailableError } from './event-store.port.js';
import { inlineParams } from './inline-params.js';
import type { LockHandle, SqlClient, TransactionExecutor } from './sql-client.js';

/** int8 (positions) arrive as strings from `pg`; they stay far below 2^53, so parse them as numbers. */
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export async function createPgClient(
  connectionString: string,
  options: { max?: number } = {},
): Promise<SqlClient> {
  const lockClients = new Set<pg.Client>();
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: 'timeline-api',
    // A server that does not answer at all (not even a refusal) fails the request instead of hanging it.
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined);
  await pool.query('select 1');
  const listeners = new Set<() => Promise<void>>();

  return {
    kind: 'pg',
    query: async (text, params) => {
      try {
        return (await pool.query(text, params as unknown[])) as never;
      } catch (error) {
        throw unavailableOr(error);
      }
    },
    async transaction<T>(work: (tx: TransactionExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect().catch((error: unknown) => {
        throw unavailableOr(error);
      });
      // A checked-out client has no pool listener: a connection lost while `work` awaits something
      // else would otherwise be an unhandled 'error' event, and end the process.
      let lost: unknown;
      const onError = (error: unknown) => {
        lost = error;
      };
      client.on('error', onError);
      const tx = new PgTransaction(client);
      try {
        const result = await work(tx);
        await tx.commit();
        return result;
      } catch (error) {
        await tx.rollback();
        lost ??= isConnectionFailure(error) ? error : undefined;
        throw unavailableOr(error);
      } finally {
        client.off('error', onError);
        // A broken connection is destroyed, not handed to the next caller.
        client.release(lost !== undefined);
      }
    },
    async listen(channel, onNotify) {
      const stop = await keepListening(pool, channel, onNotify);
      listeners.add(stop);
      return async () => {
        if (listeners.delete(stop)) await stop();
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
              // A process starved of CPU runs this timer before reading the answer already waiting in its
              // socket: setImmediate lets that I/O be read first, so a stall here is not taken for a lost lock.
              timer = setTimeout(() => setImmediate(() => resolve(false)), timeoutMs);
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
      for (const stop of listeners) await stop();
      listeners.clear();
      await pool.end();
    },
  };
}

/**
 * LISTEN on a dedicated pool connection that is re-opened (every second, until it works) when it is
 * lost, so that a database restart does not silence the notifications for the life of the process.
 * Notifications sent while it was away are lost: listeners also poll (the relay does).
 */
async function keepListening(
  pool: pg.Pool,
  channel: string,
  onNotify: (payload: string) => void,
): Promise<() => Promise<void>> {
  let client: pg.PoolClient | undefined;
  /** Gives the current connection back to the pool, once, its listeners off (it may error later, idle). */
  let giveBack: (() => void) | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const handler = (message: pg.Notification) => {
    if (message.channel === channel) onNotify(message.payload ?? '');
  };
  const open = async () => {
    const fresh = await pool.connect();
    let released = false;
    const onError = (error: Error) => {
      fresh.off('notification', handler);
      fresh.off('error', onError);
      fresh.on('error', () => undefined);
      if (client === fresh) client = undefined;
      if (released) return;
      released = true;
      fresh.release(error);
      schedule();
    };
    giveBack = () => {
      fresh.off('notification', handler);
      fresh.off('error', onError);
      if (released) return;
      released = true;
      fresh.release();
    };
    fresh.on('error', onError);
    fresh.on('notification', handler);
    try {
      await fresh.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      fresh.off('notification', handler);
      fresh.off('error', onError);
      fresh.release(error instanceof Error ? error : true);
      throw error;
    }
    if (stopped) {
      fresh.off('notification', handler);
      fresh.off('error', onError);
      fresh.release();
      return;
    }
    client = fresh;
  };
  const schedule = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      open().catch(() => schedule());
    }, 1_000);
  };
  await open();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const current = client;
    client = undefined;
    if (!current) return;
    current.off('notification', handler);
    await current.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
    // Released already if the connection failed during the UNLISTEN.
    giveBack?.();
  };
}

/**
 * One transaction on a checked-out connection, in as few round trips as its statements allow: BEGIN
 * travels with the first statement and COMMIT with the last (`queryLast`) when their parameters can be
 * written as literals (`inlineParams`), and a transaction of one statement sends neither. Otherwise
 * BEGIN and COMMIT go on their own, as they always did.
 */
class PgTransaction implements TransactionExecutor {
  private state: 'idle' | 'open' | 'committed' = 'idle';

  constructor(private readonly client: pg.PoolClient) {}

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<{ rows: Row[] }> {
    if (this.state === 'committed')
      throw new Error('this transaction was committed by queryLast: nothing may follow it');
    if (this.state === 'open') return this.client.query(text, params as unknown[]) as never;
    this.state = 'open';
    const inlined = inline(text, params);
    if (inlined === undefined) {
      await this.client.query('BEGIN');
      return this.client.query(text, params as unknown[]) as never;
    }
    return ownResult(await this.client.query(`BEGIN;\n${inlined}`), 1) as never;
  }

  async queryLast<Row>(text: string, params: readonly unknown[] = []): Promise<{ rows: Row[] }> {
    if (this.state === 'committed')
      throw new Error('this transaction was committed by queryLast: nothing may follow it');
    if (this.state === 'idle') {
      // One statement is a transaction of its own.
      const result = await this.client.query(text, params as unknown[]);
      this.state = 'committed';
      return result as never;
    }
    const inlined = inline(text, params);
    if (inlined === undefined) {
      const result = await this.client.query(text, params as unknown[]);
      await this.client.query('COMMIT');
      this.state = 'committed';
      return result as never;
    }
    const results = await this.client.query(`${inlined};\nCOMMIT`);
    this.state = 'committed';
    return ownResult(results, 0, 1) as never;
  }

  async commit(): Promise<void> {
    if (this.state === 'open') await this.client.query('COMMIT');
    this.state = 'committed';
  }

  async rollback(): Promise<void> {
    if (this.state === 'open') await this.client.query('ROLLBACK').catch(() => undefined);
  }
}

/** The statement with its values as literals, or undefined when it must go with its parameters. */
function inline(text: string, params: readonly unknown[]): string | undefined {
  if (params.length === 0) return text.includes('$') ? undefined : text;
  return inlineParams(text, params);
}

/**
 * A simple-protocol message of several statements answers with one result per statement: the
 * caller's own, without the `skipBefore` BEGIN or the `skipAfter` COMMIT around them.
 */
function ownResult(results: unknown, skipBefore: number, skipAfter = 0): pg.QueryResult | pg.QueryResult[] {
  const all = results as pg.QueryResult[];
  const own = all.slice(skipBefore, all.length - skipAfter);
  return own.length === 1 ? own[0]! : own;
}

/**
 * The connection, not the statement, failed: SQLSTATE class 08 (connection), 57P01-57P03 (the server is
 * shutting down, crashed, or not accepting connections yet), 53300 (too many connections), socket errors,
 * and what `pg` and its pool say when a connection ends or cannot be had in time.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code) || code === '53300') return true;
    if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT...
  }
  return /Connection terminated|connection (ended|closed)|not queryable|Client was closed|timeout exceeded when trying to connect|Cannot use a pool after calling end/i.test(
    error.message,
  );
}

function unavailableOr(error: unknown): unknown {
  return isConnectionFailure(error) ? new StoreUnavailableError(error) : error;
}
