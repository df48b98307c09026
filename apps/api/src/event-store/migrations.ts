import { APPEND_FUNCTION_9, APPEND_FUNCTION_12 } from './append-function.js';
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
/**
 * `sql` is split on `;` into statements (the extended protocol takes one at a time); a migration whose
 * statements hold `;` themselves (a function body) lists them as they are in `statements` instead.
 */
type Migration = { version: number; name: string } & ({ sql: string } | { statements: readonly string[] });

const MIGRATIONS: readonly Migration[] = [
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
  {
    version: 4,
    name: 'projector watermark',
    // The highest contiguous projected position, kept by the projector in the transaction that
    // projects (timeline-read-model.ts) instead of an anti-join over projected_events per read.
    // Existing rows get it here, once: everything up to the first hole (0 when position 1 is missing).
    sql: `
      CREATE TABLE projected_watermark (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        position bigint NOT NULL
      );
      INSERT INTO projected_watermark (singleton, position)
      SELECT true, CASE WHEN NOT EXISTS (SELECT 1 FROM projected_events WHERE position = 1) THEN 0
                   ELSE (SELECT MIN(p.position) FROM projected_events p
                         WHERE NOT EXISTS (SELECT 1 FROM projected_events q WHERE q.position = p.position + 1))
                   END
    `,
  },
  {
    version: 5,
    name: 'append function',
    // One call appends a batch of commands with the position lock held for a single statement, not
    // for nine client round trips; sql-event-store.ts sends the commands and reads the outcomes.
    // Each statement of a PL/pgSQL function takes a fresh snapshot (READ COMMITTED), so everything
    // after the FOR UPDATE sees every append committed before the lock was granted.
    statements: [
      `
      CREATE FUNCTION timeline_append(p_commands jsonb, p_now timestamptz, p_channel text)
      RETURNS jsonb LANGUAGE plpgsql
      -- No SET clause (e.g. enable_seqscan = off): a function with one re-plans its statements on every
      -- call, which measured 40 ms per append.
      AS $timeline_append$
      DECLARE
        head_position bigint;
        head_recorded timestamptz;
        start_position bigint;
        recorded timestamptz;
        command jsonb;
        ids uuid[];
        stored jsonb;
        current_version integer;
        stream_found boolean;
        expected jsonb;
        outcomes jsonb := '[]';
      BEGIN
        SELECT h.position, h.recorded_at INTO head_position, head_recorded FROM log_head h FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'log_head is missing: the store was not migrated';
        END IF;
        start_position := head_position;
        -- Knowledge time never goes backwards along the log, even if the clock does.
        recorded := greatest(p_now, head_recorded);
        FOR command IN SELECT value FROM jsonb_array_elements(p_commands) LOOP
          -- Any of its ids already stored: the caller decides between a replay and a conflict.
          -- One index probe per id: the LATERAL subquery with LIMIT is never flattened into a join, so
          -- the planner cannot trade the probes for a scan of the whole log (which it did for = ANY
          -- of a batch's ids while the log was unanalyzed, making bulk appends quadratic).
          ids := ARRAY(SELECT (x->>'event_id')::uuid FROM jsonb_array_elements(command->'events') x);
          SELECT jsonb_agg(jsonb_build_object('event_id', e.event_id, 'stream_id', e.stream_id,
                   'stream_version', e.stream_version, 'position', e.position,
                   'content_hash', e.content_hash) ORDER BY e.position)
            INTO stored
            FROM unnest(ids) AS wanted(id)
            CROSS JOIN LATERAL (
              SELECT ev.event_id, ev.stream_id, ev.stream_version, ev.position, ev.content_hash
              FROM events ev WHERE ev.event_id = wanted.id LIMIT 1
            ) e;
          IF stored IS NOT NULL THEN
            outcomes := outcomes || jsonb_build_array(jsonb_build_object('stored', stored));
            CONTINUE;
          END IF;
          SELECT s.version INTO current_version FROM streams s WHERE s.stream_id = command->>'stream';
          stream_found := FOUND;
          current_version := coalesce(current_version, 0);
          expected := command->'expected';
          IF NOT (expected = '"any"' OR (expected = '"no_stream"' AND NOT stream_found)
                  OR expected = to_jsonb(current_version)) THEN
            outcomes := outcomes || jsonb_build_array(jsonb_build_object('actual', current_version));
            CONTINUE;
          END IF;
          INSERT INTO events (position, event_id, stream_id, stream_version, type, schema_version,
                              occurred_at, valid_from, valid_to, recorded_at, data, metadata, content_hash)
          SELECT head_position + x.n, (x.e->>'event_id')::uuid, command->>'stream', current_version + x.n,
                 x.e->>'type', (x.e->>'schema_version')::integer, x.e->'occurred_at',
                 (x.e->>'valid_from')::timestamptz, (x.e->>'valid_to')::timestamptz, recorded,
                 x.e->'data', x.e->'metadata', x.e->>'content_hash'
            FROM jsonb_array_elements(command->'events') WITH ORDINALITY AS x(e, n);
          INSERT INTO streams (stream_id, version)
            VALUES (command->>'stream', current_version + jsonb_array_length(command->'events'))
            ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version;
          outcomes := outcomes || jsonb_build_array(
            jsonb_build_object('position', head_position + 1, 'version', current_version + 1));
          head_position := head_position + jsonb_array_length(command->'events');
        END LOOP;
        IF head_position > start_position THEN
          UPDATE log_head SET position = head_position, recorded_at = recorded;
          PERFORM pg_notify(p_channel, head_position::text);
        END IF;
        RETURN outcomes;
      END
      $timeline_append$`,
    ],
  },
  {
    version: 6,
    name: 'rebuild source',
    // A rebuild reads the log from the store or from the Kafka topic (offset 0); the status says which,
    // and how far the topic carried it.
    sql: `
      ALTER TABLE read_model_rebuilds ADD COLUMN source text NOT NULL DEFAULT 'store' CHECK (source IN ('store', 'kafka'));
      ALTER TABLE read_model_rebuilds ADD COLUMN kafka_position bigint
    `,
  },
  {
    version: 7,
    name: 'lineage by target',
    // `GET /api/events/:eventId` finds the corrections and the retraction of an event by the id they
    // name in their data: one index probe instead of reading every lineage event of the log. Partial,
    // so facts cost nothing; the predicate is written out exactly as `sql-log-reads.ts` queries it,
    // which is what lets the planner use the index.
    sql: `
      CREATE INDEX events_lineage_target ON events
        ((coalesce(data->>'correctedEventId', data->>'retractedEventId')), position)
        WHERE type IN ('EventCorrected', 'EventRetracted')
      `,
  },
  {
    version: 8,
    name: 'projector dead letters',
    // Positions the projector gave up on (read-model/dead-letter-marks.ts): recorded in projected_events
    // too, so the watermark passes them; a redrive folds the event from the store and stamps redriven_at.
    sql: `
      CREATE TABLE projector_dead_letters (
        position bigint PRIMARY KEY,
        event_id uuid NOT NULL,
        reason text NOT NULL,
        dead_lettered_at timestamptz NOT NULL DEFAULT now(),
        redriven_at timestamptz
      )
    `,
  },
  {
    version: 9,
    name: 'append function: one id lookup per batch, before the lock',
    // The idempotency lookup of every command of a group commit in one statement, before the position
    // lock is taken: the lock is held for the inserts, not for the probes (they were 17-40 % of its
    // time; docs/benchmarks.md, "Appends at peer speed"). sql-event-store.ts keeps two commands that
    // share an event id out of one batch, which this read could not tell apart.
    statements: [APPEND_FUNCTION_9],
  },
  {
    version: 10,
    name: 'timeline by window and as of a position',
    // Issue 12. Each item's half-open valid period [valid_from, valid_to) with precision honoured (a
    // year-dated fact covers its year), its pillars, actors and search text as columns, so windows,
    // filters and counts run in SQL without reading the item's JSON; a GiST index on the period makes
    // the cost of a window grow with the window. `timeline_item_versions` holds every state an item
    // had, valid for the log positions [from_position, to_position) (to_position NULL: still current),
    // so "the timeline at position P" is one indexed query. The projector writes it; history before
    // this migration is not known, so existing items get one version from their last change and the
    // watermark row records from which position the history is complete (`history_from`); a rebuild
    // (POST /api/admin/rebuild) writes the whole history and sets it to 0.
    statements: [
      `ALTER TABLE timeline_items ADD COLUMN valid_to timestamptz, ADD COLUMN pillars text[],
         ADD COLUMN actors text[], ADD COLUMN search text`,
      `UPDATE timeline_items SET
         valid_to = CASE item->'occurredAt'->>'precision'
           WHEN 'year' THEN make_timestamptz(coalesce(item->'occurredAt'->>'end', item->'occurredAt'->>'start')::int + 1, 1, 1, 0, 0, 0, 'UTC')
           WHEN 'month' THEN ((coalesce(item->'occurredAt'->>'end', item->'occurredAt'->>'start') || '-01')::date + interval '1 month') AT TIME ZONE 'UTC'
           WHEN 'day' THEN (coalesce(item->'occurredAt'->>'end', item->'occurredAt'->>'start')::date + 1)::timestamp AT TIME ZONE 'UTC'
           ELSE coalesce(item->'occurredAt'->>'end', item->'occurredAt'->>'start')::timestamptz + interval '1 minute'
         END,
         pillars = ARRAY(SELECT jsonb_array_elements_text(item->'pillars')),
         actors = ARRAY(SELECT jsonb_array_elements_text(item->'actors')),
         search = lower(concat_ws(E'\n', item->>'title', coalesce(item->>'summary', ''), coalesce(item->>'place', ''),
           (SELECT string_agg(a, E'\n') FROM jsonb_array_elements_text(item->'actors') a),
           (SELECT string_agg(s->>'quote', E'\n') FROM jsonb_array_elements(item->'sources') s)))`,
      `ALTER TABLE timeline_items ALTER COLUMN valid_to SET NOT NULL, ALTER COLUMN pillars SET NOT NULL,
         ALTER COLUMN actors SET NOT NULL, ALTER COLUMN search SET NOT NULL`,
      `CREATE INDEX timeline_items_valid_period ON timeline_items USING gist (tstzrange(valid_from, valid_to))`,
      `CREATE INDEX timeline_items_valid_to ON timeline_items (valid_to)`,
      // Counting the whole range (the zoomed-out timeline, the overview) reads this instead of the
      // rows, whose item JSON is most of their size: an index-only scan.
      `CREATE INDEX timeline_items_counts ON timeline_items (valid_from)
         INCLUDE (valid_to, position, retracted, type, pillars, actors)`,
      `CREATE TABLE timeline_item_versions (
         id uuid NOT NULL,
         from_position bigint NOT NULL,
         to_position bigint,
         position bigint NOT NULL,
         stream_id text NOT NULL,
         type text NOT NULL,
         retracted boolean NOT NULL,
         valid_from timestamptz NOT NULL,
         valid_to timestamptz NOT NULL,
         pillars text[] NOT NULL,
         actors text[] NOT NULL,
         search text NOT NULL,
         item jsonb NOT NULL,
         PRIMARY KEY (id, from_position)
       )`,
      `CREATE INDEX timeline_item_versions_as_of ON timeline_item_versions
         USING gist (int8range(from_position, to_position), tstzrange(valid_from, valid_to))`,
      `CREATE INDEX timeline_item_versions_from ON timeline_item_versions (from_position)`,
      `CREATE INDEX timeline_item_versions_to ON timeline_item_versions (to_position)`,
      `INSERT INTO timeline_item_versions (id, from_position, to_position, position, stream_id, type, retracted,
         valid_from, valid_to, pillars, actors, search, item)
       SELECT id, last_position, NULL, position, stream_id, type, retracted, valid_from, valid_to, pillars, actors,
         search, item FROM timeline_items`,
      `ALTER TABLE projected_watermark ADD COLUMN history_from bigint NOT NULL DEFAULT 0`,
      `UPDATE projected_watermark SET history_from = position`,
    ],
  },
  {
    version: 11,
    name: 'timeline counts per month; ended versions indexed alone',
    // Issue 12. The zoomed-out timeline and the overview count items over all valid time; at a million
    // items that scan took seconds. The projector keeps counts of the current items per month they
    // start in (by type and pillar list, and by actor, type and pillar list) in the transaction that writes them
    // (read-model/timeline-rollups.ts); a window sums the months inside it and scans only its edges.
    //
    // And: closing an item's current version (`to_position IS NULL`) planned a bitmap AND of the
    // primary key with the btree on `to_position`, whose NULL entries are every current version; at
    // 600,000 items that UPDATE took seconds per projected batch. The diff reads only ended versions
    // (`to_position` in a range), so that index keeps only those.
    statements: [
      `DROP INDEX timeline_item_versions_to`,
      `CREATE INDEX timeline_item_versions_to ON timeline_item_versions (to_position) WHERE to_position IS NOT NULL`,
      `CREATE TABLE timeline_month_counts (
         month timestamptz NOT NULL,
         type text NOT NULL,
         pillars text[] NOT NULL,
         n bigint NOT NULL,
         PRIMARY KEY (month, type, pillars)
       )`,
      `CREATE TABLE timeline_month_actor_counts (
         month timestamptz NOT NULL,
         actor text NOT NULL,
         type text NOT NULL,
         pillars text[] NOT NULL,
         n bigint NOT NULL,
         PRIMARY KEY (month, actor, type, pillars)
       )`,
      `INSERT INTO timeline_month_counts (month, type, pillars, n)
       SELECT date_trunc('month', valid_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', type, pillars, count(*)
       FROM timeline_items WHERE NOT retracted GROUP BY 1, 2, 3`,
      `INSERT INTO timeline_month_actor_counts (month, actor, type, pillars, n)
       SELECT date_trunc('month', valid_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', a, type, pillars, count(*)
       FROM timeline_items CROSS JOIN LATERAL unnest(actors) a WHERE NOT retracted GROUP BY 1, 2, 3, 4`,
    ],
  },
  {
    version: 12,
    name: 'append function: each outcome carries its recorded_at',
    // Issue 16. With the position and version, the knowledge time the events were stored with (the
    // greatest of the caller's clock and the head's): the appending process then knows each stored
    // event whole and hands it to its relay from memory instead of the relay reading it back
    // (sql-event-store.ts, RecentAppends). Nothing else changes.
    statements: [APPEND_FUNCTION_12],
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
      const statements = 'statements' in migration ? migration.statements : splitStatements(migration.sql);
      for (const statement of statements) await tx.query(statement);
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
