import type { FilterState } from '../model/filters.ts';
import type { GroupBy } from '../model/url-state.ts';

/** A valid-time window, epoch ms. */
export interface Span {
  start: number;
  end: number;
}

/** What a window request asks for besides the window: it is part of the cache key. */
export interface WindowQuery {
  groupBy: GroupBy;
  filter: FilterState;
  /** Replay: the state after this log position. */
  at?: number;
  /** Replay: the state known at this instant (wins over `at`). */
  asOf?: string;
}

/**
 * A timeline of at most this many items is read whole at the first load (and then filtered, clustered
 * and replayed in the browser, as before the timeline by window); a bigger one is read by window.
 */
export const WHOLE_BUDGET = 2000;
/**
 * Items the page asks for at most per window (the visible span and its margins, about 2.25× what is
 * visible): over it the server answers density bars. vis-timeline draws and stacks every item in the
 * range it shows and a quarter beyond each side before it hides the rows below the fold, so the cost
 * of a window is its items, not what ends up on screen: at 2,000, zooming a million-event timeline from
 * bars to its first window of items drew ~900 items in one task of 0.3 s on a busy machine.
 */
export const WINDOW_BUDGET = 300;
/**
 * Buckets the page asks for at most across a window (the server's ceiling is 200). The window is two
 * to three times what is visible, so about 35-50 bars per group are on screen. Chosen when vis-timeline
 * laid out and measured each bar as an item: at 200 (~800 bars on screen over four groups) one zoom
 * step was a long task of 300-800 ms (docs/benchmarks.md, "Web rendering at scale"); bars are now drawn
 * on a canvas (timeline/bars-layer.ts), so that cost is gone, but the answers stay this size. Not
 * fewer: calendar units jump (a year, then a decade), and at 60 a fitted 25-year view got decade bars,
 * too coarse to click into. The overview strip keeps the finer density.
 */
export const WINDOW_BUCKETS = 100;

/**
 * The window to fetch for what is visible: the visible span plus half a span each side, snapped
 * outward to a power-of-two grid of about a quarter span. Small pans and zooms then fall inside the
 * window already loaded or land on the same key, so the cache answers them (as Perfetto's timeline
 * cache does).
 */
export function fetchSpanFor(visible: Span): Span {
  const width = Math.max(1, visible.end - visible.start);
  const step = 2 ** Math.ceil(Math.log2(width / 4));
  const start = Math.floor((visible.start - width / 2) / step) * step;
  const end = Math.ceil((visible.end + width / 2) / step) * step;
  return { start, end };
}

/**
 * Whether a loaded answer still serves the visible span: it must cover it, and a bucketed answer must
 * be at about the same zoom (its buckets would be too coarse zoomed in, too many zoomed out). Items
 * cover any zoom inside their window.
 */
export function stillServes(loaded: { span: Span; mode: 'items' | 'buckets' }, visible: Span): boolean {
  if (visible.start < loaded.span.start || visible.end > loaded.span.end) return false;
  if (loaded.mode === 'items') return true;
  const ratio = (loaded.span.end - loaded.span.start) / Math.max(1, visible.end - visible.start);
  return ratio <= 4;
}

/** The cache key: the same window and question always give the same key (list order does not matter). */
export function windowKey(span: Span, query: WindowQuery): string {
  const sorted = (values: readonly string[]) => [...values].sort().join(',');
  const { filter } = query;
  return [
    span.start,
    span.end,
    query.groupBy,
    sorted(filter.pillars),
    sorted(filter.types),
    sorted(filter.actors),
    filter.q.trim().toLowerCase(),
    query.asOf ?? (query.at === undefined ? '' : `@${query.at}`),
  ].join('|');
}

/** The query string of `GET /api/timeline` for a window (see `TimelineWindowResponse`). */
export function windowSearch(span: Span, query: WindowQuery, budget = WINDOW_BUDGET): URLSearchParams {
  const params = new URLSearchParams({
    from: new Date(span.start).toISOString(),
    to: new Date(span.end).toISOString(),
    budget: String(budget),
    buckets: String(WINDOW_BUCKETS),
    groupBy: query.groupBy,
  });
  const { filter } = query;
  if (filter.pillars.length) params.set('pillars', filter.pillars.join(','));
  if (filter.types.length) params.set('types', filter.types.join(','));
  if (filter.actors.length) params.set('actors', filter.actors.join(','));
  if (filter.q.trim()) params.set('q', filter.q.trim());
  if (query.asOf) params.set('asOf', query.asOf);
  else if (query.at !== undefined) params.set('at', String(query.at));
  return params;
}
