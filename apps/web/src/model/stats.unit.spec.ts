// @vitest-environment happy-dom
import { foldTimeline, timelineStats, upcastEnvelope } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { monthLabel, statsFor, statsView } from './stats.ts';
import { LogBuilder } from '../testing/events.ts';
import { StatsPanel, type StatsScope } from '../ui/stats-panel.ts';

const HOSTILE = '<img src=x onerror="window.pwned=1">';
const given = new LogBuilder();
given.fact('Roadmap', {
  type: 'StatementIssued',
  occurredAt: { start: '2021', precision: 'year' },
  pillars: ['telecom'],
  actors: ['India'],
});
given.fact('Visit', { pillars: ['telecom', 'ai'], actors: ['India', 'United Kingdom'] });
given.fact('Remarks', { pillars: ['ai'], actors: [HOSTILE] });
given.fact('Later remarks', {
  occurredAt: { start: '2024-08-02', precision: 'day' },
  pillars: ['telecom'],
  actors: ['India'],
});
const wrong = given.fact('Wrong', { pillars: ['quantum'], actors: ['Nobody'] });
given.retract(wrong, 'wrong');
const items = [...foldTimeline(given.events.map(upcastEnvelope)).values()];

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

describe('StatsPanel', () => {
  it('draws one table per dimension with a row per counter, data as text only', () => {
    const root = document.createElement('section');
    const scopes: StatsScope[] = [];
    const panel = new StatsPanel(root, (scope) => scopes.push(scope));
    panel.update({ view: statsFor(items), scope: 'all', describes: 'live at position 6' });
    const rows = (dimension: string) =>
      [...root.querySelectorAll(`[data-testid="stats-${dimension}"] tbody tr`)].map((tr) => [
        tr.getAttribute('data-key'),
        Number(tr.getAttribute('data-count')),
      ]);
    expect(rows('byPillar')).toEqual([
      ['telecom', 3],
      ['ai', 2],
    ]);
    expect(rows('byActor')).toContainEqual([HOSTILE, 1]);
    expect(root.querySelector('img')).toBeNull();
    expect(root.textContent).toContain(HOSTILE);
    expect(root.querySelector('[data-testid="stats-summary"]')!.textContent).toBe(
      '4 events · live at position 6',
    );
    const fills = [...root.querySelectorAll<HTMLElement>('.stats-byPillar .stats-bar-fill')];
    expect(fills.map((f) => f.style.width)).toEqual(['100.0%', '66.7%']);
    expect(fills[0]!.classList.contains('pillar-telecom')).toBe(true);
    // No download links unless the API can name the same state.
    expect((root.querySelector('.stats-downloads') as HTMLElement).hidden).toBe(true);

    const box = root.querySelector<HTMLInputElement>('[data-testid="stats-scope"]')!;
    box.checked = true;
    box.dispatchEvent(new Event('change'));
    expect(scopes).toEqual(['shown']);

    panel.update({
      view: statsFor(items.slice(0, 1)),
      scope: 'shown',
      describes: 'as of now',
      downloads: { json: '/api/stats?asOf=x', csv: '/api/stats?format=csv&asOf=x' },
    });
    expect(rows('byPillar')).toEqual([['telecom', 1]]);
    expect(root.querySelector('[data-testid="stats-summary"]')!.textContent).toBe(
      '1 event · as of now · filtered',
    );
    expect(root.querySelector('[data-testid="stats-csv"]')!.getAttribute('href')).toBe(
      '/api/stats?format=csv&asOf=x',
    );
  });
});
