import { randomUUID } from 'node:crypto';
import { readOwnStoredEnvelope } from '@timeline/shared-types';
import type { EventStore } from '../event-store/event-store.port.js';
import type { LockHandle, SqlClient, SqlExecutor } from '../event-store/sql-client.js';
import { toEnvelope } from '../event-store/sql-event-store.js';
import { ConflictError } from '../shared/conflict.error.js';
import { foldFromKafka, type KafkaLogSource } from './kafka-log-reader.js';
import {
  LIVE_READ_MODEL_TABLES,
  type ReadModelTables,
  TimelineReadModel,
} from '../streaming/timeline-read-model.js';

export const REBUILD_STATES = ['running', 'swapped', 'failed'] as const;
export type RebuildState = (typeof REBUILD_STATES)[number];
export type RebuildPhase = 'preparing' | 'reading-kafka' | 'folding' | 'swapping' | 'done' | 'failed';
export const REBUILD_SOURCES = ['store', 'kafka'] as const;
/** Where the bulk of the log is read from; the tail under the swap lock always comes from the store. */
export type RebuildSource = (typeof REBUILD_SOURCES)[number];

/** One rebuild as `GET /api/admin/rebuild/:id` and the NDJSON progress lines report it. */
export interface RebuildStatus {
  id: string;
  state: RebuildState;
  phase: RebuildPhase;
  /** The store head when the fold last looked; the swap catches up to the head under the lock. */
  targetPosition: number;
  appliedPosition: number;
  /** Timeline items in the rebuilt model. */
  items: number;
  source: RebuildSource;
  /**
   * With `source: 'kafka'`: the last position folded from the topic. Everything after it (not relayed
   * yet, lost to retention, behind an unreadable message, or appended during the rebuild) was read
   * from the store.
   */
  kafkaPosition?: number;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  error?: string;
}

export interface RebuildOptions {
  /** Events applied per transaction while folding beside the live model (default 5,000; 1,000 on PGlite). */
  batchSize?: number;
  /** The fold stops chasing the head and takes the lock when at most this many events remain. */
  lockedTail?: number;
  /** How often progress is written to `read_model_rebuilds` (ms). */
  progressEveryMs?: number;
}

const NEXT_TABLES: ReadModelTables = {
  items: 'timeline_items_next',
  projected: 'projected_events_next',
  watermark: 'projected_watermark_next',
};
const OLD_TABLES: ReadModelTables = {
  items: 'timeline_items_old',
  projected: 'projected_events_old',
  watermark: 'projected_watermark_old',
};
const TABLE_KEYS = ['items', 'projected', 'watermark'] as const;
const EVENT_COLUMNS =
  'position, event_id, stream_id, stream_version, type, schema_version, occurred_at, recorded_at, data, metadata';
/** One rebuild at a time across every API instance on the store. */
const REBUILD_LOCK_KEY = 7_140_003;
const MAX_UNLOCKED_ROUNDS = 5;

type EventRow = Parameters<typeof toEnvelope>[0];

/** `source: 'kafka'` asked of an instance that has no Kafka to read (409, like a running rebuild). */
export class RebuildSourceUnavailableError extends ConflictError {}

export class RebuildInProgressError extends ConflictError {
  constructor(readonly runningId: string | undefined) {
    super(
      runningId
        ? `a rebuild is already running (${runningId}): follow it with GET /api/admin/rebuild/${runningId}`
        : 'a rebuild is already running on another instance',
    );
  }
}

