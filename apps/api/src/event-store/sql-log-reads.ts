import {
  type EventEnvelope,
  LINEAGE_EVENT_TYPES,
  type LogHistogramResponse,
  type Metadata,
  type OccurredAt,
} from '@timeline/shared-types';
import type { LogReads, LogSelection, ReplayNarrowing, StreamSummary } from './event-store.port.js';
import { logHistogram } from './log-histogram.js';
import type { SqlExecutor } from './sql-client.js';

interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  occurred_at: OccurredAt;
  recorded_at: Date;
  data: Record<string, unknown>;
  metadata: Metadata;
}

const EVENT_COLUMNS =
  'position, event_id, stream_id, stream_version, type, schema_version, occurred_at, recorded_at, data, metadata';

function toEnvelope(row: EventRow): EventEnvelope {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    position: row.position,
    type: row.type,
    schemaVersion: row.schema_version,
    occurredAt: row.occurred_at,
    recordedAt: new Date(row.recorded_at).toISOString(),
    data: row.data,
    metadata: row.metadata,
  };
}

/**
 * Every read of the `events` table and its head, over one executor: the store's client, or a
 * transaction a caller holds (`EventStore.within`).
 */
export class SqlLogReads implements LogReads {
  constructor(protected readonly executor: SqlExecutor) {}

  async head(): Promise<number> {
    const { rows } = await this.executor.query<{ position: number }>('SELECT position FROM log_head');
    return rows[0]?.position ?? 0;
  }

  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.executor.query<{ version: number }>(
      'SELECT version FROM streams WHERE stream_id = $1',
      [streamId],
    );
    return rows[0]?.version ?? 0;
  }

  async readStreamEvents(streamId: string, fromVersion: number, limit: number): Promise<EventEnvelope[]> {
    return this.select(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3`,
      [streamId, fromVersion, limit],
    );
  }

  async readLogPage(selection: LogSelection): Promise<EventEnvelope[]> {
    return this.select(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE position > $1
         AND ($2::bigint IS NULL OR position <= $2)
         AND ($3::text[] IS NULL OR type = ANY($3::text[]))
         AND ($4::text[] IS NULL OR stream_id = ANY($4::text[]))
         AND ($5::timestamptz IS NULL OR recorded_at <= $5::timestamptz)
       ORDER BY position
       LIMIT $6`,
      [
        selection.after ?? 0,
        selection.until ?? null,
        selection.types?.length ? selection.types : null,
        selection.streams?.length ? selection.streams : null,
        selection.asOf ?? null,
        selection.limit ?? 1000,
      ],
    );
  }

  async getEvent(eventId: string): Promise<EventEnvelope | undefined> {
    const [event] = await this.select(`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = $1::uuid`, [
      eventId,
    ]);
    return event;
  }

  /** The lineage half is served by the partial index `events_lineage_target` (migration 7): same predicate. */
  async readEventWithLineage(eventId: string): Promise<EventEnvelope[]> {
    return this.select(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = $1::uuid
       UNION ALL
       SELECT ${EVENT_COLUMNS} FROM events
       WHERE type IN ('EventCorrected', 'EventRetracted')
         AND coalesce(data->>'correctedEventId', data->>'retractedEventId') = $1::text
       ORDER BY position`,
      [eventId],
    );
  }

  /**
   * Keyset on the primary key of `streams` (no `$1 IS NULL OR` that could stop the index range scan:
   * '' sorts before every id). The last event's time is one probe of the (stream_id, stream_version)
   * key per row: the LATERAL with LIMIT is never flattened into a join, which the planner would run as
   * a merge join reading `events` from the first stream on, so a page deep in the list would cost its depth.
   */
  async listStreams(page: { after?: string | undefined; limit: number }): Promise<StreamSummary[]> {
    const { rows } = await this.executor.query<{ stream_id: string; version: number; recorded_at: Date }>(
      `SELECT s.stream_id, s.version, last.recorded_at
       FROM streams s
       CROSS JOIN LATERAL (
         SELECT e.recorded_at FROM events e WHERE e.stream_id = s.stream_id AND e.stream_version = s.version LIMIT 1
       ) last
       WHERE s.stream_id > $1
       ORDER BY s.stream_id
       LIMIT $2`,
      [page.after ?? '', page.limit],
    );
    return rows.map((row) => ({
      streamId: row.stream_id,
      version: row.version,
      eventCount: row.version,
      lastRecordedAt: new Date(row.recorded_at).toISOString(),
    }));
  }

  async readEventsById(ids: readonly string[], until: number): Promise<EventEnvelope[]> {
    return this.select(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ANY($1::uuid[]) AND position <= $2 ORDER BY position`,
      [ids, until],
    );
  }

  /** Keyed on position; `$1` (the lineage types) lets corrections and retractions through every filter. */
  async readReplayPage(
    range: { after: number; until: number; limit: number },
    narrowing: ReplayNarrowing,
  ): Promise<EventEnvelope[]> {
    return this.select(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE position > $6 AND position <= $7
         AND ($2::text[] IS NULL OR type = ANY($2::text[]) OR type = ANY($1::text[]))
         AND ($3::text[] IS NULL OR stream_id = ANY($3::text[]) OR type = ANY($1::text[]))
         AND ($4::timestamptz IS NULL OR valid_to > $4::timestamptz OR type = ANY($1::text[]))
         AND ($5::timestamptz IS NULL OR valid_from <= $5::timestamptz OR type = ANY($1::text[]))
       ORDER BY position LIMIT $8`,
      [
        [...LINEAGE_EVENT_TYPES],
        narrowing.types ?? null,
        narrowing.streams ?? null,
        narrowing.validAfter ?? null,
        narrowing.validUntil ?? null,
        range.after,
        range.until,
        range.limit,
      ],
    );
  }

  async lastPositionRecordedBy(asOf: string): Promise<number> {
    const { rows } = await this.executor.query<{ position: number | null }>(
      'SELECT max(position) AS position FROM events WHERE recorded_at <= $1::timestamptz',
      [asOf],
    );
    return rows[0]?.position ?? 0;
  }

  /** Events recorded per knowledge-time bucket, with each bucket's positions (log-histogram.ts). */
  histogram(maxBuckets: number): Promise<LogHistogramResponse> {
    return logHistogram(this.executor, maxBuckets);
  }

  private async select(text: string, params: readonly unknown[]): Promise<EventEnvelope[]> {
    const { rows } = await this.executor.query<EventRow>(text, params);
    return rows.map(toEnvelope);
  }
}
