/**
 * `/embed`: the timeline read-only, for a frame on another site. The page is the same app; this
 * only marks the document so `styles/embed.css` hides what a reader of someone else's page does not
 * need (the filters column, the replay bar, editing, import, the keyboard hint) and fits the rest to
 * the frame. A link may ask for panels back: `?panels=filters,replay`. The view itself (window,
 * grouping, filters, selection) is the URL state as on the full page.
 *
 * Which sites may frame it is the API's setting (`TIMELINE_EMBED_ORIGINS`), enforced by the page's
 * CSP `frame-ancestors`, not here.
 */
export const EMBED_PANELS = ['filters', 'replay'] as const;
export type EmbedPanel = (typeof EMBED_PANELS)[number];

export interface EmbedMode {
  panels: EmbedPanel[];
}

/** The embed mode of a page address, or undefined on the full app. */
export function embedModeOf(location: Pick<Location, 'pathname' | 'search'>): EmbedMode | undefined {
  if (location.pathname.replace(/\/+$/, '') !== '/embed') return undefined;
  const asked = (new URLSearchParams(location.search).get('panels') ?? '').split(',').map((p) => p.trim());
  return { panels: EMBED_PANELS.filter((panel) => asked.includes(panel)) };
}

/** Marks the document: `data-embed` on <html>, and `data-embed-<panel>` for each panel asked for. */
export function applyEmbedMode(root: HTMLElement, mode: EmbedMode | undefined): void {
  if (!mode) return;
  root.dataset.embed = '';
  for (const panel of mode.panels) root.dataset[`embed${panel[0]!.toUpperCase()}${panel.slice(1)}`] = '';
}

/** Query parameters the view state does not own, kept when the URL mirrors the view. */
export const EMBED_URL_PARAMS = ['panels'] as const;
