import { z } from 'zod';
import type { Pillar } from './catalog/pillars.js';
import { TimelineQuerySchema } from './dto.js';
import { windowEndMs, windowStartMs } from './time-window.js';
import type { TimelineItem } from './timeline.js';

/**
 * The timeline by window (issue 12): what `GET /api/timeline` answers when the request names a
 * `budget`. The server, the API client and the web app share these shapes; the web app holds only
 * what one response carries.
 *
 * Request (query string, on top of today's filters `pillars`, `actors`, `types`, `streams`, `q`,
 * `includeRetracted`):
 * - `from`, `to`: the valid-time window (ISO date or instant). An item overlaps the window when its
 *   period (a year-, month- or day-dated fact covers that whole year, month or day) touches it.
 * - `budget` (1..5000): the most items the caller wants. Within budget → `mode: 'items'`; over budget →
 *   `mode: 'buckets'`.
 * - `groupBy` (`pillar` | `actor`, default `pillar`): how bucket rows are grouped, as the web app groups.
 * - `at` (a log position): the timeline as it stood after position `at` (replay without the whole log).
 * - `asOf` (an instant): the same by knowledge time, as today.
 */
export const TIMELINE_WINDOW_MAX_BUDGET = 5000;
/** At most this many buckets across a window (the default; `buckets` asks for fewer). */
export const TIMELINE_WINDOW_MAX_BUCKETS = 200;

/** Calendar units a window is bucketed by, finest first. */
export const BUCKET_UNITS = ['hour', 'day', 'week', 'month', 'quarter', 'year', 'decade'] as const;
export type BucketUnit = (typeof BUCKET_UNITS)[number];

export type TimelineGroupBy = 'pillar' | 'actor';

/**
 * One bucket of one group: how many items of the selection start in it. An item counts once per group,
 * in the bucket where it starts, or in the window's first bucket when it started before the window (a
 * period is not spread over the buckets it covers). An item is in every group it names (`pillar:<p>`
 * or `actor:<name>` as the web app names groups; `other` when it names none). A bucket of one is not a
 * row: its item is in `items` instead (up to the budget).
 */
export interface TimelineBucket {
  /** Inclusive start and exclusive end, ISO instants (UTC), aligned to the unit. */
  start: string;
  end: string;
  /** The group id as the web app names groups (a pillar, or an actor). */
  group: string;
  count: number;
  byPillar: Partial<Record<Pillar, number>>;
  byType: Record<string, number>;
}

/** Counts for the filter panel, over the whole selection (window and filters; not the budget). */
export interface TimelineFacets {
  total: number;
  pillars: Partial<Record<Pillar, number>>;
  types: Record<string, number>;
  actors: Record<string, number>;
}

export interface TimelineWindowResponse {
  /** The log position this answer reflects (the read model's, or `at` when asked). Also the ETag. */
  position: number;
  /** The window actually answered (`from`/`to` as asked, normalised to ISO instants). */
  window: { from: string; to: string };
  mode: 'items' | 'buckets';
  /**
   * Every matching item in `items` mode; in `buckets` mode the items that stand alone (a bucket of one),
   * up to the budget (past it, a bucket of one stays a row with `count: 1`).
   */
  items: TimelineItem[];
  /** Present in `buckets` mode. */
  buckets?: { unit: BucketUnit; rows: TimelineBucket[] };
  facets: TimelineFacets;
  at?: number;
  asOf?: string;
}

/**
 * `GET /api/timeline/overview`: the density of the whole valid time (for the overview strip), in one
 * unit chosen by the server so the answer stays under a few hundred buckets; by pillar.
 */
export interface TimelineOverviewResponse {
  position: number;
  /** The first and last valid time any item covers; absent on an empty timeline. */
  range?: { from: string; to: string };
  unit: BucketUnit;
  rows: { start: string; end: string; count: number; byPillar: Partial<Record<Pillar, number>> }[];
}

/**
 * `GET /api/timeline/diff?from=P1&to=P2&validFrom=&validTo=&…filters`: what changed in a window between
 * two log positions, computed on the server. An item that a correction moved out of the window or the
 * filter is under `changed` with its new state; one added and retracted in between is not listed.
 */
export interface TimelineDiffResponse {
  fromPosition: number;
  toPosition: number;
  added: TimelineItem[];
  changed: { item: TimelineItem; before: TimelineItem }[];
  retracted: { item: TimelineItem; before: TimelineItem }[];
}

/**
 * `GET /api/log/histogram?buckets=N`: events recorded per knowledge-time bucket (for the chart under the
 * replay scrubber). Each row's `lastPosition` lets the scrubber map a bucket to a log position.
 */
export interface LogHistogramResponse {
  head: number;
  unit: BucketUnit | 'minute' | 'second';
  rows: { start: string; end: string; count: number; firstPosition: number; lastPosition: number }[];
}

/**
 * The query strings of the routes above, validated by the server (unknown fields are 400, each issue
 * naming its field). `GET /api/timeline` keeps today's answer without `budget`.
 */
const logPosition = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const TimelineWindowQuerySchema = TimelineQuerySchema.extend({
  budget: z.coerce.number().int().min(1).max(TIMELINE_WINDOW_MAX_BUDGET).optional(),
  buckets: z.coerce.number().int().min(1).max(TIMELINE_WINDOW_MAX_BUCKETS).optional(),
  groupBy: z.enum(['pillar', 'actor']).optional(),
  at: logPosition.optional(),
}).superRefine((query, ctx) => {
  for (const key of ['at', 'groupBy', 'buckets'] as const) {
    if (query[key] !== undefined && query.budget === undefined)
      ctx.addIssue({ code: 'custom', path: ['budget'], message: `is required with ${key}` });
  }
  if (query.at !== undefined && query.asOf !== undefined)
    ctx.addIssue({ code: 'custom', path: ['at'], message: 'cannot be combined with asOf' });
  if (query.from !== undefined && query.to !== undefined && windowStartMs(query.from) > windowEndMs(query.to))
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
});
export type TimelineWindowQuery = z.output<typeof TimelineWindowQuerySchema>;

const { pillars, actors, types, streams, q } = TimelineQuerySchema.shape;

/**
 * `GET /api/timeline/diff`: `from` and `to` are log positions (`from` ≤ `to`); the valid-time window is
 * `validFrom`/`validTo` (as `from`/`to` of the timeline); filters as the timeline's.
 */
export const TimelineDiffQuerySchema = z
  .strictObject({
    from: logPosition,
    to: logPosition,
    validFrom: TimelineQuerySchema.shape.from,
    validTo: TimelineQuerySchema.shape.to,
    pillars,
    actors,
    types,
    streams,
    q,
  })
  .refine((query) => query.from <= query.to, { path: ['to'], message: 'must not be below from' });
export type TimelineDiffQuery = z.output<typeof TimelineDiffQuerySchema>;

/** `GET /api/timeline/overview`: the timeline's filters (no window: it covers all valid time). */
export const TimelineOverviewQuerySchema = z.strictObject({ pillars, actors, types, streams, q });
export type TimelineOverviewQuery = z.output<typeof TimelineOverviewQuerySchema>;

export const LOG_HISTOGRAM_MAX_BUCKETS = 1000;
/** `GET /api/log/histogram`: at most `buckets` rows (default 100). */
export const LogHistogramQuerySchema = z.strictObject({
  buckets: z.coerce.number().int().min(1).max(LOG_HISTOGRAM_MAX_BUCKETS).default(100),
});
export type LogHistogramQuery = z.output<typeof LogHistogramQuerySchema>;
