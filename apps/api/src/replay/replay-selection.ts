import {
  EXPORT_FORMATS,
  IsoDateOrInstantSchema,
  LINEAGE_EVENT_TYPES,
  ReplayQuerySchema,
  type ReplaySelection,
  validWindow,
} from '@timeline/shared-types';
import { z } from 'zod';

/**
 * The replay selection as the HTTP API takes it. What a selection means (knowledge horizon, subject
 * filters, `events` and `timeline` modes) is defined once, in shared-types `replay.ts`, because the
 * CLI applies the very same rules to a replay read from Kafka. This file adds what only the server
 * needs: the query schemas of the other endpoints and the SQL that narrows a page of the log.
 *
 * - `GET /api/replay?mode=events|timeline&after=&until=&streams=&types=&pillars=&actors=&from=&to=&asOf=`
 * - `GET /api/stats?asOf=&format=json|csv`
 * - `GET /api/export?format=jsonl|csv|timelinejs&asOf=&title=`
 */
export { ReplayQuerySchema, type ReplaySelection };

const asOf = IsoDateOrInstantSchema.optional();

export const StatsQuerySchema = z.strictObject({
  asOf,
  /** Content negotiation also works (`Accept: text/csv`); this wins when both are given. */
  format: z.enum(['json', 'csv']).optional(),
});
export type StatsQuery = z.output<typeof StatsQuerySchema>;

export const ExportQuerySchema = z.strictObject({
  format: z.enum(EXPORT_FORMATS).default('jsonl'),
  asOf,
  /** The TimelineJS title slide. */
  title: z.string().min(1).max(300).optional(),
});
export type ExportQuery = z.output<typeof ExportQuerySchema>;

/**
 * SQL that narrows one page of the log to what the selection can use, keyed on position
 * (`position > $1 AND position <= $2 … ORDER BY position LIMIT n`). It is a superset of the selection,
 * never a subset: corrections and retractions always pass, because whether they belong depends on the
 * fact they are about, which the shared code decides. Pillars and actors live in the data and are
 * judged after upcasting, also by the shared code.
 *
 * `windowed` is false for timeline mode: a correction can move a fact's valid time, so the window
 * applies to the folded item, not to the rows.
 */
export function logPageFilter(
  selection: ReplaySelection,
  options: { windowed: boolean },
): { where: string; params: unknown[] } {
  const window = options.windowed ? validWindow(selection) : {};
  const params: unknown[] = [
    [...LINEAGE_EVENT_TYPES],
    selection.types ?? null,
    selection.streams ?? null,
    window.start ?? null,
    window.end ?? null,
  ];
  // $1: lineage types; $2..$5 filters; the caller adds after/until/limit as $6..$8.
  const where = `($2::text[] IS NULL OR type = ANY($2::text[]) OR type = ANY($1::text[]))
     AND ($3::text[] IS NULL OR stream_id = ANY($3::text[]) OR type = ANY($1::text[]))
     AND ($4::timestamptz IS NULL OR valid_to > $4::timestamptz OR type = ANY($1::text[]))
     AND ($5::timestamptz IS NULL OR valid_from <= $5::timestamptz OR type = ANY($1::text[]))`;
  return { where, params };
}
