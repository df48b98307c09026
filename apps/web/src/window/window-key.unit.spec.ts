import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER } from '../model/filters.ts';
import { fetchSpanFor, stillServes, windowKey, windowSearch } from './window-key.ts';

const DAY = 86_400_000;

describe('the window to fetch', () => {
  it('covers the visible span with half a span of margin each side, snapped outward', () => {
    const visible = { start: 100 * DAY, end: 130 * DAY };
    const span = fetchSpanFor(visible);
    expect(span.start).toBeLessThanOrEqual(visible.start - 15 * DAY);
    expect(span.end).toBeGreaterThanOrEqual(visible.end + 15 * DAY);
    expect(span.end - span.start).toBeLessThan(4 * 30 * DAY);
  });

  it('gives the same window for a small pan, so the cache answers it', () => {
    const a = fetchSpanFor({ start: 100 * DAY, end: 130 * DAY });
    const b = fetchSpanFor({ start: 100 * DAY + 3_600_000, end: 130 * DAY + 3_600_000 });
    expect(b).toEqual(a);
  });
});

describe('whether a loaded window still serves', () => {
  const span = { start: 0, end: 100 * DAY };
  it('items serve any zoom inside their window', () => {
    expect(stillServes({ span, mode: 'items' }, { start: 10 * DAY, end: 11 * DAY })).toBe(true);
  });
  it('buckets serve only at about the same zoom', () => {
    expect(stillServes({ span, mode: 'buckets' }, { start: 20 * DAY, end: 60 * DAY })).toBe(true);
    expect(stillServes({ span, mode: 'buckets' }, { start: 10 * DAY, end: 11 * DAY })).toBe(false);
  });
  it('nothing serves a range it does not cover', () => {
    expect(stillServes({ span, mode: 'items' }, { start: 90 * DAY, end: 110 * DAY })).toBe(false);
  });
});

describe('the cache key and the query', () => {
  it('does not depend on the order of facet values', () => {
    const span = { start: 0, end: DAY };
    const a = windowKey(span, { groupBy: 'pillar', filter: { ...EMPTY_FILTER, pillars: ['ai', 'telecom'] } });
    const b = windowKey(span, { groupBy: 'pillar', filter: { ...EMPTY_FILTER, pillars: ['telecom', 'ai'] } });
    expect(a).toBe(b);
    expect(windowKey(span, { groupBy: 'pillar', filter: EMPTY_FILTER, at: 5 })).not.toBe(
      windowKey(span, { groupBy: 'pillar', filter: EMPTY_FILTER, at: 6 }),
    );
  });

  it('sends the window, budget, filters and position as the API reads them', () => {
    const params = windowSearch(
      { start: 0, end: DAY },
      {
        groupBy: 'actor',
        filter: { pillars: ['ai'], types: [], actors: ['UK', 'India'], q: ' chip ' },
        at: 42,
      },
    );
    expect(Object.fromEntries(params)).toEqual({
      from: '1970-01-01T00:00:00.000Z',
      to: '1970-01-02T00:00:00.000Z',
      budget: '300',
      buckets: '100',
      groupBy: 'actor',
      pillars: 'ai',
      actors: 'UK,India',
      q: 'chip',
      at: '42',
    });
  });
});