/**
 * Rebuilds the timeline read model from the store while the service stays up and the projector
 * keeps running:
 *
 * 1. fold the store into `timeline_items_next` / `projected_events_next` / `projected_watermark_next`,
 *    created beside the live tables with their exact shape (`LIKE … INCLUDING ALL`), in batches,
 *    chasing the head (each batch moves the next watermark, as the projector moves the live one);
 * 2. in one transaction: lock the live tables (the projector's next batch waits, readers wait a
 *    moment), apply what was appended since, up to the head read under the lock, and swap the tables
 *    by renaming them; index names are carried over so later migrations find them.
 *
 * Why nothing is lost: the projector only applies committed events, so under the lock everything it
 * has applied is at or below the head, and the rebuilt tables hold all of that, so the rebuilt
 * watermark (the head: the store has no holes) is exact for them too. Events appended after
 * that head reach the projector afterwards and land in the new tables (PostgreSQL resolves a table
 * name again after waiting for its lock). Kafka offsets are untouched; positions the projector
 * redelivers are already in `projected_events` and change nothing.
 */
export class ReadModelRebuild {
  private readonly watchers = new Map<string, Set<(status: RebuildStatus) => void>>();
  private running: { id: string; done: Promise<RebuildStatus> } | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly options: RebuildOptions = {},
    private readonly now: () => Date = () => new Date(),
    /** The events topic, for `source: 'kafka'`. */
    private readonly kafka?: KafkaLogSource,
  ) {}

  /**
   * Starts a rebuild in the background. Throws RebuildInProgressError if one is running anywhere,
   * RebuildSourceUnavailableError for `kafka` without a topic to read.
   */
  async start(
    options: { source?: RebuildSource } = {},
  ): Promise<{ status: RebuildStatus; done: Promise<RebuildStatus> }> {
    const source = options.source ?? 'store';
    if (source === 'kafka' && !this.kafka)
      throw new RebuildSourceUnavailableError(
        'this instance has no Kafka topic to rebuild from: use source=store',
      );
    if (this.running) throw new RebuildInProgressError(this.running.id);
    const lock = await this.sql.tryLock(REBUILD_LOCK_KEY);
    if (!lock) throw new RebuildInProgressError(await this.runningElsewhere());
    try {
      const stamp = this.now().toISOString();
      // A rebuild whose process died left its row 'running': we hold the lock, so it is not.
      await this.sql.query(
        `UPDATE read_model_rebuilds SET state = 'failed', phase = 'failed', error = 'interrupted', finished_at = $1, updated_at = $1
         WHERE state = 'running'`,
        [stamp],
      );
      const status: RebuildStatus = {
        id: randomUUID(),
        state: 'running',
        phase: 'preparing',
        targetPosition: await this.store.head(),
        appliedPosition: 0,
        items: 0,
        source,
        startedAt: stamp,
        updatedAt: stamp,
      };
      await this.sql.query(
        `INSERT INTO read_model_rebuilds (id, state, phase, target_position, applied_position, items, source, started_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
        [status.id, status.state, status.phase, status.targetPosition, 0, 0, source, stamp],
      );
      const done = this.run(status, lock);
      this.running = { id: status.id, done };
      void done.finally(() => {
        if (this.running?.id === status.id) this.running = undefined;
      });
      return { status: { ...status }, done };
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** A rebuild's last recorded status (any instance's). */
  async status(id: string): Promise<RebuildStatus | undefined> {
    const { rows } = await this.sql.query<RebuildRow>(
      `SELECT * FROM read_model_rebuilds WHERE id = $1::uuid`,
      [id],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** Progress of a rebuild this instance runs; returns an unsubscribe function. */
  watch(id: string, listener: (status: RebuildStatus) => void): () => void {
    let set = this.watchers.get(id);
    if (!set) {
      set = new Set();
      this.watchers.set(id, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.watchers.delete(id);
    };
  }

  /** Whether this instance runs the rebuild with this id. */
  isRunningHere(id: string): boolean {
    return this.running?.id === id;
  }

  private async runningElsewhere(): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ id: string }>(
      `SELECT id FROM read_model_rebuilds WHERE state = 'running' ORDER BY started_at DESC LIMIT 1`,
    );
    return rows[0]?.id;
  }

  private async run(status: RebuildStatus, lock: LockHandle): Promise<RebuildStatus> {
    const next = new TimelineReadModel(this.sql, NEXT_TABLES);
    // PGlite blocks this thread for the length of each batch: keep its batches short.
    const batchSize = this.options.batchSize ?? (this.sql.kind === 'pglite' ? 1000 : 5000);
    const lockedTail = this.options.lockedTail ?? 2000;
    let lastReport = 0;
    const report = async (force = false) => {
      status.updatedAt = this.now().toISOString();
      for (const listener of this.watchers.get(status.id) ?? []) listener({ ...status });
      if (!force && Date.now() - lastReport < (this.options.progressEveryMs ?? 500)) return;
      lastReport = Date.now();
      await this.sql.query(
        `UPDATE read_model_rebuilds SET state = $2, phase = $3, target_position = $4, applied_position = $5, items = $6,
           updated_at = $7, finished_at = $8, error = $9, kafka_position = $10 WHERE id = $1::uuid`,
        [
          status.id,
          status.state,
          status.phase,
          status.targetPosition,
          status.appliedPosition,
          status.items,
          status.updatedAt,
          status.finishedAt ?? null,
          status.error ?? null,
          status.kafkaPosition ?? null,
        ],
      );
    };
    try {
      await this.prepareNextTables();
      if (status.source === 'kafka' && this.kafka) {
        // The bulk from the topic, from offset 0, under a group of its own (the projector's offsets are
        // never touched); the store then supplies whatever the topic could not, as below.
        status.phase = 'reading-kafka';
        status.kafkaPosition = 0;
        await report(true);
        status.targetPosition = await this.store.head();
        const read = await foldFromKafka(this.kafka, {
          after: 0,
          until: status.targetPosition,
          batchSize,
          groupId: `${this.kafka.topic}.rebuild.${status.id}`,
          apply: async (events) => {
            await next.apply(events);
            status.appliedPosition = events[events.length - 1]!.position;
            status.kafkaPosition = status.appliedPosition;
            await report();
            await yieldToEventLoop();
          },
        });
        status.kafkaPosition = read.last;
      }
      status.phase = 'folding';
      await report(true);
      for (let round = 0; round < MAX_UNLOCKED_ROUNDS; round++) {
        status.targetPosition = await this.store.head();
        if (status.targetPosition - status.appliedPosition <= lockedTail) break;
        while (status.appliedPosition < status.targetPosition) {
          const events = await readPage(this.sql, status.appliedPosition, status.targetPosition, batchSize);
          if (events.length === 0) break;
          await next.apply(events);
          status.appliedPosition = events[events.length - 1]!.position;
          await report();
          await yieldToEventLoop();
        }
      }
      status.phase = 'swapping';
      await report(true);
      await this.sql.transaction(async (tx) => {
        // Readers queue behind the lock while it waits: give up (and fail the rebuild) rather than stall them.
        if (this.sql.kind === 'pg') await tx.query(`SET LOCAL lock_timeout = '30s'`);
        // The projector's first statement locks the watermark row and inserts into projected_events,
        // then it writes timeline_items; readers read the watermark, then timeline_items. Lock in that
        // order so neither can hold one of them while waiting for us.
        const { watermark, projected, items } = LIVE_READ_MODEL_TABLES;
        await tx.query(`LOCK TABLE ${watermark}, ${projected}, ${items} IN ACCESS EXCLUSIVE MODE`);
        const { rows } = await tx.query<{ position: number }>('SELECT position FROM log_head');
        status.targetPosition = rows[0]?.position ?? 0;
        while (status.appliedPosition < status.targetPosition) {
          const events = await readPage(tx, status.appliedPosition, status.targetPosition, batchSize);
          if (events.length === 0) break;
          await next.applyWithin(tx, events);
          status.appliedPosition = events[events.length - 1]!.position;
        }
        await swapTables(tx);
      });
      status.items = await new TimelineReadModel(this.sql).count();
      status.state = 'swapped';
      status.phase = 'done';
      status.finishedAt = this.now().toISOString();
      await report(true);
    } catch (error) {
      status.state = 'failed';
      status.phase = 'failed';
      status.error = error instanceof Error ? error.message : String(error);
      status.finishedAt = this.now().toISOString();
      await this.dropNextTables().catch(() => undefined);
      await report(true).catch(() => undefined);
    } finally {
      await lock.release();
    }
    return { ...status };
  }

  private async prepareNextTables(): Promise<void> {
    await this.dropNextTables();
    await this.sql.transaction(async (tx) => {
      for (const key of TABLE_KEYS) {
        await tx.query(
          `CREATE TABLE ${NEXT_TABLES[key]} (LIKE ${LIVE_READ_MODEL_TABLES[key]} INCLUDING ALL)`,
        );
      }
      await tx.query(`INSERT INTO ${NEXT_TABLES.watermark} (position) VALUES (0)`);
    });
  }

  private async dropNextTables(): Promise<void> {
    await this.sql.query(
      `DROP TABLE IF EXISTS ${NEXT_TABLES.items}, ${NEXT_TABLES.projected}, ${NEXT_TABLES.watermark}`,
    );
  }
}

/**
 * Embedded PGlite runs queries on this thread and resolves them at once: without a pause between
 * batches, a long fold would keep HTTP requests and timers waiting until it ends.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function readPage(executor: SqlExecutor, after: number, until: number, limit: number) {
  const { rows } = await executor.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3`,
    [after, until, limit],
  );
  return rows.map((row) => readOwnStoredEnvelope(toEnvelope(row)));
}

/** Renames next → live (and live → old, dropped; the watermark goes with its tables), then gives the new indexes the old indexes' names. */
async function swapTables(tx: SqlExecutor): Promise<void> {
  for (const key of TABLE_KEYS) {
    const live = LIVE_READ_MODEL_TABLES[key];
    const oldIndexes = await indexesOf(tx, live);
    await tx.query(`ALTER TABLE ${live} RENAME TO ${OLD_TABLES[key]}`);
    await tx.query(`ALTER TABLE ${NEXT_TABLES[key]} RENAME TO ${live}`);
    await tx.query(`DROP TABLE ${OLD_TABLES[key]}`);
    const newIndexes = await indexesOf(tx, live);
    for (const [shape, name] of newIndexes) {
      const wanted = oldIndexes.get(shape);
      if (wanted && wanted !== name)
        await tx.query(`ALTER INDEX ${quoteIdent(name)} RENAME TO ${quoteIdent(wanted)}`);
    }
  }
}

/** A table's indexes by shape (uniqueness, method and columns, without names) → index name. */
async function indexesOf(tx: SqlExecutor, table: string): Promise<Map<string, string>> {
  const { rows } = await tx.query<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = $1::regclass`,
    [table],
  );
  const byShape = new Map<string, string>();
  for (const { name, def } of rows) {
    const unique = /^CREATE UNIQUE INDEX/i.test(def);
    const using = def.slice(def.indexOf(' USING ') + 1);
    byShape.set(`${unique ? 'unique ' : ''}${using}`, name);
  }
  return byShape;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

interface RebuildRow {
  id: string;
  state: RebuildState;
  phase: RebuildPhase;
  target_position: number;
  applied_position: number;
  items: number;
  source: RebuildSource;
  kafka_position: number | string | null;
  error: string | null;
  started_at: Date | string;
  updated_at: Date | string;
  finished_at: Date | string | null;
}

function fromRow(row: RebuildRow): RebuildStatus {
  const status: RebuildStatus = {
    id: row.id,
    state: row.state,
    phase: row.phase,
    targetPosition: Number(row.target_position),
    appliedPosition: Number(row.applied_position),
    items: Number(row.items),
    source: row.source,
    startedAt: new Date(row.started_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
  if (row.kafka_position !== null) status.kafkaPosition = Number(row.kafka_position);
  if (row.finished_at) status.finishedAt = new Date(row.finished_at).toISOString();
  if (row.error) status.error = row.error;
  return status;
}
