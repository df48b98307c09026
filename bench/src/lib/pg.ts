import pg from 'pg';
import { PG_ADMIN_URL, RUN_ID } from './env.js';
import { say } from './report.js';

// int8 positions as numbers, as the store reads them.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the local PostgreSQL, named after the run; drop() removes it. */
export async function createDatabase(label: string, keep = false): Promise<BenchDatabase> {
  const name = `timeline_bench_${label}_${RUN_ID}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: databaseUrl(name),
    async drop() {
      if (keep) {
        say('cleanup', `kept database ${name}`);
        return;
      }
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A database an earlier run kept (`--keep`), by name: never dropped. */
export function existingDatabase(name: string): BenchDatabase {
  return {
    name,
    url: databaseUrl(name),
    async drop() {
      say('cleanup', `database ${name} was given: kept`);
    },
  };
}

/** The URL of database `name` on the server `PG_ADMIN_URL` points at. */
function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function postgresVersion(url: string = PG_ADMIN_URL): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return `PostgreSQL ${rows[0]?.v ?? '?'}`;
  } finally {
    await client.end();
  }
}

/** The columns of `events`, in the order the store writes them. */
export const EVENT_COLUMNS = [
  'position',
  'event_id',
  'stream_id',
  'stream_version',
  'type',
  'schema_version',
  'occurred_at',
  'valid_from',
  'valid_to',
  'recorded_at',
  'data',
  'metadata',
  'content_hash',
] as const;

/** One row of `events` as parameters: jsonb columns as JSON text, times as ISO strings. */
export type EventRowParams = [
  number,
  string,
  string,
  number,
  string,
  number,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

/** A plain multi-row INSERT (`VALUES (...), (...)`) of the rows, with the casts the columns need. */
export function multiRowInsert(
  table: string,
  rows: readonly EventRowParams[],
): { text: string; values: unknown[] } {
  const width = EVENT_COLUMNS.length;
  const tuples: string[] = [];
  const values: unknown[] = [];
  for (const [r, row] of rows.entries()) {
    const p = (i: number) => `$${r * width + i + 1}`;
    tuples.push(
      `(${p(0)}, ${p(1)}::uuid, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}::jsonb, ${p(7)}::timestamptz, ${p(8)}::timestamptz, ${p(9)}::timestamptz, ${p(10)}::jsonb, ${p(11)}::jsonb, ${p(12)})`,
    );
    values.push(...row);
  }
  return { text: `INSERT INTO ${table} (${EVENT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, values };
}
