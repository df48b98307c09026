import type { TimelineBucket } from '@timeline/shared-types';
import { el } from '../base/dom.ts';
import { formatCount } from '../base/format.ts';
import { isPillar, pillarClass } from '../base/styling.ts';
import type { GroupBy } from '../model/url-state.ts';
import { OTHER_GROUP } from './vis-mapping.ts';

/**
 * Buckets of a zoomed-out window (the server's counts per bucket per group) as vis-timeline range
 * items: one bar per bucket per group, shaded by how full it is against the fullest bucket on screen.
 * Ids start with `bucket|` so a click on one is told apart from a click on an item.
 */

const PREFIX = 'bucket|';
const SHADES = 5;

export interface BucketSpec {
  id: string;
  group: string;
  type: 'range';
  start: number;
  end: number;
  className: string;
  count: number;
  title: string;
}

export interface BucketVisItem extends Omit<BucketSpec, 'count'> {
  content: HTMLElement;
}

/** The group id the app uses for a bucket's group (the server may name it bare or prefixed). */
export function bucketGroupId(group: string, groupBy: GroupBy): string {
  if (group === OTHER_GROUP || group.startsWith('pillar:') || group.startsWith('actor:')) return group;
  if (group === '') return OTHER_GROUP;
  return `${groupBy}:${group}`;
}

export function bucketVisItems(rows: readonly TimelineBucket[], groupBy: GroupBy): BucketVisItem[] {
  return bucketSpecs(rows, groupBy).map(({ count, ...spec }) => ({
    ...spec,
    content: el('span', { class: 'tl-bucket-count' }, formatCount(count)),
  }));
}

export function bucketSpecs(rows: readonly TimelineBucket[], groupBy: GroupBy): BucketSpec[] {
  const fullest = rows.reduce((max, row) => Math.max(max, row.count), 1);
  return rows
    .filter((row) => row.count > 0)
    .map((row) => {
      const group = bucketGroupId(row.group, groupBy);
      const start = Date.parse(row.start);
      const end = Date.parse(row.end);
      const shade = Math.max(1, Math.ceil((row.count / fullest) * SHADES));
      const pillar = group.startsWith('pillar:') ? group.slice('pillar:'.length) : topPillar(row);
      const label = `${formatCount(row.count)} event${row.count === 1 ? '' : 's'}`;
      return {
        id: `${PREFIX}${group}|${start}|${end}`,
        group,
        type: 'range' as const,
        start,
        end,
        className: `tl-bucket density-${shade} ${pillarClass(pillar)}`,
        count: row.count,
        title: `${label}: click to zoom in`,
      };
    });
}

/** The span a bucket's vis id covers, or undefined for anything that is not a bucket. */
export function bucketSpanOf(visId: unknown): { start: number; end: number } | undefined {
  if (typeof visId !== 'string' || !visId.startsWith(PREFIX)) return undefined;
  const parts = visId.split('|');
  const start = Number(parts[parts.length - 2]);
  const end = Number(parts[parts.length - 1]);
  return Number.isFinite(start) && Number.isFinite(end) && end > start ? { start, end } : undefined;
}

function topPillar(row: TimelineBucket): string | undefined {
  let best: string | undefined;
  let most = 0;
  for (const [pillar, count] of Object.entries(row.byPillar)) {
    if (isPillar(pillar) && (count ?? 0) > most) {
      best = pillar;
      most = count ?? 0;
    }
  }
  return best;
}
