import { createHash } from 'node:crypto';
import {
  canonicalJson,
  type EventEnvelope,
  type ExpectedVersion,
  validTimeBounds,
} from '@timeline/shared-types';
import {
  type AppendResult,
  EventIdConflictError,
  type EventStore,
  type EventToAppend,
  type LogReads,
  type LogSelection,
  type StreamSlice,
  WrongExpectedVersionError,
} from './event-store.port.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';
import { RecentAppends } from './recent-appends.js';
import { SqlLogReads } from './sql-log-reads.js';
import { sqlTimestamp } from './sql-time.js';

export const APPENDED_CHANNEL = 'timeline_events_appended';

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

/** Bounds one `timeline_append` call: the size of its JSON and how long it holds the lock. */
const MAX_BATCH_COMMANDS = 500;
const MAX_BATCH_EVENTS = 5_000;
/**
 * A second call goes out while one is in flight only when this many events wait: then its transfer and
 * JSON parsing overlap the first call's time under the lock. Below it, waiting to join the next group
 * commit costs less than a commit of its own.
 */
const PIPELINE_MIN_EVENTS = 32;

/** An append waiting for its turn in a group commit. */
interface PendingAppend {
  streamId: string;
  expectedVersion: ExpectedVersion;
  ids: readonly string[];
  hashes: readonly string[];
  /** JSON of `{ stream, expected, events }`, one element of `timeline_append`'s first argument. */
  command: string;
  /** The rows `command` holds, kept to know the stored events whole (`RecentAppends`). */
  rows: readonly AppendRow[];
  /** What it may interact with: its stream and its event ids (see `takeBatch`). */
  keys: readonly string[];
  events: number;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

interface StoredRow {
  event_id: string;
  stream_id: string;
  stream_version: number;
  position: number;
  content_hash: string;
}

/** One event as `timeline_append` stores it, less what only the lock holder assigns. */
interface AppendRow {
  event_id: string;
  type: string;
  schema_version: number;
  occurred_at: EventToAppend['occurredAt'];
  valid_from: string;
  valid_to: string;
  data: Record<string, unknown>;
  metadata: EventToAppend['metadata'];
  content_hash: string;
}

/** What `timeline_append` did with one command; `recorded` from migration 12 on. */
type AppendOutcome =
  | { position: number; version: number; recorded?: string }
  | { actual: number }
  | { stored: StoredRow[] };

/** How long `recentlyAppended` waits for this process's appends in flight to return. */
const RECENT_WAIT_MS = 50;

/**
 * The event store over SQL: one implementation for PostgreSQL and PGlite.
 * See migrations.ts for why positions are gapless and commit-ordered.
 */
export class SqlEventStore extends SqlLogReads implements EventStore {
  constructor(
    private readonly sql: SqlClient,
    private readonly now: () => Date = () => new Date(),
  ) {
    super(sql);
    this.maxInFlight = sql.kind === 'pg' ? 2 : 1;
  }

