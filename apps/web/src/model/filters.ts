import {
  FACT_EVENT_TYPES,
  matchesTimelineFilter,
  PILLARS,
  type TimelineFacets,
  type TimelineFilter,
  type TimelineItem,
} from '@timeline/shared-types';
import { pillarLabel, typeStyle } from '../base/styling.ts';

/** What the user filters by. Filtering is client-side with the same predicate the API uses. */
export interface FilterState {
  pillars: string[];
  actors: string[];
  types: string[];
  q: string;
}

export type FacetName = 'pillars' | 'actors' | 'types';
export const FACET_NAMES: readonly FacetName[] = ['pillars', 'types', 'actors'];

export const EMPTY_FILTER: FilterState = { pillars: [], actors: [], types: [], q: '' };

export function toTimelineFilter(state: FilterState, includeRetracted = false): TimelineFilter {
  const filter: TimelineFilter = { includeRetracted };
  if (state.pillars.length) filter.pillars = state.pillars;
  if (state.actors.length) filter.actors = state.actors;
  if (state.types.length) filter.types = state.types;
  const q = state.q.trim();
  if (q) filter.q = q;
  return filter;
}

export function isFilterActive(state: FilterState): boolean {
  return (
    state.pillars.length > 0 || state.actors.length > 0 || state.types.length > 0 || state.q.trim() !== ''
  );
}

export interface FacetValue {
  value: string;
  label: string;
  /** Items that would show if this value were ticked, given every other facet and the search. */
  count: number;
  checked: boolean;
}

export type Facets = Record<FacetName, FacetValue[]>;

/**
 * Counts per facet value over the current items. Each facet is counted against the other facets and
 * the search but not against itself, so ticking a second pillar shows how many it would add.
 */
export function computeFacets(items: Iterable<TimelineItem>, state: FilterState): Facets {
  const live = [...items].filter((item) => !item.retracted);
  const counts: Record<FacetName, Map<string, number>> = {
    pillars: new Map(),
    actors: new Map(),
    types: new Map(),
  };
  const without: Record<FacetName, TimelineFilter> = {
    pillars: toTimelineFilter({ ...state, pillars: [] }),
    actors: toTimelineFilter({ ...state, actors: [] }),
    types: toTimelineFilter({ ...state, types: [] }),
  };
  for (const item of live) {
    if (matchesTimelineFilter(item, without.pillars))
      for (const p of new Set(item.pillars)) bump(counts.pillars, p);
    if (matchesTimelineFilter(item, without.actors))
      for (const a of new Set(item.actors)) bump(counts.actors, a);
    if (matchesTimelineFilter(item, without.types)) bump(counts.types, item.type);
  }
  return facetsOf(counts, state);
}

/**
 * The filter panel's facets from the server's counts for the whole selection (the timeline by
 * window: the page holds only the window, so it cannot count the rest itself).
 */
export function facetsFromServer(facets: TimelineFacets, state: FilterState): Facets {
  const counts = (record: Record<string, number | undefined>) =>
    new Map(Object.entries(record).map(([key, value]) => [key, value ?? 0]));
  return facetsOf(
    { pillars: counts(facets.pillars), types: counts(facets.types), actors: counts(facets.actors) },
    state,
  );
}

function facetsOf(counts: Record<FacetName, Map<string, number>>, state: FilterState): Facets {
  const checked = (facet: FacetName, value: string) => state[facet].includes(value);
  const pillars = PILLARS.map((value) => ({
    value,
    label: pillarLabel(value),
    count: counts.pillars.get(value) ?? 0,
    checked: checked('pillars', value),
  }));
  const types = FACT_EVENT_TYPES.map((value) => ({
    value,
    label: typeStyle(value).label,
    count: counts.types.get(value) ?? 0,
    checked: checked('types', value),
  }));
  const actorNames = new Set([...counts.actors.keys(), ...state.actors]);
  const actors = [...actorNames]
    .map((value) => ({
      value,
      label: value,
      count: counts.actors.get(value) ?? 0,
      checked: checked('actors', value),
    }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'en'));
  return { pillars, types, actors };
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export function toggleValue(values: readonly string[], value: string, on: boolean): string[] {
  const without = values.filter((v) => v !== value);
  return on ? [...without, value] : without;
}
