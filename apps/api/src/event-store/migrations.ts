import type { SqlClient } from './sql-client.js';

/**
 * The schema, one list for PostgreSQL and PGlite. Applied in order at start; each entry runs once.
 *
 * `log_head` is a single row holding the last assigned position. Every append locks it for the
 * length of its transaction, so positions are handed out and committed in one order: a reader that
 * has seen position N can never later find an event below N. A sequence cannot promise that (a slow
 * transaction commits a smaller number after a faster one). It also carries the last `recorded_at`,
 * keeping knowledge time monotonic along the log, so "as of T" is always a prefix of the log.
 */
const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'event log',
    sql: `
      CREATE TABLE log_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        position bigint NOT NULL,
        recorded_at timestamptz
      );
      INSERT INTO log_head (singleton, position) VALUES (true, 0);

      CREATE TABLE streams (
        stream_id text PRIMARY KEY,
        version integer NOT NULL
      );

      CREATE TABLE events (
        position bigint PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        stream_id text NOT NULL,
        stream_version integer NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL,
        occurred_at jsonb NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_to timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        content_hash text NOT NULL,
        UNIQUE (stream_id, stream_version)
      );
      CREATE INDEX events_type_position ON events (type, position);
      CREATE INDEX events_recorded_at ON events (recorded_at);
      CREATE INDEX events_valid_time ON events (valid_from, valid_to);
    `,
  },
  {
    version: 2,
    name: 'relay checkpoint and timeline read model',
    sql: `
      CREATE TABLE relay_checkpoints (
        name text PRIMARY KEY,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE timeline_items (
        id uuid PRIMARY KEY,
        position bigint NOT NULL,
        last_position bigint NOT NULL,
        stream_id text NOT NULL,
        type text NOT NULL,
        retracted boolean NOT NULL,
        valid_from timestamptz NOT NULL,
        item jsonb NOT NULL
      );
      CREATE INDEX timeline_items_valid_from ON timeline_items (valid_from, position);

      CREATE TABLE projected_events (
        position bigint PRIMARY KEY,
        event_id uuid NOT NULL,
        projected_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE projector_offsets (
        consumer_group text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        next_offset bigint NOT NULL,
        PRIMARY KEY (consumer_group, topic, partition)
      )
    `,
  },
  {
    version: 3,
    name: 'read model rebuilds',
    sql: `
      CREATE TABLE read_model_rebuilds (
        id uuid PRIMARY KEY,
        state text NOT NULL CHECK (state IN ('running', 'swapped', 'failed')),
        phase text NOT NULL,
        target_position bigint NOT NULL,
        applied_position bigint NOT NULL,
        items bigint NOT NULL DEFAULT 0,
        error text,
        started_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        finished_at timestamptz
      )
    `,
  },
];

/** Serialises migrations across API instances starting together on one PostgreSQL. */
const MIGRATION_LOCK_KEY = 7_140_001;

export async function migrate(client: SqlClient): Promise<number[]> {
  return client.transaction(async (tx) => {
    if (client.kind === 'pg') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const done: number[] = [];
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      done.push(migration.version);
    }
    return done;
  });
}

/** Extended-protocol queries take one statement each; the migrations hold no `;` inside literals. */
function splitStatements(sql: string): string[] {
  return sql
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}
