import type { SqlExecutor } from '../event-store/sql-client.js';

/** Adds a parameter to the statement being built and returns its placeholder (`$3`). */
export type Param = (value: unknown) => string;

/** Data-modifying statements (INSERT, UPDATE… without RETURNING) that go out together; `param` names their parameters. */
export type Writes = (param: Param) => string[];

/**
 * Sends a batch's writes as ONE statement, each a data-modifying CTE: one round trip to the database
 * instead of one per write, which is most of what a projector batch of one event costs. They run on
 * one snapshot: none sees another's rows (PostgreSQL's rule for data-modifying CTEs), so writes given
 * together must not need to; two that touch the same row of a table must not be given together.
 */
export async function writeTogether(tx: SqlExecutor, ...writes: Writes[]): Promise<void> {
  const values: unknown[] = [];
  const param: Param = (value) => {
    values.push(value);
    return `$${values.length}`;
  };
  const statements = writes.flatMap((write) => write(param));
  if (statements.length === 0) return;
  if (statements.length === 1) {
    await tx.query(statements[0]!, values);
    return;
  }
  await tx.query(`WITH ${statements.map((s, i) => `w${i} AS (${s})`).join(',\n')} SELECT 1`, values);
}
