import pg from 'pg';

/**
 * A large timeline written straight into a store's `events` table, for the web app's end-to-end test
 * and its render benchmark at 100,000 to 1,000,000 events (appending through the API would take far
 * longer than the run). One `INSERT … SELECT FROM generate_series` per chunk, in the database itself,
 * after whatever the log holds (the seed), in one transaction holding the log head's lock (so an
 * append through the API waits): gapless positions, `MeetingHeld` facts (streams `fill-<head before>-<n>`,
 * so a second fill on top of a first starts streams of its own) (the fields
 * `bench/src/lib/events.ts` uses) spread over the days of `years` years, every 20th one month-dated,
 * `streams` and `log_head` to match, and knowledge time rising along the log from the head's up to
 * now.
 *
 * Two ways to get the read model:
 * - with the API running and `readModel` unset: its relay finds the new positions on its next poll and
 *   publishes them, and the projector builds the read model with the API's own code (a few hundred
 *   events a second on a small machine);
 * - with the API stopped and `readModel: { relayTopic }`: the read model rows are written here too, as
 *   the projector would write them for facts that were never corrected (`timeline_items`, one
 *   `timeline_item_versions` row each, `projected_events`, the watermark), and the relay's checkpoint
 *   for `relayTopic` is moved to the new head, so the restarted API neither republishes nor projects
 *   them again. The item JSON is `applyToTimeline`'s for a new fact, and `search` is `searchText`'s.
 * The content hash is a hash of the stored JSON, not the canonical form the API computes: re-appending
 * one of these ids would be refused as a conflict, which no caller does.
 */
export interface TimelineFillOptions {
  /** How many events to add after the log's head. */
  total: number;
  /** Valid time starts on 1 January of this year (UTC). */
  fromYear?: number;
  /** ...and spreads over this many years. */
  years?: number;
  /** Pillar ids to cycle through (the catalog's, so the web app colours them). */
  pillars: readonly string[];
  /** Events per stream (default 1,000). */
  perStream?: number;
  onProgress?(done: number): void;
  /** Also write the read model (the API must be stopped; see above). */
  readModel?: { relayTopic: string };
}

const CHUNK = 50_000;
const PEOPLE = ['David Lammy', 'S Jaishankar', 'Narendra Modi', 'Ajit Doval', 'Keir Starmer', 'Piyush Goyal'];

/** The day (ISO date) event `n` is dated on, as the fill dates it: for tests that look for it. */
export function filledDay(n: number, options: Pick<TimelineFillOptions, 'fromYear' | 'years'> = {}): string {
  const { first, days } = dayRange(options);
  return new Date(first + ((n * 7919) % days) * 86_400_000).toISOString().slice(0, 10);
}

function dayRange(options: Pick<TimelineFillOptions, 'fromYear' | 'years'>): { first: number; days: number } {
  const fromYear = options.fromYear ?? 2000;
  const first = Date.UTC(fromYear, 0, 1);
  const days = Math.round((Date.UTC(fromYear + (options.years ?? 25), 0, 1) - first) / 86_400_000);
  return { first, days };
}

