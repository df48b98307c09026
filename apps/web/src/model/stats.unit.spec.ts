import { timelineStats } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { monthLabel, statsFor, statsView } from './stats.ts';
import { HOSTILE, statsFixtureItems } from '../testing/stats-fixture.ts';

const items = statsFixtureItems();

describe('statsView', () => {
  it('shows exactly the figures of timelineStats (the API’s function), retracted items left out', () => {
    const view = statsFor(items);
    const stats = timelineStats(items);
    expect(view.total).toBe(4);
    for (const chart of view.charts) {
      const fromBars = Object.fromEntries(chart.bars.map((b) => [b.key, b.count]));
      expect(fromBars).toEqual(stats[chart.dimension]);
    }
    const pillars = view.charts.find((c) => c.dimension === 'byPillar')!;
    expect(pillars.bars.map((b) => [b.key, b.count, b.share])).toEqual([
      ['telecom', 3, 1],
      ['ai', 2, 2 / 3],
    ]);
    expect(pillars.bars[0]!.label).toBe('Telecom');
  });

  it('keeps months in calendar order with year-only dates first, and ranks the rest by count', () => {
    const view = statsFor(items);
    const months = view.charts.find((c) => c.dimension === 'byMonth')!;
    expect(months.bars.map((b) => b.key)).toEqual(['2021', '2024-07', '2024-08']);
    expect(months.bars.map((b) => b.label)).toEqual(['2021 (year only)', 'Jul 2024', 'Aug 2024']);
    const actors = view.charts.find((c) => c.dimension === 'byActor')!;
    expect(actors.bars.map((b) => b.key)).toEqual(['India', HOSTILE, 'United Kingdom']);
  });

  it('draws nothing from an empty state', () => {
    const view = statsView({ byPillar: {}, byActor: {}, byType: {}, byMonth: {}, total: 0 });
    expect(view.total).toBe(0);
    expect(view.charts.every((c) => c.bars.length === 0)).toBe(true);
    expect(monthLabel('not-a-month')).toBe('not-a-month');
  });
});
