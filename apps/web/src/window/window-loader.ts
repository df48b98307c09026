import type { TimelineWindowResponse } from '@timeline/shared-types';
import {
  fetchSpanFor,
  type Span,
  stillServes,
  type WindowQuery,
  windowKey,
  windowSearch,
} from './window-key.ts';

/** One window answer and the span it was asked for. */
export interface LoadedWindow {
  key: string;
  span: Span;
  query: WindowQuery;
  response: TimelineWindowResponse;
}

export interface WindowLoaderDeps {
  fetch(search: URLSearchParams, signal: AbortSignal): Promise<TimelineWindowResponse>;
  onLoaded(loaded: LoadedWindow): void;
  onError(error: unknown): void;
  /** How long the visible range must rest before it is fetched. */
  debounceMs?: number;
  setTimer?(callback: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
}

const CACHE_SIZE = 24;

/**
 * Loads what is visible: the visible window plus a margin, at most once per resting range (debounced),
 * the request before cancelled when a newer one starts, answers kept in a small LRU cache by normalised
 * key. Live events make cached answers stale: `invalidate` drops them.
 */
export class WindowLoader {
  private readonly cache = new Map<string, LoadedWindow>();
  private current: LoadedWindow | undefined;
  private inFlight: { key: string; controller: AbortController } | undefined;
  private timer: unknown;
  private pending: { visible: Span; query: WindowQuery } | undefined;

  constructor(private readonly deps: WindowLoaderDeps) {}

  get loaded(): LoadedWindow | undefined {
    return this.current;
  }

  /** Whether a request is waiting or running. */
  get busy(): boolean {
    return this.pending !== undefined || this.inFlight !== undefined;
  }

  /** Takes an answer read elsewhere (the first load) as the current window. */
  seed(loaded: LoadedWindow): void {
    this.touch(loaded);
    this.current = loaded;
  }

  /** The visible range or the question changed: load what it needs (debounced unless `now`). */
  request(visible: Span, query: WindowQuery, now = false): void {
    const current = this.current;
    if (
      current &&
      sameQuery(current.query, query) &&
      stillServes({ span: current.span, mode: current.response.mode }, visible)
    ) {
      this.cancelPending();
      return;
    }
    this.pending = { visible, query };
    if (now) {
      this.cancelTimer();
      this.flush();
      return;
    }
    // A burst (a replay playing, a drag) is not postponed forever: the first request of it starts the
    // wait, and the flush takes the latest.
    const set = this.deps.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    if (this.timer === undefined) this.timer = set(() => this.flush(), this.deps.debounceMs ?? 120);
  }

  /** Forgets cached answers (the data changed) and, with `reload`, fetches the current window again. */
  invalidate(reload = false): void {
    this.cache.clear();
    const current = this.current;
    if (!reload || !current) return;
    this.current = undefined;
    this.pending = { visible: current.span, query: current.query };
    this.flush(current.span);
  }

  private flush(exact?: Span): void {
    const pending = this.pending;
    this.timer = undefined;
    if (!pending) return;
    const span = exact ?? fetchSpanFor(pending.visible);
    const key = windowKey(span, pending.query);
    const cached = this.cache.get(key);
    if (cached) {
      this.pending = undefined;
      this.touch(cached);
      this.accept(cached);
      return;
    }
    if (this.inFlight?.key === key) {
      this.pending = undefined;
      return;
    }
    this.inFlight?.controller.abort();
    const controller = new AbortController();
    this.inFlight = { key, controller };
    const query = pending.query;
    this.deps
      .fetch(windowSearch(span, query), controller.signal)
      .then((response) => {
        if (controller.signal.aborted) return;
        this.inFlight = undefined;
        if (this.pending === pending) this.pending = undefined;
        const loaded = { key, span, query, response };
        this.touch(loaded);
        this.accept(loaded);
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        this.inFlight = undefined;
        if (this.pending === pending) this.pending = undefined;
        this.deps.onError(error);
      });
  }

  private accept(loaded: LoadedWindow): void {
    this.current = loaded;
    this.deps.onLoaded(loaded);
  }

  private touch(loaded: LoadedWindow): void {
    this.cache.delete(loaded.key);
    this.cache.set(loaded.key, loaded);
    while (this.cache.size > CACHE_SIZE) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
  }

  private cancelPending(): void {
    this.cancelTimer();
    this.pending = undefined;
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      (this.deps.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)))(
        this.timer,
      );
      this.timer = undefined;
    }
  }
}

function sameQuery(a: WindowQuery, b: WindowQuery): boolean {
  return windowKey({ start: 0, end: 0 }, a) === windowKey({ start: 0, end: 0 }, b);
}
