import { el, replaceChildren } from '../base/dom.ts';

/** The page's fixed structure; every piece of content inside it is filled in by the components. */
export interface Shell {
  status: HTMLElement;
  liveBadge: HTMLButtonElement;
  goLive: HTMLButtonElement;
  groupBy: HTMLSelectElement;
  zoomIn: HTMLButtonElement;
  zoomOut: HTMLButtonElement;
  fit: HTMLButtonElement;
  statsToggle: HTMLButtonElement;
  error: HTMLElement;
  filters: HTMLElement;
  timelineRegion: HTMLElement;
  timelineCanvas: HTMLElement;
  detail: HTMLElement;
  replay: HTMLElement;
  stats: HTMLElement;
  /** The header's slot for the editing and export controls. */
  editSlot: HTMLElement;
  /** Where modal dialogs are attached. */
  dialogHost: HTMLElement;
}

type HeaderControls = Pick<
  Shell,
  'status' | 'liveBadge' | 'goLive' | 'groupBy' | 'zoomIn' | 'zoomOut' | 'fit' | 'statsToggle'
>;

function headerControls(): HeaderControls {
  const status = el('p', { class: 'status', role: 'status', 'data-testid': 'status' }, 'Loading…');
  const liveBadge = el('button', {
    type: 'button',
    class: 'live-badge',
    'data-testid': 'live-badge',
    hidden: true,
  });
  const goLive = el(
    'button',
    { type: 'button', class: 'secondary', 'data-testid': 'go-live', hidden: true },
    'Back to live',
  );
  const groupBy = el(
    'select',
    { id: 'group-by', 'data-testid': 'group-by' },
    el('option', { value: 'pillar' }, 'Pillar'),
    el('option', { value: 'actor' }, 'Actor'),
  );
  const zoomIn = el(
    'button',
    { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in (+)', 'data-testid': 'zoom-in' },
    '+',
  );
  const zoomOut = el(
    'button',
    { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out (−)', 'data-testid': 'zoom-out' },
    '−',
  );
  const fit = el('button', { type: 'button', title: 'Show every event (f)', 'data-testid': 'fit' }, 'Fit');
  const statsToggle = el(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'aria-expanded': 'false',
      'aria-controls': 'stats-panel',
      title: 'Counts by pillar, type, actor and month (s)',
      'data-testid': 'stats-toggle',
    },
    'Stats',
  );
  return { status, liveBadge, goLive, groupBy, zoomIn, zoomOut, fit, statsToggle };
}

export function buildShell(root: HTMLElement): Shell {
  const header = headerControls();
  const error = el('div', { class: 'error-banner', role: 'alert', hidden: true });
  const filters = el('nav', { class: 'filters', 'aria-label': 'Filters' });
  const timelineCanvas = el('div', { class: 'timeline-canvas' });
  const timelineRegion = el(
    'section',
    {
      id: 'timeline',
      class: 'timeline-region',
      tabindex: '0',
      role: 'region',
      'aria-label': 'Timeline',
      'aria-describedby': 'timeline-keys',
      'data-testid': 'timeline',
    },
    timelineCanvas,
    el(
      'p',
      { id: 'timeline-keys', class: 'keys-hint' },
      'Keys: ← → move between events · Enter opens details · + − zoom · f fits · s stats · Esc clears',
    ),
  );
  const detail = el('aside', {
    class: 'detail',
    'aria-labelledby': 'detail-heading',
    'data-testid': 'detail-panel',
    // Focusable so that keyboard users can reach and scroll it even when it holds only text.
    tabindex: '0',
  });
  const stats = el('section', {
    id: 'stats-panel',
    class: 'stats-panel',
    'aria-labelledby': 'stats-heading',
    'data-testid': 'stats-panel',
    hidden: true,
  });
  const editSlot = el('div', { class: 'edit-slot' });
  const replay = el('footer', { class: 'replay-bar', 'aria-label': 'Replay', 'data-testid': 'replay-bar' });
  replaceChildren(
    root,
    el('a', { class: 'skip-link', href: '#timeline' }, 'Skip to the timeline'),
    el(
      'header',
      { class: 'app-header' },
      el('h1', null, 'Timeline ', el('span', { class: 'subtitle' }, '— India–UK')),
      header.status,
      header.liveBadge,
      header.goLive,
      el(
        'div',
        { class: 'view-controls', role: 'group', 'aria-label': 'View' },
        el('label', { for: 'group-by' }, 'Group by'),
        header.groupBy,
        header.zoomIn,
        header.zoomOut,
        header.fit,
        header.statsToggle,
      ),
      editSlot,
    ),
    error,
    el(
      'div',
      { class: 'app-body' },
      filters,
      el('main', { id: 'main', class: 'app-main' }, timelineRegion, stats),
      detail,
    ),
    replay,
  );
  return {
    ...header,
    error,
    filters,
    timelineRegion,
    timelineCanvas,
    detail,
    replay,
    stats,
    editSlot,
    dialogHost: root,
  };
}
