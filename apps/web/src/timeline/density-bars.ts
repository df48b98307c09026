import type { TimelineBucket } from '@timeline/shared-types';
import { formatCount } from '../base/format.ts';
import { isPillar, pillarClass } from '../base/styling.ts';
import type { GroupBy } from '../model/url-state.ts';
import { OTHER_GROUP } from './vis-mapping.ts';

/**
 * Buckets of a zoomed-out window (the server's counts per bucket per group) as density bars: one bar
 * per bucket per group, shaded by how full it is against the fullest bucket on screen. The pure part:
 * what to draw, where on the panel (`barRects`), and which bar a click at a time in a row hits
 * (`barAt`). `bars-layer.ts` draws them on a canvas under vis-timeline's items.
 */

const SHADES = 5;
/** Space above a bar in its row, and the tallest a bar is drawn (a row grown by items keeps bars at the top). */
export const BAR_INSET_PX = 4;
export const BAR_MAX_HEIGHT_PX = 22;
/** A click this close to a bar (in pixels) still hits it: a bar of a few pixels is hard to hit exactly. */
export const HIT_SLACK_PX = 3;

export interface BarSpec {
  group: string;
  start: number;
  end: number;
  count: number;
  /** 1 (sparse) to 5 (the fullest bucket on screen): `--density-N` in styles/window.css. */
  shade: number;
  /** The pillar class whose colour the bar takes (`pillar-…`, styles/base.css). */
  pillarClass: string;
  label: string;
  title: string;
}

export interface Row {
  top: number;
  height: number;
}

export interface BarRect {
  x: number;
  y: number;
  w: number;
  h: number;
  bar: BarSpec;
}

/** The group id the app uses for a bucket's group (the server may name it bare or prefixed). */
export function bucketGroupId(group: string, groupBy: GroupBy): string {
  if (group === OTHER_GROUP || group.startsWith('pillar:') || group.startsWith('actor:')) return group;
  if (group === '') return OTHER_GROUP;
  return `${groupBy}:${group}`;
}

export function barSpecs(rows: readonly TimelineBucket[], groupBy: GroupBy): BarSpec[] {
  const fullest = rows.reduce((max, row) => Math.max(max, row.count), 1);
  return rows
    .filter((row) => row.count > 0)
    .map((row) => {
      const group = bucketGroupId(row.group, groupBy);
      const shade = Math.max(1, Math.ceil((row.count / fullest) * SHADES));
      const pillar = group.startsWith('pillar:') ? group.slice('pillar:'.length) : topPillar(row);
      const label = formatCount(row.count);
      return {
        group,
        start: Date.parse(row.start),
        end: Date.parse(row.end),
        count: row.count,
        shade,
        pillarClass: pillarClass(pillar),
        label,
        title: `${label} event${row.count === 1 ? '' : 's'}: click to zoom in`,
      };
    });
}

/**
 * Where each bar is drawn on a panel `width` × `height`: x from `toX` (time → pixel, vis-timeline's
 * own conversion), y from its group's row (undefined: the row is not laid out, so no bar). Bars wholly
 * outside the panel are left out; the rest are clipped a pixel beyond its edges. Neighbouring bars keep
 * a pixel between them where they are wide enough to spare it.
 */
export function barRects(
  bars: readonly BarSpec[],
  toX: (ms: number) => number,
  rowOf: (group: string) => Row | undefined,
  width: number,
  height: number,
): BarRect[] {
  const rects: BarRect[] = [];
  for (const bar of bars) {
    const row = rowOf(bar.group);
    if (row === undefined) continue;
    const y = row.top + BAR_INSET_PX;
    const h = Math.min(BAR_MAX_HEIGHT_PX, row.height - 2 * BAR_INSET_PX);
    if (h <= 0 || y + h < 0 || y > height) continue;
    const left = toX(bar.start);
    const right = toX(bar.end);
    if (!(right > 0 && left < width)) continue;
    const x = Math.max(-1, left);
    const end = Math.min(width + 1, right);
    const w = end - x > 3 ? end - x - 1 : Math.max(1, end - x);
    rects.push({ x, y, w, h, bar });
  }
  return rects;
}

/**
 * The bar of `group` at `time` (a click's time and row, as vis-timeline reports them), or within
 * `slackMs` of one when none contains it; the nearest if several are that close.
 */
export function barAt(
  bars: readonly BarSpec[],
  time: number,
  group: string | null | undefined,
  slackMs = 0,
): BarSpec | undefined {
  if (group === null || group === undefined) return undefined;
  let best: BarSpec | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const bar of bars) {
    if (bar.group !== group) continue;
    // A bucket is [start, end): its end belongs to the next one, so a bar ending there is 1 ms further.
    const distance = time < bar.start ? bar.start - time : time >= bar.end ? time - bar.end + 1 : 0;
    if (distance <= slackMs && distance < bestDistance) {
      best = bar;
      bestDistance = distance;
    }
  }
  return best;
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
