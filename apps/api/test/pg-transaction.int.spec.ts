import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineParams } from '../src/event-store/inline-params.js';
import { createPgClient } from '../src/event-store/pg-client.js';
import type { SqlClient } from '../src/event-store/sql-client.js';
import { createTestDatabase } from './support/postgres.js';

describe('inlineParams', () => {
  it('writes each placeholder as a quoted literal, NULL as NULL', () => {
    expect(
      inlineParams('SELECT $1::int + $2, $3 IS NULL, $10', [1, '2', null, 4, 5, 6, 7, 8, 9, 'ten']),
    ).toBe('SELECT $v$1$v$::int + $v$2$v$, NULL IS NULL, $v$ten$v$');
  });

  it('leaves quoted text and comments alone', () => {
    expect(inlineParams(`SELECT '$1', "$1", $1 -- $1\n/* $1 */ , 'it''s $2'`, ['x'])).toBe(
      `SELECT '$1', "$1", $v$x$v$ -- $1\n/* $1 */ , 'it''s $2'`,
    );
  });

  it('gives up on what it cannot scan safely: dollar quoting, a placeholder without a value', () => {
    expect(inlineParams('DO $$ BEGIN PERFORM $1; END $$', [1])).toBeUndefined();
    expect(inlineParams('SELECT $f$x$f$, $1', [1])).toBeUndefined();
    expect(inlineParams('SELECT $2', [1])).toBeUndefined();
    expect(inlineParams("SELECT 'unterminated", [])).toBeUndefined();
    expect(inlineParams('SELECT a$1 FROM t', [1])).toBeUndefined(); // an identifier, not a placeholder
  });

  it('leaves large values as parameters', () => {
    expect(inlineParams('SELECT $1, $2', ['x'.repeat(5000), 'y'.repeat(5000)])).toBeUndefined();
    expect(inlineParams('SELECT $1', ['x'.repeat(5000)])).toBe(`SELECT $v$${'x'.repeat(5000)}$v$`);
  });

  it('picks a dollar-quote tag the value cannot end early, its own end included', () => {
    expect(inlineParams('SELECT $1', ['has $v$ inside'])).toBe('SELECT $v1$has $v$ inside$v1$');
    expect(inlineParams('SELECT $1', ['ends in $v'])).toBe('SELECT $v1$ends in $v$v1$');
    expect(inlineParams('SELECT $1', ['ends in $'])).toBe('SELECT $v$ends in $$v$');
  });
});

