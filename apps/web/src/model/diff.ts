import { compareItems, type TimelineItem } from '@timeline/shared-types';
import type { DiffKind } from '../base/styling.ts';

export interface DiffEntry {
  kind: DiffKind;
  /** The item as it stands at B. */
  item: TimelineItem;
  /** The item as it stood at A, for changed and retracted items. */
  before?: TimelineItem;
}

export interface TimelineDiff {
  from: number;
  to: number;
  entries: DiffEntry[];
  kindOf: Map<string, DiffKind>;
  /** What to draw: the items live at B, plus those retracted between A and B so they can be shown struck out. */
  items: Map<string, TimelineItem>;
}

/**
 * What the log between two positions did to the timeline: items that appeared, items corrected, and
 * items retracted. Both states come from the same fold, so the diff is what a reader at A would have
 * to learn to know what a reader at B knows.
 */
export function diffTimelines(
  from: number,
  before: ReadonlyMap<string, TimelineItem>,
  to: number,
  after: ReadonlyMap<string, TimelineItem>,
): TimelineDiff {
  const entries: DiffEntry[] = [];
  const items = new Map<string, TimelineItem>();
  for (const item of after.values()) {
    const old = before.get(item.id);
    const wasLive = old !== undefined && !old.retracted;
    if (item.retracted) {
      if (wasLive) {
        entries.push({ kind: 'retracted', item, before: old });
        items.set(item.id, item);
      }
      continue;
    }
    items.set(item.id, item);
    if (!wasLive) entries.push({ kind: 'added', item });
    else if (old.lastPosition !== item.lastPosition) entries.push({ kind: 'changed', item, before: old });
  }
  entries.sort((x, y) => compareItems(x.item, y.item));
  return { from, to, entries, kindOf: new Map(entries.map((e) => [e.item.id, e.kind])), items };
}

/** The fields a correction changed, for the diff list: "title, occurredAt". */
export function changedFields(before: TimelineItem, after: TimelineItem): string[] {
  const fields = new Set<string>();
  const keys = new Set([...Object.keys(before.data), ...Object.keys(after.data)]);
  for (const key of keys) {
    if (JSON.stringify(before.data[key]) !== JSON.stringify(after.data[key])) fields.add(key);
  }
  if (JSON.stringify(before.occurredAt) !== JSON.stringify(after.occurredAt)) fields.add('occurredAt');
  return [...fields];
}
