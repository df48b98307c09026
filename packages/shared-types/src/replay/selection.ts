import { z } from 'zod';
import { PILLARS, type Pillar } from '../catalog/pillars.js';
import { commaListSchema } from '../comma-list.js';
import { IsoDateOrInstantSchema } from '../dto.js';
import { EVENT_TYPE_PATTERN, type OccurredAt, StreamIdSchema, validTimeBounds } from '../envelope.js';
import { windowEndMs, windowStartMs } from '../time-window.js';

/**
 * Replays: the one definition of what a replay selects and what it returns, shared by the API (which
 * reads the store) and the CLI (which can read the Kafka topic instead), so both give the same bytes.
 *
 * A selection has three parts.
 *
 * 1. The knowledge horizon: the events recorded at or before `asOf` (knowledge time) and at or below
 *    log position `until`. Knowledge time never goes backwards along the log, so the horizon is always
 *    a prefix of the log, 1..H. Nothing past H exists for the replay: neither facts nor the
 *    corrections and retractions of them.
 * 2. Subject filters: `streams`, `types`, `pillars`, `actors` and the valid-time window `from`/`to`.
 *    The subject of a fact is the fact; the subject of a correction or retraction is the fact it is
 *    about, as that fact was recorded. The window honours precision: an event dated "2021" covers
 *    the whole of 2021 and overlaps any window that touches it (`valid_from <= windowEnd AND
 *    valid_to > windowStart`). A date-only `to` runs to the end of that day (month, year).
 * 3. The mode, which says what comes out, one canonical JSON value per line (NDJSON):
 *    - `events`: the log envelopes in the horizon with position > `after`, upcast to the current
 *      catalog version, in position order, whose subject passes the filters. So a fact that matches
 *      brings its corrections and retractions with it. `types` and `streams` also match a correction's
 *      or retraction's own type and stream, so `types=EventRetracted` lists retractions.
 *      A correction whose fact is outside the horizon has no subject: it passes only filters on its
 *      own type or stream.
 *    - `timeline`: the timeline folded over the horizon (corrections applied, retractions hidden),
 *      then filtered on the corrected items by stream, type, pillar, actor and window, in timeline
 *      order (valid time, then position). `after` does not apply: a fold starts at position 1.
 *
 * The same selection over the same horizon always gives the same bytes, whether it is read from the
 * store or from Kafka. Pin the horizon (`until`) to make a replay repeatable while the log grows.
 */
export const REPLAY_MODES = ['events', 'timeline'] as const;
export type ReplayMode = (typeof REPLAY_MODES)[number];

/** A replay selection, normalized: `asOf` is an ISO instant, lists are never empty. */
export interface ReplaySelection {
  mode: ReplayMode;
  /** Exclusive lower bound on position (events mode). */
  after: number;
  /** Inclusive upper bound on position: the horizon. */
  until?: number;
  streams?: readonly string[];
  types?: readonly string[];
  pillars?: readonly Pillar[];
  actors?: readonly string[];
  /** Valid-time window, as given: ISO date (`2024`, `2024-07`, `2024-07-24`) or datetime. */
  occurredFrom?: string;
  occurredTo?: string;
  /** Knowledge time, as an ISO instant (`2024-08-01` means 2024-08-01T00:00:00.000Z). */
  asOf?: string;
}

const position = z.coerce
  .number({ message: 'must be a log position (a whole number)' })
  .int('must be a whole number')
  .min(0, 'must be 0 or more')
  .max(Number.MAX_SAFE_INTEGER);

/**
 * The selection as it arrives in a query string (`GET /api/replay?…`) or from CLI flags: lists are
 * comma-separated, unknown parameters are refused. Parse it, then `normalizeReplaySelection`.
 */