export async function fillTimeline(databaseUrl: string, options: TimelineFillOptions): Promise<void> {
  const { total, pillars } = options;
  const perStream = options.perStream ?? 1000;
  const { first, days } = dayRange(options);
  const client = new pg.Client({ connectionString: databaseUrl, options: '-c synchronous_commit=off' });
  await client.connect();
  try {
    // Days are cut in UTC, as the API reads valid time.
    await client.query("SET TIME ZONE 'UTC'");
    await client.query('BEGIN');
    const { rows } = await client.query<{ position: string; recorded_at: Date | null }>(
      'SELECT position, recorded_at FROM log_head FOR UPDATE',
    );
    const after = Number(rows[0]?.position ?? 0);
    const base = rows[0]?.recorded_at ?? new Date(Date.now() - 3_600_000);
    const stepMs = Math.max(0, Date.now() - base.getTime() - 1000) / total;
    for (let from = after + 1; from <= after + total; from += CHUNK) {
      const to = Math.min(after + total, from + CHUNK - 1);
      await client.query(
        `INSERT INTO events (position, event_id, stream_id, stream_version, type, schema_version,
                             occurred_at, valid_from, valid_to, recorded_at, data, metadata, content_hash)
         SELECT n, e.event_id, 'fill-' || $3 || '-' || ((n - $3 - 1) / $4), ((n - $3 - 1) % $4) + 1, 'MeetingHeld', 1,
                e.occurred_at, e.valid_from, e.valid_to, e.recorded_at, e.data, e.metadata,
                encode(sha256(convert_to(e.data::text, 'UTF8')), 'hex')
         FROM generate_series($1::bigint, $2::bigint) AS n
         CROSS JOIN LATERAL (
           SELECT ($5::timestamptz + ((n * 7919) % $6) * interval '1 day') AS day,
                  $7::text[] AS pillars, $8::text[] AS people,
                  $9::timestamptz + (n - $3) * $10::double precision * interval '1 millisecond' AS recorded_at,
                  (lpad(to_hex(n), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid AS event_id
         ) AS d
         CROSS JOIN LATERAL (
           SELECT d.event_id, d.recorded_at,
                  CASE WHEN n % 20 = 0
                    THEN jsonb_build_object('precision', 'month', 'start', to_char(d.day, 'YYYY-MM'))
                    ELSE jsonb_build_object('precision', 'day', 'start', to_char(d.day, 'YYYY-MM-DD')) END AS occurred_at,
                  CASE WHEN n % 20 = 0 THEN date_trunc('month', d.day) ELSE d.day END AS valid_from,
                  CASE WHEN n % 20 = 0 THEN date_trunc('month', d.day) + interval '1 month'
                    ELSE d.day + interval '1 day' END AS valid_to,
                  jsonb_build_object(
                    'actors', jsonb_build_array(d.people[1 + n % 6], d.people[1 + (n + 1) % 6]),
                    'format', 'talks',
                    'participants', jsonb_build_array(d.people[1 + n % 6], d.people[1 + (n + 1) % 6]),
                    'pillars', jsonb_build_array(d.pillars[1 + n % cardinality(d.pillars)]),
                    'place', 'New Delhi',
                    'summary', d.people[1 + n % 6] || ' met ' || d.people[1 + (n + 1) % 6] || ' (filled event ' || n || ').',
                    'title', d.people[1 + n % 6] || ' and ' || d.people[1 + (n + 1) % 6] || ' hold talks (event ' || n || ')',
                    'topics', jsonb_build_array('Cooperation on ' || d.pillars[1 + n % cardinality(d.pillars)])
                  ) AS data,
                  jsonb_build_object(
                    'recordedBy', 'timeline-fill',
                    'sources', jsonb_build_array(jsonb_build_object(
                      'publisher', 'Timeline fill', 'title', 'Synthetic event for scale tests',
                      'quote', 'The two sides agreed to deepen cooperation.'))
                  ) AS metadata
         ) AS e`,
        [from, to, after, perStream, new Date(first).toISOString(), days, pillars, PEOPLE, base, stepMs],
      );
      options.onProgress?.(to - after);
    }
    await client.query(
      `INSERT INTO streams (stream_id, version)
       SELECT 'fill-' || $3 || '-' || s, LEAST($2::bigint, $1::bigint - s * $2) FROM generate_series(0, ($1::bigint - 1) / $2) AS s`,
      [total, perStream, after],
    );
    await client.query(
      'UPDATE log_head SET position = $1, recorded_at = (SELECT recorded_at FROM events WHERE position = $1)',
      [after + total],
    );
    if (options.readModel) await writeReadModel(client, after, after + total, options.readModel.relayTopic);
    await client.query('COMMIT');
    await client.query('ANALYZE events');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** The read-model rows of positions (after, to], as the projector writes a new fact. */
async function writeReadModel(
  client: pg.Client,
  after: number,
  to: number,
  relayTopic: string,
): Promise<void> {
  const { rows } = await client.query<{ position: string }>('SELECT position FROM projected_watermark');
  if (Number(rows[0]?.position) !== after)
    throw new Error(
      `the read model is at ${rows[0]?.position}, not at the head ${after}: let it catch up first`,
    );
  await client.query(
    `INSERT INTO timeline_items (id, position, last_position, stream_id, type, retracted, valid_from, valid_to,
                                 pillars, actors, search, item)
     SELECT e.event_id, e.position, e.position, e.stream_id, e.type, false, e.valid_from, e.valid_to,
            ARRAY(SELECT jsonb_array_elements_text(e.data->'pillars')),
            ARRAY(SELECT jsonb_array_elements_text(e.data->'actors')),
            lower(concat_ws(E'\n', e.data->>'title', e.data->>'summary', e.data->>'place',
              (SELECT string_agg(a, E'\n') FROM jsonb_array_elements_text(e.data->'actors') a),
              (SELECT string_agg(q->>'quote', E'\n') FROM jsonb_array_elements(e.metadata->'sources') q))),
            jsonb_build_object(
              'id', e.event_id, 'streamId', e.stream_id, 'streamVersion', e.stream_version,
              'position', e.position, 'type', e.type, 'schemaVersion', e.schema_version,
              'title', e.data->>'title', 'actors', e.data->'actors', 'pillars', e.data->'pillars',
              'occurredAt', e.occurred_at, 'recordedAt', r.at, 'data', e.data,
              'sources', e.metadata->'sources',
              'lineage', jsonb_build_array(jsonb_build_object(
                'kind', 'recorded', 'eventId', e.event_id, 'position', e.position, 'recordedAt', r.at)),
              'retracted', false, 'lastPosition', e.position,
              'summary', e.data->>'summary', 'place', e.data->>'place')
     FROM events e
     CROSS JOIN LATERAL (SELECT to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at) r
     WHERE e.position > $1 AND e.position <= $2`,
    [after, to],
  );
  await client.query(
    `INSERT INTO timeline_item_versions (id, from_position, to_position, position, stream_id, type, retracted,
                                         valid_from, valid_to, pillars, actors, search, item)
     SELECT id, position, NULL, position, stream_id, type, retracted, valid_from, valid_to, pillars, actors, search, item
     FROM timeline_items WHERE position > $1 AND position <= $2`,
    [after, to],
  );
  // The month counts the projector keeps beside the items (migration 11), for the new items.
  const month = `(date_trunc('month', valid_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;
  await client.query(
    `INSERT INTO timeline_month_counts (month, type, pillars, n)
     SELECT ${month}, type, pillars, count(*) FROM timeline_items WHERE position > $1 AND position <= $2
     GROUP BY 1, 2, 3
     ON CONFLICT (month, type, pillars) DO UPDATE SET n = timeline_month_counts.n + EXCLUDED.n`,
    [after, to],
  );
  await client.query(
    `INSERT INTO timeline_month_actor_counts (month, actor, type, pillars, n)
     SELECT ${month}, a, type, pillars, count(*) FROM timeline_items CROSS JOIN LATERAL unnest(actors) a
     WHERE position > $1 AND position <= $2 GROUP BY 1, 2, 3, 4
     ON CONFLICT (month, actor, type, pillars) DO UPDATE SET n = timeline_month_actor_counts.n + EXCLUDED.n`,
    [after, to],
  );
  await client.query(
    'INSERT INTO projected_events (position, event_id) SELECT position, event_id FROM events WHERE position > $1 AND position <= $2',
    [after, to],
  );
  await client.query('UPDATE projected_watermark SET position = $1', [to]);
  await client.query(
    `INSERT INTO relay_checkpoints (name, position) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
    [relayTopic, to],
  );
  await client.query('ANALYZE timeline_items');
  await client.query('ANALYZE timeline_item_versions');
}
