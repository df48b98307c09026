import {
  compareItems,
  matchesTimelineFilter,
  type TimelineItem,
  validTimeBounds,
} from '@timeline/shared-types';
import { diffTimelines, type TimelineDiff } from '../model/diff.ts';
import { toTimelineFilter } from '../model/filters.ts';
import type { ViewState } from '../model/url-state.ts';

const DAY_MS = 86_400_000;

/** What is on screen: a state of the timeline and where in the log it comes from. */
export interface Displayed {
  items: ReadonlyMap<string, TimelineItem>;
  position: number;
  diff?: TimelineDiff;
  /** Sweep: sorted distinct start times of the state's items, and how many the marker has passed. */
  sweep?: SweepState;
}

export interface SweepState {
  stops: number[];
  passed: number;
  marker: number;
}

/** The live read model as it stands. */
export interface LiveState {
  readonly items: ReadonlyMap<string, TimelineItem>;
  readonly position: number;
}

/** What the state on screen needs from the replay log (`ReplayLog` is one). */
export interface FoldableLog {
  readonly head: number;
  stateAt(position: number): Map<string, TimelineItem>;
  positionForAsOf(asOf: string): number;
}

/**
 * The state on screen for a view: live shows the live read model, replay folds the log to a position
 * (or to an "as of" knowledge time), diff folds it twice, and sweep adds the valid-time marker's stops.
 * Without a complete log every mode shows live.
 */
export function computeDisplayed(view: ViewState, live: LiveState, log: FoldableLog | null): Displayed {
  if (view.mode === 'live' || !log) return { items: live.items, position: live.position };
  if (view.mode === 'diff' && view.diff) {
    const before = log.stateAt(view.diff.a);
    const after = log.stateAt(view.diff.b);
    const diff = diffTimelines(view.diff.a, before, view.diff.b, after);
    return { items: diff.items, position: view.diff.b, diff };
  }
  const position =
    view.mode === 'replay' && view.asOf
      ? log.positionForAsOf(view.asOf)
      : Math.max(0, Math.min(view.position ?? log.head, log.head));
  const items = log.stateAt(position);
  if (view.mode !== 'sweep') return { items, position };
  const filter = toTimelineFilter(view.filter);
  const stops = [
    ...new Set(
      [...items.values()]
        .filter((i) => matchesTimelineFilter(i, filter))
        .map((i) => validTimeBounds(i.occurredAt).startMs),
    ),
  ].sort((a, b) => a - b);
  const marker = view.sweep ?? beforeFirstStop(stops);
  const passed = stops.filter((s) => s <= marker).length;
  return { items, position, sweep: { stops, passed, marker } };
}

/** Where the sweep marker stands when it has passed no date: a day before the first one. */
export function beforeFirstStop(stops: readonly number[]): number {
  return (stops[0] ?? Date.now()) - DAY_MS;
}

/** The marker for `passed` stops behind it (clamped to the stops there are). */
export function sweepMarkerFor(sweep: SweepState, passed: number): number {
  const clamped = Math.max(0, Math.min(passed, sweep.stops.length));
  return clamped === 0 ? beforeFirstStop(sweep.stops) : (sweep.stops[clamped - 1] as number);
}

/**
 * The items drawn, in timeline order: those that pass the filters (a diff keeps its retracted ones)
 * and, in a sweep, those that start no later than the marker.
 */
export function visibleItems(displayed: Displayed, view: ViewState): TimelineItem[] {
  const filter = toTimelineFilter(view.filter, view.mode === 'diff');
  const sweepMarker = displayed.sweep?.marker;
  const visible: TimelineItem[] = [];
  for (const item of displayed.items.values()) {
    if (!matchesTimelineFilter(item, filter)) continue;
    if (sweepMarker !== undefined && validTimeBounds(item.occurredAt).startMs > sweepMarker) continue;
    visible.push(item);
  }
  return visible.sort(compareItems);
}
