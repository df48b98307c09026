import type { TimelineWindowResponse } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER } from '../model/filters.ts';
import { fetchSpanFor } from './window-key.ts';
import { type LoadedWindow, WindowLoader } from './window-loader.ts';

const DAY = 86_400_000;
const query = { groupBy: 'pillar' as const, filter: EMPTY_FILTER };

function answer(mode: 'items' | 'buckets', position = 1): TimelineWindowResponse {
  return {
    position,
    window: { from: '', to: '' },
    mode,
    items: [],
    facets: { total: 0, pillars: {}, types: {}, actors: {} },
  };
}

/** A loader whose timers run when the test says and whose fetches resolve when the test says. */
function harness(mode: 'items' | 'buckets' = 'buckets') {
  const timers: Array<() => void> = [];
  const fetches: Array<{ search: URLSearchParams; signal: AbortSignal; resolve: () => void }> = [];
  const loaded: LoadedWindow[] = [];
  const loader = new WindowLoader({
    fetch: (search, signal) =>
      new Promise((resolve) => fetches.push({ search, signal, resolve: () => resolve(answer(mode)) })),
    onLoaded: (l) => loaded.push(l),
    onError: (error) => {
      throw error;
    },
    setTimer: (callback) => timers.push(callback),
    clearTimer: () => timers.splice(0),
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { loader, timers, fetches, loaded, settle };
}

describe('WindowLoader', () => {
  it('waits a moment after the first request of a burst, then fetches the latest once', async () => {
    const { loader, timers, fetches, loaded, settle } = harness();
    loader.request({ start: 0, end: 10 * DAY }, query);
    loader.request({ start: DAY, end: 11 * DAY }, query);
    expect(fetches).toHaveLength(0);
    expect(timers).toHaveLength(1);
    timers.shift()?.();
    expect(fetches).toHaveLength(1);
    // The latest range asked for, not the first.
    const latest = fetchSpanFor({ start: DAY, end: 11 * DAY });
    expect(fetches[0]?.search.get('from')).toBe(new Date(latest.start).toISOString());
    fetches[0]?.resolve();
    await settle();
    expect(loaded).toHaveLength(1);
    expect(loader.busy).toBe(false);
  });

  it('cancels the request before when a newer one starts', () => {
    const { loader, fetches } = harness();
    loader.request({ start: 0, end: 10 * DAY }, query, true);
    loader.request({ start: 1000 * DAY, end: 1010 * DAY }, query, true);
    expect(fetches).toHaveLength(2);
    expect(fetches[0]?.signal.aborted).toBe(true);
    expect(fetches[1]?.signal.aborted).toBe(false);
  });

  it('does not fetch a range the loaded window still serves, and answers a revisit from the cache', async () => {
    const { loader, fetches, loaded, settle } = harness();
    loader.request({ start: 0, end: 10 * DAY }, query, true);
    fetches[0]?.resolve();
    await settle();
    loader.request({ start: DAY, end: 11 * DAY }, query, true);
    expect(fetches).toHaveLength(1);
    loader.request({ start: 5000 * DAY, end: 5010 * DAY }, query, true);
    fetches[1]?.resolve();
    await settle();
    loader.request({ start: 0, end: 10 * DAY }, query, true);
    expect(fetches).toHaveLength(2);
    expect(loaded).toHaveLength(3);
    expect(loaded[2]?.key).toBe(loaded[0]?.key);
  });

  it('fetches again when the question changes or the data did', async () => {
    const { loader, fetches, settle } = harness();
    loader.request({ start: 0, end: 10 * DAY }, query, true);
    fetches[0]?.resolve();
    await settle();
    loader.request({ start: 0, end: 10 * DAY }, { ...query, filter: { ...EMPTY_FILTER, q: 'x' } }, true);
    expect(fetches).toHaveLength(2);
    expect(fetches[1]?.search.get('q')).toBe('x');
    fetches[1]?.resolve();
    await settle();
    loader.invalidate(true);
    expect(fetches).toHaveLength(3);
  });
});
