import { type DomainEventEnvelope, lineageTargetOf } from '@timeline/shared-types';
import type { SqlClient, SqlExecutor } from '../event-store/sql-client.js';
import { ConflictError } from '../shared/conflict.error.js';
import type { TimelineReadModel } from './timeline-read-model.js';

/** Stands in for the event id of a message too broken to name one: projected_events needs a value. */
export const UNKNOWN_EVENT_ID = '00000000-0000-0000-0000-000000000000';

export interface DeadLetterMark {
  position: number;
  eventId: string;
  reason: string;
}

/**
 * The projector's record of the positions it dead-lettered. A mark counts as projected for the
 * watermark (the position is in projected_events), so one poison message does not hold readiness and
 * rebuild comparisons back for ever; the item it would have made is missing until it is redriven.
 */
export class DeadLetterMarks {
  constructor(
    private readonly sql: SqlClient,
    private readonly readModel: TimelineReadModel,
  ) {}

  /** Records the marks in the caller's transaction (with the consumer's offsets); returns the positions newly marked. */
  async markWithin(tx: SqlExecutor, marks: readonly DeadLetterMark[]): Promise<number[]> {
    const fresh = await this.readModel.skipWithin(tx, marks);
    const wanted = marks.filter((m) => fresh.includes(m.position));
    if (wanted.length > 0) {
      await tx.query(
        `INSERT INTO projector_dead_letters (position, event_id, reason)
         SELECT position, event_id, reason FROM jsonb_to_recordset($1::jsonb) AS x(position bigint, event_id uuid, reason text)
         ON CONFLICT (position) DO UPDATE SET reason = EXCLUDED.reason, dead_lettered_at = now(), redriven_at = NULL`,
        [
          JSON.stringify(
            wanted.map((m) => ({ position: m.position, event_id: m.eventId, reason: m.reason })),
          ),
        ],
      );
    }
    return wanted.map((m) => m.position);
  }

  /** Positions among these that were redriven since they were dead-lettered. */
  async redriven(positions: readonly number[]): Promise<Set<number>> {
    if (positions.length === 0) return new Set();
    const { rows } = await this.sql.query<{ position: number }>(
      'SELECT position FROM projector_dead_letters WHERE position = ANY($1::bigint[]) AND redriven_at IS NOT NULL',
      [positions],
    );
    return new Set(rows.map((r) => Number(r.position)));
  }

  /**
   * Folds the event into the read model and stamps the mark, in one transaction: all or nothing.
   * Only a position the projector gave up on (or never recorded) is folded: folding a fact twice
   * would reset its corrections. A dead letter's item is folded again from its whole history
   * (`history`: the store's fact, corrections and retraction of the item, read in the transaction),
   * leaving out the dead letters still waiting: the corrections projected while its fact was missing
   * were ignored then, and a correction redriven late goes under the later ones, not over them.
   */
  async redrive(
    event: DomainEventEnvelope,
    history: (tx: SqlExecutor, itemId: string) => Promise<DomainEventEnvelope[]>,
  ): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const { rows } = await tx.query<{ redriven: boolean }>(
        'SELECT redriven_at IS NOT NULL AS redriven FROM projector_dead_letters WHERE position = $1 FOR UPDATE',
        [event.position],
      );
      const mark = rows[0];
      if (mark?.redriven) throw new ConflictError(`position ${event.position} was already redriven`);
      if (mark) {
        await this.readModel.lockWithin(tx);
        const events = await history(tx, lineageTargetOf(event) ?? event.eventId);
        const { rows: waiting } = await tx.query<{ position: number }>(
          `SELECT position FROM projector_dead_letters
           WHERE position = ANY($1::bigint[]) AND position <> $2 AND redriven_at IS NULL`,
          [events.map((e) => e.position), event.position],
        );
        const left = new Set(waiting.map((w) => Number(w.position)));
        await this.readModel.refoldItemWithin(
          tx,
          events.filter((e) => !left.has(e.position)),
        );
      } else if ((await this.readModel.applyWithin(tx, [event])).length === 0)
        throw new ConflictError(`position ${event.position} is already in the read model`);
      await tx.query(
        `INSERT INTO projector_dead_letters (position, event_id, reason, redriven_at) VALUES ($1, $2, 'redriven', now())
         ON CONFLICT (position) DO UPDATE SET redriven_at = now()`,
        [event.position, event.eventId],
      );
    });
  }
}
