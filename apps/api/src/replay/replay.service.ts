import {
  type DomainEventEnvelope,
  lineageTargetOf,
  ndjsonLine,
  type ReplaySelection,
  type ReplaySubject,
  readOwnStoredEnvelope,
  selectReplayEvents,
  subjectOf,
  type TimelineItem,
  TimelineReplay,
} from '@timeline/shared-types';
import type { EventStore } from '../event-store/event-store.port.js';
import type { SqlClient, SqlExecutor } from '../event-store/sql-client.js';
import { toEnvelope } from '../event-store/sql-event-store.js';
import { yieldToEventLoop } from './read-model-rebuild.js';
import { logPageFilter } from './replay-selection.js';

const EVENT_COLUMNS =
  'position, event_id, stream_id, stream_version, type, schema_version, occurred_at, recorded_at, data, metadata';

type EventRow = Parameters<typeof toEnvelope>[0];

export interface OpenReplay {
  /** The last log position the replay can contain: pass it as `until` to get the same bytes again. */
  horizon: number;
  /** NDJSON lines (canonical JSON, one value each), produced as the consumer reads them. */
  lines: AsyncIterable<string>;
}

/**
 * Replays over the store. The selection's rules live in shared-types (`replay.ts`); this class feeds
 * them the log page by page (keyset on position, filters in SQL), so the whole log is never in memory.
 * A timeline-mode replay holds the folded items, one per fact, which it must to sort them.
 */
export class ReplayService {
  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly pageSize = 1000,
  ) {}

  /**
   * The knowledge horizon as a position: `until`, the head, and the last event recorded by `asOf`,
   * whichever is lowest. Knowledge time grows with position, so everything at or below it is known.
   */
  async horizon(
    selection: Pick<ReplaySelection, 'until' | 'asOf'>,
    executor: SqlExecutor = this.sql,
  ): Promise<number> {
    let horizon = await this.store.head();
    if (selection.until !== undefined) horizon = Math.min(horizon, selection.until);
    if (selection.asOf !== undefined) {
      const { rows } = await executor.query<{ position: number | null }>(
        'SELECT max(position) AS position FROM events WHERE recorded_at <= $1::timestamptz',
        [selection.asOf],
      );
      horizon = Math.min(horizon, rows[0]?.position ?? 0);
    }
    return horizon;
  }

  /** Pins the horizon now, then streams the selection as NDJSON lines. */
  async open(selection: ReplaySelection): Promise<OpenReplay> {
    const horizon = await this.horizon(selection);
    const pinned: ReplaySelection = { ...selection, until: horizon };
    const lines = selection.mode === 'events' ? this.eventLines(pinned) : this.timelineLines(pinned);
    return { horizon, lines };
  }

  /** The timeline as the selection's horizon knew it, filtered, in timeline order. */
  async timeline(selection: ReplaySelection): Promise<{ items: TimelineItem[]; position: number }> {
    const horizon = await this.horizon(selection);
    const replay = new TimelineReplay({ ...selection, until: horizon });
    for await (const page of this.pages({ ...selection, after: 0, until: horizon }, { windowed: false })) {
      for (const event of page) replay.apply(event);
    }
    return { items: replay.result(), position: horizon };
  }

  private async *eventLines(selection: ReplaySelection): AsyncGenerator<string> {
    const pages = this.pages(selection, { windowed: true });
    const resolve = (ids: readonly string[]) => this.subjects(ids, selection.until ?? 0);
    let batch = '';
    for await (const event of selectReplayEvents(pages, selection, resolve)) {
      batch += ndjsonLine(event);
      if (batch.length >= 64 * 1024) {
        yield batch;
        batch = '';
      }
    }
    if (batch) yield batch;
  }

  private async *timelineLines(selection: ReplaySelection): AsyncGenerator<string> {
    const { items } = await this.timeline(selection);
    let batch = '';
    for (const item of items) {
      batch += ndjsonLine(item);
      if (batch.length >= 64 * 1024) {
        yield batch;
        batch = '';
      }
    }
    if (batch) yield batch;
  }

  /** The log from `after` to `until` in position order, a page at a time, narrowed in SQL. */
  async *pages(
    selection: ReplaySelection,
    options: { windowed: boolean },
  ): AsyncGenerator<DomainEventEnvelope[]> {
    const until = selection.until ?? (await this.store.head());
    const filter = logPageFilter(selection, options);
    let after = selection.after;
    for (;;) {
      const { rows } = await this.sql.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events
         WHERE position > $6 AND position <= $7 AND ${filter.where}
         ORDER BY position LIMIT $8`,
        [...filter.params, after, until, this.pageSize],
      );
      if (rows.length === 0) return;
      // Rows of this store: validated when appended, so only old versions and oddities are re-checked.
      yield rows.map((row) => readOwnStoredEnvelope(toEnvelope(row)));
      if (rows.length < this.pageSize) return;
      after = rows[rows.length - 1]!.position;
      await yieldToEventLoop();
    }
  }

  /** The recorded facts (within the horizon) that corrections and retractions are about. */
  private async subjects(ids: readonly string[], horizon: number): Promise<Map<string, ReplaySubject>> {
    const { rows } = await this.sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ANY($1::uuid[]) AND position <= $2`,
      [ids, horizon],
    );
    const subjects = new Map<string, ReplaySubject>();
    for (const row of rows) {
      const event = readOwnStoredEnvelope(toEnvelope(row));
      const subject = lineageTargetOf(event) === undefined ? subjectOf(event) : undefined;
      if (subject) subjects.set(subject.eventId, subject);
    }
    return subjects;
  }
}
