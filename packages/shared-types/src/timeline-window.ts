import type { Pillar } from './catalog/pillars.js';
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

/** Calendar units a window is bucketed by, finest first. */
export const BUCKET_UNITS = ['hour', 'day', 'week', 'month', 'quarter', 'year', 'decade'] as const;
export type BucketUnit = (typeof BUCKET_UNITS)[number];

export type TimelineGroupBy = 'pillar' | 'actor';

/** One bucket of one group: how many items of the selection start (or, for periods, overlap) in it. */
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
  /** Every matching item in `items` mode; in `buckets` mode the items that stand alone (a bucket of one). */
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
 * `GET /api/timeline/diff?from=P1&to=P2&…window`: what changed in a window between two log positions,
 * computed on the server.
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