  private readonly queue: PendingAppend[] = [];
  private queuedEvents = 0;
  private inFlight = 0;
  /** Keys of the commands in flight, with how many in-flight commands hold each. */
  private readonly busyKeys = new Map<string, number>();
  /** PGlite runs one statement at a time anyway: a second call in flight would only queue there. */
  private readonly maxInFlight: number;
  /** Kept from the first `recentlyAppended` call on (a process whose relay reads them). */
  private recent: RecentAppends | undefined;
  /** Woken whenever a `timeline_append` call returns. */
  private readonly settledWaiters = new Set<() => void>();

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
    // Everything but position, stream version and recorded_at, which only the lock holder knows.
    const rows = events.map((event, i): AppendRow => {
      const { startMs, endMs } = validTimeBounds(event.occurredAt);
      return {
        event_id: event.eventId,
        type: event.type,
        schema_version: event.schemaVersion,
        occurred_at: event.occurredAt,
        valid_from: sqlTimestamp(startMs),
        valid_to: sqlTimestamp(endMs),
        data: event.data,
        metadata: event.metadata,
        content_hash: hashes[i]!,
      };
    });
    // Serialised here: data JSON cannot carry (a BigInt, a cycle) fails this append, not its batch.
    const command = JSON.stringify({ stream: streamId, expected: expectedVersion, events: rows });
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({
        streamId,
        expectedVersion,
        ids,
        hashes,
        command,
        rows,
        keys: [`s:${streamId}`, ...ids.map((id) => `e:${id.toLowerCase()}`)],
        events: rows.length,
        resolve,
        reject,
      });
      this.queuedEvents += rows.length;
      this.pump();
    });
  }

  /**
   * Group commit: appends that arrive while a `timeline_append` call is in flight wait and go together
   * in the next call, sharing one lock hold and one commit (one WAL flush). The position lock
   * serialises appends anyway, so sending each alone would only make them queue inside PostgreSQL,
   * with a commit each. On PostgreSQL a second call may be in flight when enough events wait (see
   * PIPELINE_MIN_EVENTS): it waits for the lock inside PostgreSQL while the first holds it, so the
   * lock is never idle while a batch travels and is parsed. Positions stay gapless and in commit order
   * (the lock still covers assignment to commit).
   */
  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      if (this.inFlight > 0 && this.queuedEvents < PIPELINE_MIN_EVENTS) return;
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      this.inFlight += 1;
      for (const pending of batch) {
        this.queuedEvents -= pending.events;
        for (const key of pending.keys) this.busyKeys.set(key, (this.busyKeys.get(key) ?? 0) + 1);
      }
      void this.appendBatch(batch).finally(() => {
        for (const pending of batch) {
          for (const key of pending.keys) {
            const left = (this.busyKeys.get(key) ?? 1) - 1;
            if (left === 0) this.busyKeys.delete(key);
            else this.busyKeys.set(key, left);
          }
        }
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /**
   * The next batch, in arrival order. Two calls in flight may take the lock in either order, so a
   * command that shares a stream or an event id with one in flight (or with an earlier command left
   * waiting) waits for the next round: commands that interact are applied in the order they arrived
   * (expected versions, idempotent retries and id conflicts decide as if one at a time); commands
   * that share neither commute, and only their positions can differ. A command sharing an event id
   * with one already in the batch waits too: `timeline_append` looks the batch's ids up once, before
   * its inserts (migration 9), and would not see the earlier command's.
   */
  private takeBatch(): PendingAppend[] {
    const taken: PendingAppend[] = [];
    const blocked = new Set(this.busyKeys.keys());
    const takenIds = new Set<string>();
    let events = 0;
    for (let i = 0; i < this.queue.length; ) {
      const pending = this.queue[i]!;
      if (pending.keys.some((key) => blocked.has(key) || takenIds.has(key))) {
        for (const key of pending.keys) blocked.add(key);
        i += 1;
        continue;
      }
      const full = taken.length >= MAX_BATCH_COMMANDS || events + pending.events > MAX_BATCH_EVENTS;
      if (taken.length > 0 && full) break;
      taken.push(pending);
      events += pending.events;
      for (const key of pending.keys) if (key.startsWith('e:')) takenIds.add(key);
      this.queue.splice(i, 1);
    }
    return taken;
  }

  /**
   * One round trip for the whole batch (see migrations 5 and 9); settles every command, never throws.
   * `raced`: this command alone already met an id committed by another instance after its lookup.
   */
  private async appendBatch(batch: PendingAppend[], raced = false): Promise<void> {
    let outcomes: AppendOutcome[];
    try {
      const commands = `[${batch.map((p) => p.command).join(',')}]`;
      const { rows } = await this.sql.query<{ outcomes: AppendOutcome[] }>(
        'SELECT timeline_append($1::jsonb, $2::timestamptz, $3) AS outcomes',
        [commands, this.now().toISOString(), APPENDED_CHANNEL],
      );
      outcomes = rows[0]!.outcomes;
    } catch (error) {
      // PostgreSQL refused the statement and rolled the whole batch back: retry each command alone,
      // so a bad command fails by itself with the error it would have had alone. Any other failure
      // (a lost connection) leaves the outcome unknown: callers retry, and appends are idempotent.
      if (batch.length > 1 && isServerError(error)) {
        for (const pending of batch) await this.appendBatch([pending]);
      } else if (!raced && isUniqueViolation(error)) {
        // Its id was committed by another instance between the lookup and the insert: once more, and
        // the lookup sees the row (a replay or a conflict, as if the two had never overlapped).
        await this.appendBatch(batch, true);
      } else {
        for (const pending of batch) pending.reject(error);
      }
      for (const wake of this.settledWaiters) wake();
      return;
    }
    for (const [i, pending] of batch.entries()) {
      try {
        pending.resolve(settle(pending, outcomes[i]!));
      } catch (error) {
        pending.reject(error);
      }
      if (this.recent) this.remember(pending, outcomes[i]!);
    }
    for (const wake of this.settledWaiters) wake();
  }

  /** The events a command stored, as the log holds them (`SqlLogReads`' envelope), into `recent`. */
  private remember(pending: PendingAppend, outcome: AppendOutcome): void {
    if (!('position' in outcome) || outcome.recorded === undefined) return;
    const recordedAt = new Date(outcome.recorded).toISOString();
    for (const [i, row] of pending.rows.entries()) {
      this.recent!.add({
        eventId: row.event_id.toLowerCase(),
        streamId: pending.streamId,
        streamVersion: outcome.version + i,
        position: outcome.position + i,
        type: row.type,
        schemaVersion: row.schema_version,
        occurredAt: row.occurred_at,
        recordedAt,
        data: row.data,
        metadata: row.metadata,
      });
    }
  }

  async recentlyAppended(after: number, limit: number): Promise<EventEnvelope[]> {
    this.recent ??= new RecentAppends();
    const run = this.recent.after(after, limit);
    if (run.length > 0 || this.inFlight === 0) return run;
    // The NOTIFY that woke the caller may come before the result of the call that committed it.
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.settledWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, RECENT_WAIT_MS);
      this.settledWaiters.add(done);
    });
    return this.recent.after(after, limit);
  }

  async readStream(
    streamId: string,
    options: { fromVersion?: number; limit?: number } = {},
  ): Promise<StreamSlice> {
    const [version, events] = await Promise.all([
      this.streamVersion(streamId),
      this.readStreamEvents(streamId, options.fromVersion ?? 1, options.limit ?? 10_000),
    ]);
    return { streamId, version, events };
  }

  within(tx: SqlExecutor): LogReads {
    return new SqlLogReads(tx);
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

function settle(pending: PendingAppend, outcome: AppendOutcome): AppendResult {
  const { streamId, ids } = pending;
  if ('stored' in outcome) return replayOf(streamId, ids, pending.hashes, outcome.stored);
  if ('actual' in outcome)
    throw new WrongExpectedVersionError(streamId, pending.expectedVersion, outcome.actual);
  return {
    streamId,
    streamVersion: outcome.version + ids.length - 1,
    events: ids.map((eventId, i) => ({
      eventId,
      streamVersion: outcome.version + i,
      position: outcome.position + i,
    })),
    duplicate: false,
  };
}

/**
 * Idempotency: if every id is already stored with the same content, the append is a retry and gets
 * the first result back. Any other overlap with stored ids is a conflict.
 */
function replayOf(
  streamId: string,
  ids: readonly string[],
  hashes: readonly string[],
  rows: readonly StoredRow[],
): AppendResult {
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
  if (!consecutive) throw new EventIdConflictError(ids[0]!, 'was stored by earlier appends in another order');
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

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

/** An error PostgreSQL (or PGlite) raised for a statement, as opposed to a transport failure. */
function isServerError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
