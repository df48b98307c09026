/**
 * The text of `timeline_append`, the one-round-trip group commit (migrations 5, 9 and 12; see
 * migrations.ts for why positions are gapless and commit-ordered, and sql-event-store.ts for its caller).
 */
/** `timeline_append` as migration 9 created it (migration 12 derives its next version from it). */
export const APPEND_FUNCTION_9 = `
      CREATE OR REPLACE FUNCTION timeline_append(p_commands jsonb, p_now timestamptz, p_channel text)
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
        stored jsonb;
        current_version integer;
        stream_found boolean;
        expected jsonb;
        outcomes jsonb := '[]';
        found_rows jsonb;
      BEGIN
        -- Before the lock: which of the batch's ids are already stored, in one statement for the whole
        -- batch (it was one per command, under the lock). What this sees is committed and never
        -- changes. An append of the same id that commits after this read (another instance: the
        -- store never sends two commands sharing an id at once) ends in the unique constraint on
        -- event_id; the store then retries each command alone, and that call's read sees the row.
        -- One index probe per id, as before: the LATERAL subquery with LIMIT is never flattened into
        -- a join, so the planner cannot trade the probes for a scan of the whole log.
        SELECT jsonb_object_agg(e.event_id::text, jsonb_build_object('event_id', e.event_id,
                 'stream_id', e.stream_id, 'stream_version', e.stream_version, 'position', e.position,
                 'content_hash', e.content_hash))
          INTO found_rows
          FROM (SELECT DISTINCT (x->>'event_id')::uuid AS id
                  FROM jsonb_array_elements(p_commands) c, jsonb_array_elements(c->'events') x) wanted
          CROSS JOIN LATERAL (
            SELECT ev.event_id, ev.stream_id, ev.stream_version, ev.position, ev.content_hash
            FROM events ev WHERE ev.event_id = wanted.id LIMIT 1
          ) e;
        SELECT h.position, h.recorded_at INTO head_position, head_recorded FROM log_head h FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'log_head is missing: the store was not migrated';
        END IF;
        start_position := head_position;
        -- Knowledge time never goes backwards along the log, even if the clock does.
        recorded := greatest(p_now, head_recorded);
        FOR command IN SELECT value FROM jsonb_array_elements(p_commands) LOOP
          -- Any of its ids already stored: the caller decides between a replay and a conflict.
          stored := NULL;
          IF found_rows IS NOT NULL THEN
            SELECT jsonb_agg(found_rows->(x->>'event_id')::uuid::text
                             ORDER BY (found_rows->(x->>'event_id')::uuid::text->>'position')::bigint)
              INTO stored
              FROM jsonb_array_elements(command->'events') x
              WHERE found_rows ? (x->>'event_id')::uuid::text;
          END IF;
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
      $timeline_append$`;

const OUTCOME_9 = "jsonb_build_object('position', head_position + 1, 'version', current_version + 1)";
const OUTCOME_12 =
  "jsonb_build_object('position', head_position + 1, 'version', current_version + 1, 'recorded', recorded)";
if (!APPEND_FUNCTION_9.includes(OUTCOME_9)) throw new Error('migration 12 no longer matches migration 9');

/**
 * Migration 12: the same function, each appended command's outcome also carrying `recorded` (the
 * knowledge time its events were stored with), so the appending process knows them whole.
 */
export const APPEND_FUNCTION_12 = APPEND_FUNCTION_9.replace(OUTCOME_9, OUTCOME_12);
