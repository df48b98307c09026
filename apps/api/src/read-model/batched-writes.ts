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
  await writeTogetherReturning(tx, undefined, ...writes);
}

/**
 * `writeTogether`, with one more data-modifying statement whose RETURNING rows are the answer
 * (`returning` builds it with the same `param`): the projector advances its watermark in the
 * statement that writes its batch.
 */
export async function writeTogetherReturning<Row>(
  tx: SqlExecutor,
  returning: ((param: Param) => string) | undefined,
  ...writes: Writes[]
): Promise<Row[]> {
  const values: unknown[] = [];
  const param: Param = (value) => {
    values.push(value);
    return `$${values.length}`;
  };
  const statements = writes.flatMap((write) => write(param));
  const answer = returning?.(param);
  if (statements.length === 0 && answer === undefined) return [];
  if (statements.length === 0 || (statements.length === 1 && answer === undefined))
    return (await tx.query<Row>(answer ?? statements[0]!, values)).rows;
  const ctes = statements.map((s, i) => `w${i} AS (${s})`);
  if (answer === undefined) {
    await tx.query(`WITH ${ctes.join(',\n')} SELECT 1`, values);
    return [];
  }
  return (
    await tx.query<Row>(`WITH ${[...ctes, `answer AS (${answer})`].join(',\n')} SELECT * FROM answer`, values)
  ).rows;
}
