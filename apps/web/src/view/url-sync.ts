import { EMBED_URL_PARAMS } from '../embed/embed-mode.ts';
import { serializeViewState, type ViewState } from '../model/url-state.ts';

const URL_DEBOUNCE_MS = 300;

export interface UrlSyncDeps {
  location: Pick<Location, 'pathname' | 'search' | 'hash'>;
  replaceState(url: string): void;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

const BROWSER: UrlSyncDeps = {
  get location() {
    return location;
  },
  replaceState: (url) => history.replaceState(null, '', url),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Mirrors the view state in the address bar, so a copied link restores the view. It waits until the
 * view has been still for a moment (scrubbing and playback change it every frame) and replaces the
 * history entry rather than adding one, so Back leaves the page instead of stepping through frames.
 */
export class UrlSync {
  private timer: unknown;

  constructor(
    private readonly view: () => ViewState,
    private readonly deps: UrlSyncDeps = BROWSER,
  ) {}

  schedule(): void {
    if (this.timer !== undefined) this.deps.clearTimer(this.timer);
    this.timer = this.deps.setTimer(() => {
      this.timer = undefined;
      this.write();
    }, URL_DEBOUNCE_MS);
  }

  private write(): void {
    const { pathname, search, hash } = this.deps.location;
    const kept = new URLSearchParams();
    const current = new URLSearchParams(search);
    for (const name of EMBED_URL_PARAMS) for (const value of current.getAll(name)) kept.append(name, value);
    const query = [serializeViewState(this.view()), kept.toString()].filter(Boolean).join('&');
    const url = `${pathname}${query ? `?${query}` : ''}${hash}`;
    if (url !== `${pathname}${search}${hash}`) this.deps.replaceState(url);
  }
}
