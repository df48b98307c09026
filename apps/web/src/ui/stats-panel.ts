import { el, replaceChildren, setText } from '../base/dom.ts';
import { formatCount, plural } from '../base/format.ts';
import type { StatsChart, StatsView } from '../model/stats.ts';
import { pillarClass } from '../base/styling.ts';

/** What the panel counts: the whole state on screen (as the API does) or only what passes the filters. */
export type StatsScope = 'all' | 'shown';

export interface StatsPanelState {
  view: StatsView;
  scope: StatsScope;
  /** "live at position 37", "as of 24 Jul 2024, 10:00 UTC", … */
  describes: string;
  /** `/api/stats` links for the same figures, when the state on screen is one the API can name. */
  downloads?: { json: string; csv: string };
}

/**
 * A small chart panel: one bar chart per dimension (pillar, type, actor, valid-time month), drawn as
 * a table per chart whose rows carry a bar (a `<span>` with a CSS width), the label and the count.
 * Tables keep the figures readable by screen readers and copyable; there is no canvas and no markup
 * built from strings, so an actor called `<img onerror=…>` is a label like any other.
 * The panel owns no state: it draws what it is given and reports the scope toggle.
 */
export class StatsPanel {
  private readonly summary: HTMLElement;
  private readonly scopeBox: HTMLInputElement;
  private readonly downloads: HTMLElement;
  private readonly jsonLink: HTMLAnchorElement;
  private readonly csvLink: HTMLAnchorElement;
  private readonly charts: HTMLElement;
  private drawn: StatsPanelState | undefined;

  constructor(
    readonly root: HTMLElement,
    onScope: (scope: StatsScope) => void,
  ) {
    this.summary = el('p', { class: 'stats-summary', 'data-testid': 'stats-summary', role: 'status' });
    this.scopeBox = el('input', { type: 'checkbox', id: 'stats-scope', 'data-testid': 'stats-scope' });
    this.scopeBox.addEventListener('change', () => onScope(this.scopeBox.checked ? 'shown' : 'all'));
    this.jsonLink = el(
      'a',
      { href: '/api/stats', 'data-testid': 'stats-json', download: 'timeline-stats.json' },
      'JSON',
    );
    this.csvLink = el(
      'a',
      { href: '/api/stats?format=csv', 'data-testid': 'stats-csv', download: 'timeline-stats.csv' },
      'CSV',
    );
    this.downloads = el(
      'span',
      { class: 'stats-downloads' },
      'Download: ',
      this.jsonLink,
      ' · ',
      this.csvLink,
    );
    this.charts = el('div', { class: 'stats-charts' });
    replaceChildren(
      root,
      el(
        'div',
        { class: 'stats-head' },
        el('h2', { id: 'stats-heading' }, 'Statistics'),
        this.summary,
        el(
          'label',
          { class: 'stats-scope', for: 'stats-scope' },
          this.scopeBox,
          ' Only events that match the filters',
        ),
        this.downloads,
      ),
      this.charts,
    );
  }

  update(state: StatsPanelState): void {
    const { view, scope } = state;
    this.scopeBox.checked = scope === 'shown';
    setText(
      this.summary,
      `${plural(view.total, 'event')} · ${state.describes}${scope === 'shown' ? ' · filtered' : ''}`,
    );
    this.summary.dataset.total = String(view.total);
    this.downloads.hidden = state.downloads === undefined;
    if (state.downloads) {
      this.jsonLink.setAttribute('href', state.downloads.json);
      this.csvLink.setAttribute('href', state.downloads.csv);
    }
    // Redrawing the tables is cheap but not free: skip it when the figures did not change.
    if (this.drawn && sameFigures(this.drawn.view, view)) {
      this.drawn = state;
      return;
    }
    this.drawn = state;
    replaceChildren(this.charts, ...view.charts.map(drawChart));
  }
}

function drawChart(chart: StatsChart): HTMLElement {
  const body = el('tbody');
  for (const bar of chart.bars) {
    const fill = el('span', { class: 'stats-bar-fill' });
    // A style property set through the CSSOM: a number, never a string from the data.
    fill.style.width = `${(bar.share * 100).toFixed(1)}%`;
    if (chart.dimension === 'byPillar') fill.classList.add(pillarClass(bar.key));
    body.append(
      el(
        'tr',
        { 'data-key': bar.key, 'data-count': bar.count },
        el('th', { scope: 'row', class: 'stats-label', title: bar.label }, bar.label),
        el('td', { class: 'stats-bar', 'aria-hidden': 'true' }, fill),
        el('td', { class: 'stats-count count' }, formatCount(bar.count)),
      ),
    );
  }
  return el(
    'section',
    { class: `stats-chart stats-${chart.dimension}`, 'data-testid': `stats-${chart.dimension}` },
    el(
      'table',
      null,
      el('caption', null, chart.title, ' ', el('span', { class: 'muted' }, `(${chart.bars.length})`)),
      body,
    ),
    chart.bars.length === 0 ? el('p', { class: 'muted' }, 'Nothing to count.') : null,
  );
}

function sameFigures(a: StatsView, b: StatsView): boolean {
  if (a.total !== b.total || a.charts.length !== b.charts.length) return false;
  return a.charts.every((chart, i) => {
    const other = b.charts[i];
    if (!other || other.bars.length !== chart.bars.length) return false;
    return chart.bars.every((bar, j) => {
      const o = other.bars[j];
      return o !== undefined && o.key === bar.key && o.count === bar.count && o.label === bar.label;
    });
  });
}
