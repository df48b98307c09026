import {
  STATS_DIMENSIONS,
  type TimelineItem,
  type TimelineStats,
  timelineStats,
} from '@timeline/shared-types';
import { pillarLabel, typeStyle } from '../base/styling.ts';

/**
 * The figures behind the stats panel. They are `timelineStats` from shared-types, the very function
 * behind `GET /api/stats` and `timeline stats`, applied to the state on screen: so with no filter the
 * panel shows the same numbers as the API for the same knowledge time, and the e2e suite checks that.
 * This module only decides how to lay the counters out as bars.
 */

export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

export const DIMENSION_TITLES: Record<StatsDimension, string> = {
  byPillar: 'By pillar',
  byType: 'By event type',
  byActor: 'By actor',
  byMonth: 'By month (valid time)',
};

/** The order the panel shows its four charts in: the small closed sets first. */
export const PANEL_DIMENSIONS: readonly StatsDimension[] = ['byPillar', 'byType', 'byActor', 'byMonth'];

export interface StatsBar {
  /** The counter's key exactly as `/api/stats` names it (`telecom`, `MeetingHeld`, `2024-07`, `2021`). */
  key: string;
  label: string;
  count: number;
  /** count / the largest count of the dimension, 0…1: the bar's length. */
  share: number;
}

export interface StatsChart {
  dimension: StatsDimension;
  title: string;
  bars: StatsBar[];
}

export interface StatsView {
  total: number;
  charts: StatsChart[];
}

const MONTH_LABEL = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** `2024-07` → "Jul 2024"; a year-precision key `2021` → "2021 (year only)". */
export function monthLabel(key: string): string {
  if (/^\d{4}$/.test(key)) return `${key} (year only)`;
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  if (!match) return key;
  return MONTH_LABEL.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)));
}

function labelFor(dimension: StatsDimension, key: string): string {
  switch (dimension) {
    case 'byPillar':
      return pillarLabel(key);
    case 'byType':
      return typeStyle(key).label;
    case 'byMonth':
      return monthLabel(key);
    case 'byActor':
      return key;
  }
}

/**
 * Bars for each dimension. Months stay in calendar order (a histogram reads left to right in time);
 * the others are ranked by count, ties by key, so the chart answers "which most?" at a glance and is
 * the same for the same figures.
 */
export function statsView(stats: TimelineStats): StatsView {
  const charts = PANEL_DIMENSIONS.map((dimension): StatsChart => {
    const entries = Object.entries(stats[dimension]);
    if (dimension !== 'byMonth')
      entries.sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0));
    const max = entries.reduce((m, [, count]) => Math.max(m, count), 0);
    return {
      dimension,
      title: DIMENSION_TITLES[dimension],
      bars: entries.map(([key, count]) => ({
        key,
        label: labelFor(dimension, key),
        count,
        share: max === 0 ? 0 : count / max,
      })),
    };
  });
  return { total: stats.total, charts };
}

/** The figures for a set of items (retracted ones are not counted, as in the API). */
export function statsFor(items: Iterable<TimelineItem>): StatsView {
  return statsView(timelineStats(items));
}