export const ReplayQuerySchema = z
  .strictObject({
    mode: z.enum(REPLAY_MODES).default('events'),
    after: position.optional(),
    until: position.optional(),
    streams: commaListSchema(StreamIdSchema).optional(),
    types: commaListSchema(
      z.string().regex(EVENT_TYPE_PATTERN, 'must be a PascalCase event type name'),
    ).optional(),
    pillars: commaListSchema(z.enum(PILLARS)).optional(),
    actors: commaListSchema(z.string().min(1).max(200)).optional(),
    from: IsoDateOrInstantSchema.optional(),
    to: IsoDateOrInstantSchema.optional(),
    asOf: IsoDateOrInstantSchema.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.after !== undefined && q.until !== undefined && q.until < q.after) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: `must not be below after (${q.after})` });
    }
    if (q.mode === 'timeline' && q.after !== undefined && q.after > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['after'],
        message: 'applies to mode=events only: a timeline folds the log from position 1 (use until or asOf)',
      });
    }
    if (q.from !== undefined && q.to !== undefined && windowStartMs(q.from) > windowEndMs(q.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    }
  })
  .transform((q): ReplaySelection => normalizeReplaySelection(q));
export type ReplayQuery = z.input<typeof ReplayQuerySchema>;

/** Builds a normalized selection from parsed parts (empty lists dropped, `asOf` made an instant). */
export function normalizeReplaySelection(q: {
  mode?: ReplayMode;
  after?: number | undefined;
  until?: number | undefined;
  streams?: readonly string[] | undefined;
  types?: readonly string[] | undefined;
  pillars?: readonly Pillar[] | undefined;
  actors?: readonly string[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  asOf?: string | undefined;
}): ReplaySelection {
  const selection: ReplaySelection = { mode: q.mode ?? 'events', after: q.after ?? 0 };
  if (q.until !== undefined) selection.until = q.until;
  if (q.streams?.length) selection.streams = [...q.streams];
  if (q.types?.length) selection.types = [...q.types];
  if (q.pillars?.length) selection.pillars = [...q.pillars];
  if (q.actors?.length) selection.actors = [...q.actors];
  if (q.from !== undefined) selection.occurredFrom = q.from;
  if (q.to !== undefined) selection.occurredTo = q.to;
  if (q.asOf !== undefined) selection.asOf = knowledgeInstant(q.asOf);
  return selection;
}

/** `asOf` as an exact instant: a date alone means its first millisecond, UTC (as `Date.parse` reads it). */
export function knowledgeInstant(asOf: string): string {
  const ms = Date.parse(asOf);
  if (Number.isNaN(ms)) throw new RangeError(`'${asOf}' is not an ISO date or datetime`);
  return new Date(ms).toISOString();
}

/** The valid-time window as instants, for SQL: overlap is `valid_from <= end AND valid_to > start`. */
export function validWindow(selection: ReplaySelection): { start?: string; end?: string } {
  const window: { start?: string; end?: string } = {};
  if (selection.occurredFrom !== undefined)
    window.start = new Date(windowStartMs(selection.occurredFrom)).toISOString();
  if (selection.occurredTo !== undefined)
    window.end = new Date(windowEndMs(selection.occurredTo)).toISOString();
  return window;
}

/** Whether a valid time overlaps the selection's window, honouring its precision. */
export function overlapsWindow(occurredAt: OccurredAt, selection: ReplaySelection): boolean {
  const { startMs, endMs } = validTimeBounds(occurredAt);
  if (selection.occurredFrom !== undefined && !(endMs > windowStartMs(selection.occurredFrom))) return false;
  if (selection.occurredTo !== undefined && !(startMs <= windowEndMs(selection.occurredTo))) return false;
  return true;
}

/** Whether an event is inside the knowledge horizon (`until`, `asOf`). */
export function withinHorizon(
  event: { position: number; recordedAt: string },
  selection: ReplaySelection,
): boolean {
  if (selection.until !== undefined && event.position > selection.until) return false;
  if (selection.asOf !== undefined && Date.parse(event.recordedAt) > Date.parse(selection.asOf)) return false;
  return true;
}
