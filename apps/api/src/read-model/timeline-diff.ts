import {
  matchesTimelineFilter,
  TIMELINE_WINDOW_MAX_BUDGET,
  type TimelineDiffQuery,
  type TimelineDiffResponse,
  type TimelineFilter,
  type TimelineItem,
  ValidationError,
  windowEndMs,
  windowStartMs,
} from '@timeline/shared-types';
import type { SqlClient } from '../event-store/sql-client.js';
import { LIVE_READ_MODEL_TABLES, type ReadModelTables } from './timeline-read-model.js';
import type { ReadModelState, TimelineWindowReads } from './timeline-window-reads.js';
import { sqlTimestamp } from '../event-store/sql-time.js';

/**
 * What changed in a valid-time window between two log positions, from the version rows: the items
 * with a version that began or ended in (from, to], then each one's state at `from` and at `to`
 * judged by the window and the filters. The cost is the number of versions in that range of the
 * log, not the log.
 */
export class TimelineDiff {
  constructor(
    private readonly sql: SqlClient,
    private readonly reads: TimelineWindowReads,
    private readonly tables: ReadModelTables = LIVE_READ_MODEL_TABLES,
  ) {}

  async diff(query: TimelineDiffQuery, state: ReadModelState): Promise<TimelineDiffResponse> {
    this.reads.checkPosition(state, query.to, 'to');
    this.reads.checkPosition(state, query.from, 'from');
    const answer: TimelineDiffResponse = {
      fromPosition: query.from,
      toPosition: query.to,
      added: [],
      changed: [],
      retracted: [],
    };
    if (query.from === query.to) return answer;
    const { versions } = this.tables;
    const params: unknown[] = [query.from, query.to];
    let window = '';
    if (query.validFrom !== undefined || query.validTo !== undefined) {
      const bound = (ms: number | undefined) => (ms === undefined ? null : sqlTimestamp(ms));
      params.push(
        bound(query.validFrom === undefined ? undefined : windowStartMs(query.validFrom)),
        bound(query.validTo === undefined ? undefined : windowEndMs(query.validTo) + 1),
      );
      window = 'AND tstzrange(valid_from, valid_to) && tstzrange($3::timestamptz, $4::timestamptz)';
    }
    const { rows: candidates } = await this.sql.query<{ id: string }>(
      `SELECT DISTINCT id FROM ${versions}
       WHERE ((from_position > $1 AND from_position <= $2) OR (to_position > $1 AND to_position <= $2)) ${window}
       LIMIT ${TIMELINE_WINDOW_MAX_BUDGET + 1}`,
      params,
    );
    if (candidates.length > TIMELINE_WINDOW_MAX_BUDGET)
      throw new ValidationError(
        [
          {
            path: 'from',
            message: `more than ${TIMELINE_WINDOW_MAX_BUDGET} items changed between from and to in this window; narrow the window or the range`,
          },
        ],
        'request',
      );
    if (candidates.length === 0) return answer;
    const { rows } = await this.sql.query<{ item: TimelineItem; at_from: boolean; at_to: boolean }>(
      `SELECT item, int8range(from_position, to_position) @> $2::int8 AS at_from,
              int8range(from_position, to_position) @> $3::int8 AS at_to
       FROM ${versions}
       WHERE id = ANY($1::uuid[]) AND from_position <= $3 AND (to_position IS NULL OR to_position > $2)`,
      [candidates.map((c) => c.id), query.from, query.to],
    );
    const filter: TimelineFilter = {};
    if (query.validFrom !== undefined) filter.from = query.validFrom;
    if (query.validTo !== undefined) filter.to = query.validTo;
    if (query.pillars) filter.pillars = query.pillars;
    if (query.actors) filter.actors = query.actors;
    if (query.types) filter.types = query.types;
    if (query.streams) filter.streams = query.streams;
    if (query.q !== undefined) filter.q = query.q;
    const states = new Map<string, { before?: TimelineItem; after?: TimelineItem }>();
    for (const row of rows) {
      const entry = states.get(row.item.id) ?? {};
      if (row.at_from) entry.before = row.item;
      if (row.at_to) entry.after = row.item;
      states.set(row.item.id, entry);
    }
    for (const { before, after } of states.values()) {
      const was = before !== undefined && matchesTimelineFilter(before, filter);
      const is = after !== undefined && matchesTimelineFilter(after, filter);
      if (!was && is) answer.added.push(after!);
      else if (was && after?.retracted) answer.retracted.push({ item: after, before: before! });
      else if (was && after && after.lastPosition !== before!.lastPosition)
        answer.changed.push({ item: after, before: before! });
    }
    const order = (a: TimelineItem, b: TimelineItem) => a.position - b.position;
    answer.added.sort(order);
    answer.changed.sort((a, b) => order(a.item, b.item));
    answer.retracted.sort((a, b) => order(a.item, b.item));
    return answer;
  }
}
