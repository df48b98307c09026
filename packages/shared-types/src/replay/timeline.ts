import type { DomainEventEnvelope } from '../catalog/registry.js';
import { applyToTimeline, compareItems, matchesTimelineFilter, type TimelineItem } from '../timeline.js';
import { overlapsWindow, type ReplaySelection, withinHorizon } from './selection.js';

/** Timeline mode: the fold over the horizon, then the subject filters on the corrected items. */
export class TimelineReplay {
  private readonly items = new Map<string, TimelineItem>();
  private last = 0;

  constructor(private readonly selection: ReplaySelection) {}

  /** Applies the next event of the horizon (position order); events past the horizon are refused. */
  apply(event: DomainEventEnvelope): void {
    if (!withinHorizon(event, this.selection)) return;
    applyToTimeline(this.items, event);
    this.last = Math.max(this.last, event.position);
  }

  /** The last position applied. */
  get position(): number {
    return this.last;
  }

  result(): TimelineItem[] {
    return selectTimelineItems(this.items.values(), this.selection);
  }
}

/** Filters folded items with the selection and puts them in timeline order. Retracted items are hidden. */
export function selectTimelineItems(
  items: Iterable<TimelineItem>,
  selection: ReplaySelection,
): TimelineItem[] {
  const filter = {
    ...(selection.pillars ? { pillars: selection.pillars } : {}),
    ...(selection.actors ? { actors: selection.actors } : {}),
    ...(selection.types ? { types: selection.types } : {}),
    ...(selection.streams ? { streams: selection.streams } : {}),
  };
  const selected: TimelineItem[] = [];
  for (const item of items) {
    if (!item.retracted && matchesTimelineFilter(item, filter) && overlapsWindow(item.occurredAt, selection))
      selected.push(item);
  }
  return selected.sort(compareItems);
}
