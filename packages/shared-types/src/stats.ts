import type { OccurredAt } from './envelope.js';
import { csvRow } from './csv.js';
import type { TimelineItem } from './timeline.js';

export interface TimelineStats {
  byPillar: Record<string, number>;
  byActor: Record<string, number>;
  byType: Record<string, number>;
  /**
   * By the month the item's valid time starts (`2024-07`). An item dated only to a year has no month:
   * it is counted under the year alone (`2021`) rather than in a January it may not belong to.
   */
  byMonth: Record<string, number>;
  /** Items counted (retracted items are not on the timeline and are not counted). */
  total: number;
}

/** Counts items by pillar, actor, type and valid-time month. Keys come out sorted. */
export function timelineStats(items: Iterable<TimelineItem>): TimelineStats {
  const byPillar = new Map<string, number>();
  const byActor = new Map<string, number>();
  const byType = new Map<string, number>();
  const byMonth = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  let total = 0;
  for (const item of items) {
    if (item.retracted) continue;
    total += 1;
    for (const pillar of new Set(item.pillars)) bump(byPillar, pillar);
    for (const actor of new Set(item.actors)) bump(byActor, actor);
    bump(byType, item.type);
    bump(byMonth, monthKey(item.occurredAt));
  }
  const sorted = (map: Map<string, number>) =>
    Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    byPillar: sorted(byPillar),
    byActor: sorted(byActor),
    byType: sorted(byType),
    byMonth: sorted(byMonth),
    total,
  };
}

/** The month as written: a time at 23:30 on 31 July in Delhi belongs to July, whatever UTC says. */
function monthKey(at: OccurredAt): string {
  const [year = at.start, month] = at.start.split(/(?<=\d)-/);
  return at.precision === 'year' || month === undefined ? year : `${year}-${month}`;
}

export const STATS_DIMENSIONS = ['byPillar', 'byActor', 'byType', 'byMonth'] as const;

/** The statistics as CSV: `dimension,key,count`, one row per counter. */
export function statsToCsv(stats: TimelineStats): string {
  const rows: Array<readonly unknown[]> = [['dimension', 'key', 'count']];
  for (const dimension of STATS_DIMENSIONS) {
    for (const [key, count] of Object.entries(stats[dimension]))
      rows.push([dimension.slice(2).toLowerCase(), key, count]);
  }
  return rows.map(csvRow).join('');
}
