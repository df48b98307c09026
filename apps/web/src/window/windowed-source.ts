import {
  compareItems,
  type TimelineBucket,
  type TimelineDiffResponse,
  type TimelineFacets,
  type TimelineItem,
  validTimeBounds,
} from '@timeline/shared-types';
import { fetchDiff, fetchWindow } from '../api/window-api.ts';
import type { DiffEntry, TimelineDiff } from '../model/diff.ts';
import type { ViewState } from '../model/url-state.ts';
import { beforeFirstStop, type Displayed, type LiveState } from '../view/displayed.ts';
import { fetchSpanFor, type Span, type WindowQuery, windowSearch } from './window-key.ts';
import { type LoadedWindow, WindowLoader } from './window-loader.ts';

export interface WindowedSourceDeps {
  live: LiveState & { replaceItems(items: readonly TimelineItem[], position: number): void };
  /** What the timeline shows now, once it has been drawn. */
  visible(): Span | undefined;
  /** New data arrived for the view: recompute and draw. */
  onChange(): void;
  onError(error: unknown): void;
}

/**
 * The state on screen when the timeline is too big to hold (the timeline by window, issue 12): live
 * shows the window the API answered plus what the stream brought since; replay, sweep and diff ask
 * the API for the window at a log position (`at`) or knowledge time (`asOf`), and for the diff of two
 * positions. The page holds only the window on screen (items, or buckets when zoomed out).
 */
export class WindowedSource {
  private readonly liveLoader: WindowLoader;
  private readonly pastLoader: WindowLoader;
  private diffAnswer: { a: number; b: number; key: string; response: TimelineDiffResponse } | undefined;
  private diffLoading: AbortController | undefined;

  constructor(private readonly deps: WindowedSourceDeps) {
    const loader = (onLoaded: (loaded: LoadedWindow) => void, debounceMs: number) =>
      new WindowLoader({
        fetch: (search, signal) => fetchWindow(search, signal),
        onLoaded,
        onError: (error) => deps.onError(error),
        debounceMs,
      });
    this.liveLoader = loader((loaded) => {
      deps.live.replaceItems(loaded.response.items, loaded.response.position);
      deps.onChange();
    }, 120);
    this.pastLoader = loader(() => deps.onChange(), 60);
  }

  /** Starts from the first window read (so the first paint needs one request, not two). */
  seed(loaded: LoadedWindow): void {
    this.liveLoader.seed(loaded);
    this.deps.live.replaceItems(loaded.response.items, loaded.response.position);
  }

  /** The state on screen for a view (sync: what has arrived; `load` asks for the rest). */
  displayed(view: ViewState): Displayed {
    if (view.mode === 'live') return { items: this.deps.live.items, position: this.deps.live.position };
    const past = this.pastLoader.loaded?.response;
    const items = new Map((past?.items ?? []).map((item) => [item.id, item]));
    const position = past?.position ?? view.position ?? this.deps.live.position;
    if (view.mode === 'diff' && view.diff && this.diffAnswer) return this.diffDisplayed(items);
    if (view.mode === 'sweep') return { items, position, ...sweepOf(items, view) };
    return { items, position };
  }

  /** The density bars of the window on screen (none when it holds items). */
  buckets(view: ViewState): readonly TimelineBucket[] {
    const loaded = (view.mode === 'live' ? this.liveLoader : this.pastLoader).loaded;
    return loaded?.response.buckets?.rows ?? NO_BUCKETS;
  }

  /** The server's facet counts for the selection on screen. */
  facets(view: ViewState): TimelineFacets | undefined {
    return (view.mode === 'live' ? this.liveLoader : this.pastLoader).loaded?.response.facets;
  }

  snapshot(view: ViewState): WindowedSnapshot {
    const loaded = (view.mode === 'live' ? this.liveLoader : this.pastLoader).loaded;
    const snap: WindowedSnapshot = {
      mode: loaded?.response.mode ?? 'none',
      buckets: loaded?.response.buckets?.rows.length ?? 0,
      loading: this.loading,
    };
    if (loaded)
      snap.loaded = {
        start: new Date(loaded.span.start).toISOString(),
        end: new Date(loaded.span.end).toISOString(),
      };
    return snap;
  }

