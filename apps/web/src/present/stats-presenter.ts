import type { TimelineItem } from '@timeline/shared-types';
import { formatCount, formatInstant } from '../base/format.ts';
import { statsFor } from '../model/stats.ts';
import type { ViewState } from '../model/url-state.ts';
import type { StatsPanel, StatsPanelState, StatsScope } from '../ui/stats-panel.ts';
import type { Shell } from '../ui/shell.ts';
import { Throttle } from '../view/throttle.ts';
import type { ViewStore } from '../view/view-store.ts';

const STATS_EVERY_MS = 250;

/** Which state the panel's figures describe, in words. */
export function statsCaption(view: ViewState, position: number): string {
  const at = formatCount(position);
  if (view.mode === 'live') return `live at position ${at}`;
  if (view.mode === 'replay' && view.asOf) return `as of ${formatInstant(view.asOf)} (position ${at})`;
  if (view.mode === 'diff') return `at position ${at} (the diff's B side)`;
  return `at position ${at}`;
}

/** Links to the API's figures for the same state, when the API can name that state. */
export function statsDownloads(view: ViewState, scope: StatsScope): StatsPanelState['downloads'] {
  if (scope !== 'all') return undefined;
  if (view.mode === 'live') return { json: '/api/stats', csv: '/api/stats?format=csv' };
  if (view.mode === 'replay' && view.asOf) {
    const asOf = encodeURIComponent(view.asOf);
    return { json: `/api/stats?asOf=${asOf}`, csv: `/api/stats?format=csv&asOf=${asOf}` };
  }
  return undefined;
}

/**
 * The stats panel counts the state on screen with the API's own function: scope "all" is what
 * `GET /api/stats` answers for the same knowledge time; "shown" applies the filters (and the sweep).
 * Like the facets, it refreshes a few times a second at most during playback.
 */
export class StatsPresenter {
  private readonly throttle = new Throttle(STATS_EVERY_MS);

  constructor(
    private readonly shell: Shell,
    private readonly panel: StatsPanel,
    private readonly store: ViewStore,
  ) {}

  draw(visible: readonly TimelineItem[], now: boolean): void {
    const scope = this.store.view.stats;
    this.shell.stats.hidden = scope === undefined;
    this.shell.statsToggle.setAttribute('aria-expanded', String(scope !== undefined));
    if (scope === undefined) {
      this.throttle.cancel();
      return;
    }
    this.throttle.run(() => {
      // A late draw shows the state as it is by then; only the scope and the filtered items are the request's.
      const { view, displayed } = this.store;
      const items = scope === 'shown' ? visible : displayed.items.values();
      const state: StatsPanelState = {
        view: statsFor(items),
        scope,
        describes: statsCaption(view, displayed.position),
      };
      const downloads = statsDownloads(view, scope);
      if (downloads) state.downloads = downloads;
      this.panel.update(state);
    }, now);
  }
}
