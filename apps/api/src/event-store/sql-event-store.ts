import { createHash } from 'node:crypto';
import {
  canonicalJson,
  type EventEnvelope,
  type ExpectedVersion,
  type Metadata,
  type OccurredAt,
  validTimeBounds,
} from '@timeline/shared-types';
import {
  type AppendResult,
  EventIdConflictError,
  type EventStore,
  type EventToAppend,
  type LogSelection,
  type StreamSlice,
  WrongExpectedVersionError,
} from './event-store.port.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';

export const APPENDED_CHANNEL = 'timeline_events_appended';

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

/** The content an eventId is bound to: a retry must carry exactly this to count as the same event. */
export function contentHash(streamId: string, event: EventToAppend): string {
  const content = canonicalJson({
    streamId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    data: event.data,
    metadata: event.metadata,
  });
  return createHash('sha256').update(content).digest('hex');
}

export function toEnvelope(row: EventRow): EventEnvelope {
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
 * The event store over SQL: one implementation for PostgreSQL and PGlite.
 * See migrations.ts for why positions are gapless and commit-ordered.
 */
export class SqlEventStore implements EventStore {
  constructor(
    private readonly sql: SqlClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly EventToAppend[],
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const hashes = events.map((e) => contentHash(streamId, e));
    const ids = events.map((e) => e.eventId);
    if (new Set(ids).size !== ids.length) {
      const dup = ids.find((id, i) => ids.indexOf(id) !== i)!;
      throw new EventIdConflictError(dup, 'appears twice in one append');
    }

    const result = await this.sql.transaction(async (tx) => {
      const head = await lockHead(tx);
      const replay = await this.findStored(tx, streamId, ids, hashes);
      if (replay) return replay;

      const { rows: streamRows } = await tx.query<{ version: number }>(
        'SELECT version FROM streams WHERE stream_id = $1',
        [streamId],
      );
      const exists = streamRows.length > 0;
      const actual = streamRows[0]?.version ?? 0;
      if (!versionMatches(expectedVersion, exists, actual)) {
        throw new WrongExpectedVersionError(streamId, expectedVersion, actual);
      }

      // Knowledge time never goes backwards along the log, even if the clock does.
      const clock = this.now().getTime();
      const recordedAt = new Date(Math.max(clock, head.recordedAt?.getTime() ?? 0));
      const rows = events.map((event, i) => {
        const { startMs, endMs } = validTimeBounds(event.occurredAt);
        return {
          position: head.position + i + 1,
          event_id: event.eventId,
          stream_id: streamId,
          stream_version: actual + i + 1,
          type: event.type,
          schema_version: event.schemaVersion,
          occurred_at: event.occurredAt,
          valid_from: new Date(startMs).toISOString(),
          valid_to: new Date(endMs).toISOString(),
          recorded_at: recordedAt.toISOString(),
          data: event.data,
          metadata: event.metadata,
          content_hash: hashes[i],
        };
      });
      await tx.query(
        `INSERT INTO events (position, event_id, stream_id, stream_version, type, schema_version, occurred_at,
                             valid_from, valid_to, recorded_at, data, metadata, content_hash)
         SELECT position, event_id, stream_id, stream_version, type, schema_version, occurred_at,
                valid_from, valid_to, recorded_at, data, metadata, content_hash
         FROM jsonb_to_recordset($1::jsonb) AS x(
           position bigint, event_id uuid, stream_id text, stream_version integer, type text,
           schema_version integer, occurred_at jsonb, valid_from timestamptz, valid_to timestamptz,
           recorded_at timestamptz, data jsonb, metadata jsonb, content_hash text)`,
        [JSON.stringify(rows)],
      );
      const newVersion = actual + events.length;
      await tx.query(
        `INSERT INTO streams (stream_id, version) VALUES ($1, $2)
         ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version`,
        [streamId, newVersion],
      );
      const newHead = head.position + events.length;
      await tx.query('UPDATE log_head SET position = $1, recorded_at = $2', [
        newHead,
        recordedAt.toISOString(),
      ]);
      await tx.query('SELECT pg_notify($1, $2)', [APPENDED_CHANNEL, String(newHead)]);
      return {
        streamId,
        streamVersion: newVersion,
        events: rows.map((r) => ({
          eventId: r.event_id,
          streamVersion: r.stream_version,
          position: r.position,
        })),
        duplicate: false,
      } satisfies AppendResult;
    });
    return result;
  }

  /**
   * Idempotency: if every id is already stored with the same content, the append is a retry and gets
   * the first result back. Any other overlap with stored ids is a conflict.
   */
  private async findStored(
    tx: SqlExecutor,
    streamId: string,
    ids: readonly string[],
    hashes: readonly string[],
  ): Promise<AppendResult | undefined> {
    const { rows } = await tx.query<{
      event_id: string;
      stream_id: string;
      stream_version: number;
      position: number;
      content_hash: string;
    }>(
      'SELECT event_id, stream_id, stream_version, position, content_hash FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY position',
      [ids],
    );
    if (rows.length === 0) return undefined;
    const byId = new Map(rows.map((r) => [r.event_id, r]));
    for (const [i, id] of ids.entries()) {
      const stored = byId.get(id);
      if (!stored) continue;
      if (stored.stream_id !== streamId)
        throw new EventIdConflictError(id, `is already stored in stream '${stored.stream_id}'`);
      if (stored.content_hash !== hashes[i])
        throw new EventIdConflictError(id, 'is already stored with different content');
    }
    if (rows.length !== ids.length) {
      throw new EventIdConflictError(
        rows[0]!.event_id,
        'was stored by an earlier append that did not contain the same events',
      );
    }
    const ordered = ids.map((id) => byId.get(id)!);
    const consecutive = ordered.every((r, i) => i === 0 || r.position === ordered[i - 1]!.position + 1);
    if (!consecutive)
      throw new EventIdConflictError(ids[0]!, 'was stored by earlier appends in another order');
    return {
      streamId,
      streamVersion: ordered[ordered.length - 1]!.stream_version,
      events: ordered.map((r) => ({
        eventId: r.event_id,
        streamVersion: r.stream_version,
        position: r.position,
      })),
      duplicate: true,
    };
  }

  async readStream(
    streamId: string,
    options: { fromVersion?: number; limit?: number } = {},
  ): Promise<StreamSlice> {
    const [{ rows: versionRows }, { rows }] = await Promise.all([
      this.sql.query<{ version: number }>('SELECT version FROM streams WHERE stream_id = $1', [streamId]),
      this.sql.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3`,
        [streamId, options.fromVersion ?? 1, options.limit ?? 10_000],
      ),
    ]);
    return { streamId, version: versionRows[0]?.version ?? 0, events: rows.map(toEnvelope) };
  }

  async readLogPage(selection: LogSelection): Promise<EventEnvelope[]> {
    const { rows } = await this.sql.query<EventRow>(
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
    return rows.map(toEnvelope);
  }

  async *readLog(selection: LogSelection, pageSize = 1000): AsyncIterable<EventEnvelope> {
    let after = selection.after ?? 0;
    let remaining = selection.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const page = await this.readLogPage({ ...selection, after, limit: Math.min(pageSize, remaining) });
      for (const event of page) yield event;
      if (page.length < Math.min(pageSize, remaining)) return;
      after = page[page.length - 1]!.position;
      remaining -= page.length;
    }
  }

  async getEvent(eventId: string): Promise<EventEnvelope | undefined> {
    const { rows } = await this.sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = $1::uuid`,
      [eventId],
    );
    return rows[0] ? toEnvelope(rows[0]) : undefined;
  }

  async head(): Promise<number> {
    const { rows } = await this.sql.query<{ position: number }>('SELECT position FROM log_head');
    return rows[0]?.position ?? 0;
  }

  async onAppended(listener: (head: number) => void): Promise<() => Promise<void>> {
    return this.sql.listen(APPENDED_CHANNEL, (payload) => {
      const head = Number(payload);
      if (Number.isSafeInteger(head)) listener(head);
    });
  }

  async close(): Promise<void> {
    await this.sql.close();
  }
}

async function lockHead(tx: SqlExecutor): Promise<{ position: number; recordedAt: Date | null }> {
  const { rows } = await tx.query<{ position: number; recorded_at: Date | null }>(
    'SELECT position, recorded_at FROM log_head FOR UPDATE',
  );
  const row = rows[0];
  if (!row) throw new Error('log_head is missing: the store was not migrated');
  return { position: row.position, recordedAt: row.recorded_at ? new Date(row.recorded_at) : null };
}

function versionMatches(expected: ExpectedVersion, exists: boolean, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return !exists;
  return expected === actual;
}
