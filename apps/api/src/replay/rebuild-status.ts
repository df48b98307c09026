import type { SqlClient } from '../event-store/sql-client.js';
import { ConflictError } from '../shared/conflict.error.js';

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

/** The `read_model_rebuilds` table: every instance's rebuilds, so any instance can report any of them. */
export class RebuildRecords {
  constructor(private readonly sql: SqlClient) {}

  /** A rebuild whose process died left its row 'running': the caller holds the rebuild lock, so it is not. */
  async failInterrupted(stamp: string): Promise<void> {
    await this.sql.query(
      `UPDATE read_model_rebuilds SET state = 'failed', phase = 'failed', error = 'interrupted', finished_at = $1, updated_at = $1
       WHERE state = 'running'`,
      [stamp],
    );
  }

  async insert(status: RebuildStatus): Promise<void> {
    await this.sql.query(
      `INSERT INTO read_model_rebuilds (id, state, phase, target_position, applied_position, items,
         updated_at, finished_at, error, kafka_position, source, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [...progressOf(status), status.source, status.startedAt],
    );
  }

  async save(status: RebuildStatus): Promise<void> {
    await this.sql.query(
      `UPDATE read_model_rebuilds SET state = $2, phase = $3, target_position = $4, applied_position = $5, items = $6,
         updated_at = $7, finished_at = $8, error = $9, kafka_position = $10 WHERE id = $1::uuid`,
      progressOf(status),
    );
  }

  async find(id: string): Promise<RebuildStatus | undefined> {
    const { rows } = await this.sql.query<RebuildRow>(
      `SELECT * FROM read_model_rebuilds WHERE id = $1::uuid`,
      [id],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** The latest rebuild still marked running (another instance's, when this one holds no lock). */
  async runningId(): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ id: string }>(
      `SELECT id FROM read_model_rebuilds WHERE state = 'running' ORDER BY started_at DESC LIMIT 1`,
    );
    return rows[0]?.id;
  }
}

/** The columns a rebuild's progress changes, in the order of `insert` and `save`, `id` first. */
function progressOf(status: RebuildStatus): unknown[] {
  return [
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
  ];
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
