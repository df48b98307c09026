import type { TimelineItem } from '@timeline/shared-types';
import type { ViewState } from '../model/url-state.ts';
import { type Displayed, visibleItems } from './displayed.ts';

export interface RenderOptions {
  /** Draw the facet counts and the stats now, not at their throttled pace. */
  facetsNow?: boolean;
}

export interface ViewStoreDeps {
  /** The state on screen for a view (see `computeDisplayed`). */
  compute(view: ViewState): Displayed;
  /** Draws everything; `visible` is what passes the filters, in timeline order. */
  draw(visible: readonly TimelineItem[], options: RenderOptions): void;
  requestFrame?(callback: () => void): void;
}

/**
 * The view state (what the URL mirrors) and the state on screen that follows from it. Whoever changes
 * the view calls `recompute` (the state on screen follows the view) and `render`; events that arrive
 * many times a frame (the live stream, log pages) call `queueRender`, which draws once on the next frame.
 */
export class ViewStore {
  view: ViewState;
  private shown: Displayed = { items: new Map(), position: 0 };
  private order: string[] = [];
  private renderQueued = false;

  constructor(
    initial: ViewState,
    private readonly deps: ViewStoreDeps,
  ) {
    this.view = initial;
  }

  get displayed(): Displayed {
    return this.shown;
  }

  /** The ids drawn at the last render, in timeline order (keyboard navigation walks them). */
  get visibleOrder(): readonly string[] {
    return this.order;
  }

  recompute(): void {
    this.shown = this.deps.compute(this.view);
    // The sweep marker starts before the first date; once placed, it is part of the view (and the URL).
    if (this.shown.sweep) this.view.sweep = this.shown.sweep.marker;
  }

  render(options: RenderOptions = {}): void {
    const visible = visibleItems(this.shown, this.view);
    this.order = visible.map((i) => i.id);
    this.deps.draw(visible, options);
  }

  /** Recomputes, then draws. */
  refresh(options: RenderOptions = {}): void {
    this.recompute();
    this.render(options);
  }

  /** Draws once on the next frame, however often it is asked before then. */
  queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    const frame = () => {
      this.renderQueued = false;
      this.render();
    };
    if (this.deps.requestFrame) this.deps.requestFrame(frame);
    else requestAnimationFrame(frame);
  }
}
