import { EVENT_TYPE_PATTERN } from '@timeline/shared-types';
import { EMPTY_FILTER, type FilterState } from './filters.ts';
import { isPillar } from '../base/styling.ts';

export type Mode = 'live' | 'replay' | 'sweep' | 'diff';

/** What the timeline's rows are: one per pillar, or one per actor. */
export type GroupBy = 'pillar' | 'actor';
export const MODES: readonly Mode[] = ['live', 'replay', 'sweep', 'diff'];

/** Everything a shared link restores. */
export interface ViewState {
  mode: Mode;
  groupBy: GroupBy;
  filter: FilterState;
  /** The visible valid-time window, epoch ms. */
  window?: { start: number; end: number };
  /** Replay and sweep: the log position whose state is shown. */
  position?: number;
  /** Replay: the knowledge time whose state is shown; wins over `position`. */
  asOf?: string;
  /** Sweep: where the valid-time marker stands, epoch ms. */
  sweep?: number;
  diff?: { a: number; b: number };
  selected?: string;
  /** The stats panel, when open: counting the whole state on screen, or only what the filters show. */
  stats?: 'all' | 'shown';
}

export const DEFAULT_VIEW: ViewState = { mode: 'live', groupBy: 'pillar', filter: EMPTY_FILTER };

const MAX_LIST = 100;
const MAX_TEXT = 200;

/**
 * Reads a query string. Anything malformed is dropped rather than trusted, so a hand-edited or
 * hostile link can at worst fall back to the default view.
 */
export function parseViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const view: ViewState = { ...DEFAULT_VIEW, filter: { ...EMPTY_FILTER } };
  const mode = params.get('mode');
  if (mode && (MODES as readonly string[]).includes(mode)) view.mode = mode as Mode;
  if (params.get('group') === 'actor') view.groupBy = 'actor';
  view.filter = {
    pillars: unique(params.getAll('pillar').filter(isPillar)).slice(0, MAX_LIST),
    types: unique(params.getAll('type').filter((t) => EVENT_TYPE_PATTERN.test(t))).slice(0, MAX_LIST),
    actors: unique(params.getAll('actor').filter((a) => a.length > 0 && a.length <= MAX_TEXT)).slice(
      0,
      MAX_LIST,
    ),
    q: (params.get('q') ?? '').slice(0, MAX_TEXT),
  };
  const start = instant(params.get('start'));
  const end = instant(params.get('end'));
  if (start !== undefined && end !== undefined && end > start) view.window = { start, end };
  const position = count(params.get('pos'));
  if (position !== undefined) view.position = position;
  const asOf = instant(params.get('asOf'));
  if (asOf !== undefined) view.asOf = new Date(asOf).toISOString();
  const sweep = instant(params.get('sweep'));
  if (sweep !== undefined) view.sweep = sweep;
  const a = count(params.get('a'));
  const b = count(params.get('b'));
  if (a !== undefined && b !== undefined) view.diff = { a, b };
  const selected = params.get('sel');
  if (selected && selected.length <= MAX_TEXT) view.selected = selected;
  const stats = params.get('stats');
  if (stats === 'all' || stats === 'shown') view.stats = stats;
  if (view.mode === 'diff' && !view.diff) view.mode = 'live';
  return view;
}

/** The query string for a view (without `?`); default values are left out to keep links short. */
export function serializeViewState(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.mode !== 'live') params.set('mode', view.mode);
  if (view.groupBy !== 'pillar') params.set('group', view.groupBy);
  for (const p of view.filter.pillars) params.append('pillar', p);
  for (const t of view.filter.types) params.append('type', t);
  for (const a of view.filter.actors) params.append('actor', a);
  if (view.filter.q.trim()) params.set('q', view.filter.q);
  if (view.window) {
    params.set('start', new Date(view.window.start).toISOString());
    params.set('end', new Date(view.window.end).toISOString());
  }
  if (view.mode === 'replay' || view.mode === 'sweep') {
    if (view.mode === 'replay' && view.asOf) params.set('asOf', view.asOf);
    else if (view.position !== undefined) params.set('pos', String(view.position));
  }
  if (view.mode === 'sweep' && view.sweep !== undefined)
    params.set('sweep', new Date(view.sweep).toISOString());
  if (view.mode === 'diff' && view.diff) {
    params.set('a', String(view.diff.a));
    params.set('b', String(view.diff.b));
  }
  if (view.selected) params.set('sel', view.selected);
  if (view.stats) params.set('stats', view.stats);
  return params.toString();
}

function instant(value: string | null): number | undefined {
  if (!value || value.length > 40) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function count(value: string | null): number | undefined {
  if (!value || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
