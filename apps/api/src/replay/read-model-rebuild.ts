import { randomUUID } from 'node:crypto';
import { type DomainEventEnvelope, readOwnStoredEnvelope } from '@timeline/shared-types';
import type { EventStore, LogReads } from '../event-store/event-store.port.js';
import type { LockHandle, SqlClient } from '../event-store/sql-client.js';
import {
  dropNextTables,
  lockLiveTables,
  NEXT_READ_MODEL_TABLES,
  prepareNextTables,
  swapInNextTables,
} from '../read-model/read-model-swap.js';
import { TimelineReadModel } from '../read-model/timeline-read-model.js';
import { yieldToEventLoop } from '../shared/yield-to-event-loop.js';
import { foldFromKafka, type KafkaLogSource } from './kafka-log-reader.js';
import {
  RebuildInProgressError,
  RebuildRecords,
  type RebuildSource,
  RebuildSourceUnavailableError,
  type RebuildStatus,
} from './rebuild-status.js';

export interface RebuildOptions {
  /** Events applied per transaction while folding beside the live model (default 5,000; 1,000 on PGlite). */
  batchSize?: number;
  /** The fold stops chasing the head and takes the lock when at most this many events remain. */
  lockedTail?: number;
  /** How often progress is written to `read_model_rebuilds` (ms). */
  progressEveryMs?: number;
}

/** One rebuild at a time across every API instance on the store. */
const REBUILD_LOCK_KEY = 7_140_003;
const MAX_UNLOCKED_ROUNDS = 5;

/**
 * Rebuilds the timeline read model from the store while the service stays up and the projector
 * keeps running:
 *
 * 1. fold the store into `timeline_items_next` / `projected_events_next` / `projected_watermark_next`,
 *    created beside the live tables with their exact shape (read-model-swap.ts), in batches,
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
  private readonly records: RebuildRecords;
  private running: { id: string; done: Promise<RebuildStatus> } | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly options: RebuildOptions = {},
    private readonly now: () => Date = () => new Date(),
    /** The events topic, for `source: 'kafka'`. */
    private readonly kafka?: KafkaLogSource,
  ) {
    this.records = new RebuildRecords(sql);
  }

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
    if (!lock) throw new RebuildInProgressError(await this.records.runningId());
    try {
      const stamp = this.now().toISOString();
      await this.records.failInterrupted(stamp);
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
      await this.records.insert(status);
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
  status(id: string): Promise<RebuildStatus | undefined> {
    return this.records.find(id);
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

  private async run(status: RebuildStatus, lock: LockHandle): Promise<RebuildStatus> {
    const next = new TimelineReadModel(this.sql, NEXT_READ_MODEL_TABLES);
    // PGlite blocks this thread for the length of each batch: keep its batches short.
    const batchSize = this.options.batchSize ?? (this.sql.kind === 'pglite' ? 1000 : 5000);
    const lockedTail = this.options.lockedTail ?? 2000;
    let lastReport = 0;
    const report = async (force = false) => {
      status.updatedAt = this.now().toISOString();
      for (const listener of this.watchers.get(status.id) ?? []) listener({ ...status });
      if (!force && Date.now() - lastReport < (this.options.progressEveryMs ?? 500)) return;
      lastReport = Date.now();
      await this.records.save(status);
    };
    const applied = async (events: readonly DomainEventEnvelope[]) => {
      status.appliedPosition = events[events.length - 1]!.position;
      await report();
      await yieldToEventLoop();
    };
    try {
      await prepareNextTables(this.sql);
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
            status.kafkaPosition = events[events.length - 1]!.position;
            await applied(events);
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
          const events = await readPage(this.store, status, batchSize);
          if (events.length === 0) break;
          await next.apply(events);
          await applied(events);
        }
      }
      status.phase = 'swapping';
      await report(true);
      await this.sql.transaction(async (tx) => {
        await lockLiveTables(this.sql, tx);
        const log = this.store.within(tx);
        status.targetPosition = await log.head();
        while (status.appliedPosition < status.targetPosition) {
          const events = await readPage(log, status, batchSize);
          if (events.length === 0) break;
          await next.applyWithin(tx, events);
          status.appliedPosition = events[events.length - 1]!.position;
        }
        await swapInNextTables(tx);
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
      await dropNextTables(this.sql).catch(() => undefined);
      await report(true).catch(() => undefined);
    } finally {
      await lock.release();
    }
    return { ...status };
  }
}

/** The next batch after what the rebuild applied, up to its target. */
async function readPage(
  log: LogReads,
  status: Pick<RebuildStatus, 'appliedPosition' | 'targetPosition'>,
  limit: number,
): Promise<DomainEventEnvelope[]> {
  const page = await log.readLogPage({
    after: status.appliedPosition,
    until: status.targetPosition,
    limit,
  });
  return page.map(readOwnStoredEnvelope);
}
