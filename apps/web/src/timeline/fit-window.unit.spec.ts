import { describe, expect, it } from 'vitest';
import { dataBounds, FIT_MARGIN_PX, fitWindow } from './fit-window.ts';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

describe('dataBounds', () => {
  it('takes the earliest start and the latest end, a box counting as its start', () => {
    const bounds = dataBounds([
      { start: at('2023-05-01T00:00:00Z') },
      // A year-precision item is a range over the whole year: its end is the edge, not its start.
      { start: at('2024-01-01T00:00:00Z'), end: at('2025-01-01T00:00:00Z') },
      { start: at('2021-01-01T00:00:00Z'), end: at('2021-02-01T00:00:00Z') },
    ]);
    expect(bounds).toEqual({ start: at('2021-01-01T00:00:00Z'), end: at('2025-01-01T00:00:00Z') });
  });

  it('reads Date and ISO values and skips what is not a date', () => {
    const bounds = dataBounds([
      { start: new Date('2022-03-01T00:00:00Z') },
      { start: '2022-04-01T00:00:00Z' },
      { start: 'not a date' },
      { start: undefined },
    ]);
    expect(bounds).toEqual({ start: at('2022-03-01T00:00:00Z'), end: at('2022-04-01T00:00:00Z') });
  });

  it('ignores an end before its start and is undefined without items', () => {
    expect(dataBounds([{ start: 10 * DAY, end: 2 * DAY }])).toEqual({ start: 10 * DAY, end: 10 * DAY });
    expect(dataBounds([])).toBeUndefined();
  });
});

describe('fitWindow', () => {
  it('keeps the margin in pixels on both sides of the dates', () => {
    const bounds = { start: at('2021-01-01T00:00:00Z'), end: at('2024-12-31T00:00:00Z') };
    const width = 1200;
    const w = fitWindow(bounds, width);
    const msPerPx = (w.end - w.start) / width;
    expect((bounds.start - w.start) / msPerPx).toBeCloseTo(FIT_MARGIN_PX, 6);
    expect((w.end - bounds.end) / msPerPx).toBeCloseTo(FIT_MARGIN_PX, 6);
  });

  it('gives a narrow panel at least 40% of its width for the dates', () => {
    const bounds = { start: 0, end: 100 * DAY };
    const w = fitWindow(bounds, 400);
    expect((bounds.end - bounds.start) / (w.end - w.start)).toBeCloseTo(0.4, 6);
  });

  it('shows a single date a day wide, centred', () => {
    const day = at('2024-07-24T00:00:00Z');
    const w = fitWindow({ start: day, end: day }, 1000);
    expect((w.start + w.end) / 2).toBe(day);
    expect(w.end - w.start).toBeGreaterThan(DAY);
  });

  it('falls back to a sane width when the panel has none yet', () => {
    const w = fitWindow({ start: 0, end: DAY }, 0);
    expect(Number.isFinite(w.start) && Number.isFinite(w.end) && w.end > w.start).toBe(true);
  });
});