  /** Whether an answer for the view is still on its way. */
  get loading(): boolean {
    return this.liveLoader.busy || this.pastLoader.busy || this.diffLoading !== undefined;
  }

  /** Asks for what the view and the visible range need (debounced; `now` for a view change). */
  load(view: ViewState, now = false): void {
    const visible = this.deps.visible();
    if (!visible) return;
    const query: WindowQuery = { groupBy: view.groupBy, filter: view.filter };
    if (view.mode === 'live') {
      this.liveLoader.request(visible, query, now);
      return;
    }
    if (view.mode === 'diff' && view.diff) {
      this.pastLoader.request(visible, { ...query, at: view.diff.b }, now);
      this.loadDiff(view.diff.a, view.diff.b, visible, query);
      return;
    }
    if (view.asOf) query.asOf = view.asOf;
    else query.at = view.position ?? this.deps.live.position;
    this.pastLoader.request(visible, query, now);
  }

  /**
   * A live event was folded in: cached windows are stale, and an item that landed outside the loaded
   * window is let go (the overview counts it instead).
   */
  liveEvent(): void {
    this.liveLoader.invalidate();
    const span = this.liveLoader.loaded?.span;
    if (!span) return;
    for (const [id, item] of this.deps.live.items) {
      const { startMs, endMs } = validTimeBounds(item.occurredAt);
      if (endMs < span.start || startMs > span.end)
        (this.deps.live.items as Map<string, TimelineItem>).delete(id);
    }
  }

  private loadDiff(a: number, b: number, visible: Span, query: WindowQuery): void {
    const span = fetchSpanFor(visible);
    const search = windowSearch(span, query);
    const params = new URLSearchParams({ from: String(a), to: String(b) });
    for (const [key, value] of search) {
      if (key === 'from') params.set('validFrom', value);
      else if (key === 'to') params.set('validTo', value);
      else if (key !== 'budget' && key !== 'buckets' && key !== 'groupBy') params.set(key, value);
    }
    const key = params.toString();
    if (this.diffAnswer?.key === key) return;
    this.diffLoading?.abort();
    const controller = new AbortController();
    this.diffLoading = controller;
    fetchDiff(params, controller.signal)
      .then((response) => {
        if (controller.signal.aborted) return;
        this.diffLoading = undefined;
        this.diffAnswer = { a, b, key, response };
        this.deps.onChange();
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        this.diffLoading = undefined;
        this.deps.onError(error);
      });
  }

  private diffDisplayed(atB: Map<string, TimelineItem>): Displayed {
    const answer = this.diffAnswer as NonNullable<typeof this.diffAnswer>;
    const { response } = answer;
    const entries: DiffEntry[] = [
      ...response.added.map((item) => ({ kind: 'added' as const, item })),
      ...response.changed.map(({ item, before }) => ({ kind: 'changed' as const, item, before })),
      ...response.retracted.map(({ item, before }) => ({ kind: 'retracted' as const, item, before })),
    ].sort((x, y) => compareItems(x.item, y.item));
    const items = new Map(atB);
    for (const entry of entries) items.set(entry.item.id, entry.item);
    const diff: TimelineDiff = {
      from: answer.a,
      to: answer.b,
      entries,
      kindOf: new Map(entries.map((e) => [e.item.id, e.kind])),
      items,
    };
    return { items, position: answer.b, diff };
  }
}

/** What `window.__timeline.state().windowed` reports. */
export interface WindowedSnapshot {
  /** What the window on screen holds: items, or buckets (density bars) and the items that stand alone. */
  mode: 'items' | 'buckets' | 'none';
  buckets: number;
  /** The valid-time span loaded (the visible window plus a margin), ISO instants. */
  loaded?: { start: string; end: string };
  /** An answer is still on its way. */
  loading: boolean;
}

const NO_BUCKETS: readonly TimelineBucket[] = [];

/** Sweep over the window's items: the stops are the start dates of what is loaded. */
function sweepOf(items: ReadonlyMap<string, TimelineItem>, view: ViewState): Pick<Displayed, 'sweep'> {
  const stops = [...new Set([...items.values()].map((i) => validTimeBounds(i.occurredAt).startMs))].sort(
    (a, b) => a - b,
  );
  const marker = view.sweep ?? beforeFirstStop(stops);
  return { sweep: { stops, passed: stops.filter((s) => s <= marker).length, marker } };
}