describe('a pg transaction whose BEGIN travels with its first statement', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: SqlClient;
  let raw: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase('pgtx');
    sql = await createPgClient(db.url, { max: 2 });
    raw = new pg.Client({ connectionString: db.url });
    await raw.connect();
    await raw.query(
      'CREATE TABLE t (id int PRIMARY KEY, doc jsonb, tags text[], blob bytea, at timestamptz)',
    );
  });
  afterAll(async () => {
    await raw?.end();
    await sql?.close();
    await db?.drop();
  });

  // Values a parameter can hold, the awkward ones included: quotes, backslashes, a `$1` inside text,
  // unicode, an array with quotes and NULL, JSON with escapes, bytes, a date.
  const awkward = [
    7,
    JSON.stringify({
      quote: 'it\'s "here"',
      backslash: 'a\\b',
      dollar: '$1 $$ $v$ $v1$',
      emoji: 'तकनीक 🤝',
      end: '$v',
    }),
    ["o'k", 'a"b', null, 'back\\slash', '$v$'],
    Buffer.from([0, 1, 0xfe, 0xff]),
    new Date('2024-07-24T10:00:00.000Z'),
  ];

  it('stores and reads back exactly what a parameterised statement does', async () => {
    const inserted = await sql.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: number; doc: unknown; tags: string[]; blob: Buffer; at: Date }>(
        'INSERT INTO t (id, doc, tags, blob, at) VALUES ($1, $2::jsonb, $3::text[], $4, $5) RETURNING *',
        awkward,
      );
      return rows[0]!;
    });
    const { rows } = await raw.query('SELECT * FROM t WHERE id = $1', [7]);
    expect(inserted).toEqual(rows[0]);
    expect(rows[0]).toEqual({
      id: 7,
      doc: JSON.parse(awkward[1] as string),
      tags: ["o'k", 'a"b', null, 'back\\slash', '$v$'],
      blob: Buffer.from([0, 1, 0xfe, 0xff]),
      at: new Date('2024-07-24T10:00:00.000Z'),
    });
  });

  it('rolls back everything when a later statement fails, and the connection serves the next transaction', async () => {
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES ($1)', [8]);
        await tx.query('INSERT INTO t (id) VALUES ($1)', [7]); // duplicate key
      }),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES ($1::int / 0)', [9]); // fails in the first message
      }),
    ).rejects.toThrow(/division by zero/);
    const { rows } = await raw.query<{ id: number }>('SELECT id FROM t ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([7]);
    // Both pool connections are healthy and outside any transaction.
    for (let i = 0; i < 4; i++) {
      expect(
        await sql.transaction(async (tx) => (await tx.query('SELECT txid_current_if_assigned() AS x')).rows),
      ).toEqual([{ x: null }]);
    }
  });

  it('is one transaction: a second session sees nothing until commit', async () => {
    let seenInside: number | undefined;
    await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id) VALUES ($1)', [10]);
      seenInside = (await raw.query('SELECT count(*)::int AS n FROM t WHERE id = 10')).rows[0].n;
    });
    expect(seenInside).toBe(0);
    expect((await raw.query('SELECT count(*)::int AS n FROM t WHERE id = 10')).rows[0].n).toBe(1);
  });

  it('still runs a statement it cannot inline (dollar quoting), and a transaction with no statement', async () => {
    const { rows } = await sql.transaction((tx) =>
      tx.query<{ n: number }>(`SELECT $1::int + length($q$it's$q$) AS n`, [1]),
    );
    expect(rows).toEqual([{ n: 5 }]);
    await expect(sql.transaction(async () => 'nothing')).resolves.toBe('nothing');
  });

  it('sends BEGIN with the first statement and COMMIT with the last: two messages for a two-statement transaction', async () => {
    const sent: string[] = [];
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = args[0];
      sent.push(typeof text === 'string' ? text : String((text as { text?: string }).text));
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const rows = await sql.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id, doc) VALUES ($1, $2::jsonb)', [20, '{"a":"it\'s"}']);
        return (
          await tx.queryLast<{ id: number }>('UPDATE t SET id = $1 WHERE id = $2 RETURNING id', [21, 20])
        ).rows;
      });
      expect(rows).toEqual([{ id: 21 }]);
    } finally {
      pg.Client.prototype.query = original;
    }
    expect(sent).toEqual([
      `BEGIN;\nINSERT INTO t (id, doc) VALUES ($v$20$v$, $v\${"a":"it's"}$v$::jsonb)`,
      `UPDATE t SET id = $v$21$v$ WHERE id = $v$20$v$ RETURNING id;\nCOMMIT`,
    ]);
    expect((await raw.query('SELECT doc FROM t WHERE id = 21')).rows).toEqual([{ doc: { a: "it's" } }]);
  });

  it('queryLast commits; nothing may follow it; a failing last statement rolls the whole transaction back', async () => {
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES ($1)', [30]);
        await tx.queryLast('INSERT INTO t (id) VALUES ($1)', [31]);
        await tx.query('INSERT INTO t (id) VALUES ($1)', [32]);
      }),
    ).rejects.toThrow(/committed by queryLast/);
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES ($1)', [33]);
        await tx.queryLast('INSERT INTO t (id) VALUES ($1)', [7]); // duplicate key: no COMMIT runs
      }),
    ).rejects.toThrow(/duplicate key/);
    // A transaction of one statement needs neither BEGIN nor COMMIT.
    await sql.transaction((tx) => tx.queryLast('INSERT INTO t (id) VALUES ($1)', [34]));
    const { rows } = await raw.query<{ id: number }>('SELECT id FROM t WHERE id >= 30 ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([30, 31, 34]);
    expect(
      await sql.transaction(async (tx) => (await tx.query('SELECT txid_current_if_assigned() AS x')).rows),
    ).toEqual([{ x: null }]);
  });
});
