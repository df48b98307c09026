import { PILLARS, type TimelineItem, validTimeBounds } from '@timeline/shared-types';
import { isApproximate } from '../base/format.ts';
import type { GroupBy } from '../model/url-state.ts';
import {
  isPillar,
  NO_PILLAR,
  PILLAR_STYLE,
  pillarClass,
  pillarLabel,
  PRECISION_CLASS,
  typeStyle,
} from '../base/styling.ts';

/**
 * How a timeline item becomes vis-timeline items and groups. Pure (no DOM), so the rules, the
 * ids and the classes are unit-tested; the view adds the DOM content.
 */

export const OTHER_GROUP = 'other';

export interface GroupSpec {
  id: string;
  kind: 'pillar' | 'actor' | 'other';
  label: string;
  order: number;
  className: string;
}

export interface VisItemSpec {
  /** `${itemId}::${groupId}`: an item with several pillars or actors appears once in each group. */
  id: string;
  itemId: string;
  group: string;
  /** `background`: an era, drawn as a band behind its group's row (TimelineJS shows eras so). */
  type: 'box' | 'range' | 'background';
  start: number;
  end?: number;
  className: string;
}

export function groupIdsOf(item: TimelineItem, groupBy: GroupBy): string[] {
  if (groupBy === 'pillar') {
    const pillars = unique(item.pillars.filter((p) => isPillar(p)));
    return pillars.length ? pillars.map((p) => `pillar:${p}`) : [OTHER_GROUP];
  }
  const actors = unique(item.actors.filter((a) => typeof a === 'string' && a.length > 0));
  return actors.length ? actors.map((a) => `actor:${a}`) : [OTHER_GROUP];
}

export function visId(itemId: string, groupId: string): string {
  return `${itemId}::${groupId}`;
}

/** The item id back from a vis id; undefined for vis-timeline's own items (clusters). */
export function itemIdOfVisId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const at = id.indexOf('::');
  return at > 0 ? id.slice(0, at) : undefined;
}

/**
 * Year- and month-precision dates are drawn as ranges covering the whole period with an
 * "approximate" style, never as a point on a day nobody reported. Day and minute precision are boxes,
 * or plain ranges when the source gives an end. An era (`EraMarked`) is a background band over its
 * period.
 */
export function visItemsFor(
  item: TimelineItem,
  groupBy: GroupBy,
  extraClasses: readonly string[] = [],
): VisItemSpec[] {
  const at = item.occurredAt;
  const { startMs, endMs } = validTimeBounds(at);
  const approximate = isApproximate(at);
  const spansPeriod = approximate || (at.end !== undefined && at.end !== at.start);
  const type = typeStyle(item.type);
  const base = ['tl-item', type.className, PRECISION_CLASS[at.precision]];
  if (approximate) base.push('approximate');
  return groupIdsOf(item, groupBy).map((group) => {
    const colourPillar = group.startsWith('pillar:')
      ? group.slice('pillar:'.length)
      : item.pillars.find(isPillar);
    const spec: VisItemSpec = {
      id: visId(item.id, group),
      itemId: item.id,
      group,
      type: item.type === 'EraMarked' ? 'background' : spansPeriod ? 'range' : 'box',
      start: startMs,
      className: [...base, pillarClass(colourPillar), ...extraClasses].join(' '),
    };
    if (spansPeriod) spec.end = endMs;
    return spec;
  });
}

export function groupSpecsFor(
  items: Iterable<TimelineItem>,
  groupBy: GroupBy,
  extraGroupIds: Iterable<string> = [],
): GroupSpec[] {
  const ids = new Set<string>(extraGroupIds);
  for (const item of items) for (const id of groupIdsOf(item, groupBy)) ids.add(id);
  const specs: GroupSpec[] = [];
  if (groupBy === 'pillar') {
    PILLARS.forEach((pillar, order) => {
      const id = `pillar:${pillar}`;
      if (ids.has(id))
        specs.push({
          id,
          kind: 'pillar',
          label: pillarLabel(pillar),
          order,
          className: PILLAR_STYLE[pillar].className,
        });
    });
  } else {
    const actors = [...ids]
      .filter((id) => id.startsWith('actor:'))
      .map((id) => id.slice('actor:'.length))
      .sort((a, b) => a.localeCompare(b, 'en'));
    actors.forEach((actor, order) => {
      specs.push({ id: `actor:${actor}`, kind: 'actor', label: actor, order, className: 'group-actor' });
    });
  }
  if (ids.has(OTHER_GROUP)) {
    specs.push({
      id: OTHER_GROUP,
      kind: 'other',
      label: groupBy === 'pillar' ? NO_PILLAR.label : 'Other (no actor)',
      order: Number.MAX_SAFE_INTEGER,
      className: NO_PILLAR.className,
    });
  }
  return specs;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
