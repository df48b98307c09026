// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { statsFor } from '../model/stats.ts';
import { HOSTILE, statsFixtureItems } from '../testing/stats-fixture.ts';
import { StatsPanel, type StatsScope } from './stats-panel.ts';

const items = statsFixtureItems();

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
