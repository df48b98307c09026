/**
 * The little SQL surface the event store needs, so one implementation (and one schema) serves both
 * PostgreSQL through `pg` and embedded PGlite.
 */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
}

/** A transaction's statements, and a way to send its last one with the COMMIT. */
export interface TransactionExecutor extends SqlExecutor {
  /**
   * The transaction's last statement: on PostgreSQL its COMMIT goes in the same message (one round
   * trip less; a single-statement transaction needs neither BEGIN nor COMMIT). Nothing may be sent
   * after it; the transaction is committed when it answers.
   */
  queryLast<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<{ rows: Row[] }>;
}

export interface SqlClient extends SqlExecutor {
  readonly kind: 'pg' | 'pglite';
  /**
   * Runs `work` in one transaction on one connection; rolls back if it throws. On PostgreSQL, BEGIN
   * travels with the first statement and COMMIT with `queryLast`'s, where their values can be written
   * as literals (`inline-params.ts`).
   */
  transaction<T>(work: (tx: TransactionExecutor) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; returns a function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Takes a session-level advisory lock without waiting. Returns null when another session holds it.
   * The lock lives as long as its connection: if the process dies, PostgreSQL releases it and another
   * instance can take over. `lost` settles when the connection holding the lock goes away.
   */
  tryLock(key: number): Promise<LockHandle | null>;
  close(): Promise<void>;
}

export interface LockHandle {
  readonly lost: Promise<void>;
  release(): Promise<void>;
  /**
   * Asks the server whether this session still holds the lock, within `timeoutMs`; false (and `lost`
   * resolved) when it does not or does not answer. A half-open connection raises no event: only asking finds it.
   */
  check?(timeoutMs: number): Promise<boolean>;
}
