import type { ExportFormat } from '@timeline/shared-types';
import { DEFAULT_VIEW, serializeViewState } from './url-state.ts';

/**
 * `GET /api/export` for the state on screen. The route takes a knowledge time (`asOf`) and no
 * filters, so the link names the knowledge time when the view has one and exports every item.
 */
export function exportHref(format: ExportFormat, asOf: string | undefined): string {
  const params = new URLSearchParams({ format });
  if (asOf) params.set('asOf', asOf);
  return `/api/export?${params}`;
}

/** A link that opens the page, live, with `itemId` selected (and shown). */
export function permalink(base: { origin: string; pathname: string }, itemId: string): string {
  return `${base.origin}${base.pathname}?${serializeViewState({ ...DEFAULT_VIEW, selected: itemId })}`;
}
