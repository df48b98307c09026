import { PILLARS, type TimelineOverviewResponse } from '@timeline/shared-types';
import { el } from '../base/dom.ts';
import { formatCount } from '../base/format.ts';

export interface Span {
  start: number;
  end: number;
}

export interface OverviewStripEvents {
  /** The brush was dragged (or the strip clicked): show this window. */
  onBrush(span: Span): void;
}

const HEIGHT_PX = 44;
const OTHER = 'none';

/**
 * The overview strip under the timeline: a density histogram of all valid time (from
 * `GET /api/timeline/overview`), stacked by pillar, with the visible window as a brush. Dragging the
 * brush (or clicking beside it) moves the timeline's window; the timeline's range moves the brush. One
 * `<canvas>`: no DOM per bucket.
 */
export class OverviewStrip {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly brush: HTMLElement;
  private readonly label: HTMLElement;
  private overview: TimelineOverviewResponse | undefined;
  private range: Span | undefined;
  private visible: Span | undefined;
  private drag: { pointerId: number; grabOffset: number } | undefined;

  constructor(private readonly events: OverviewStripEvents) {
    this.canvas = el('canvas', {
      class: 'overview-canvas',
      height: String(HEIGHT_PX),
      'aria-hidden': 'true',
    });
    this.brush = el('div', { class: 'overview-brush', 'data-testid': 'overview-brush' });
    this.label = el('span', { class: 'overview-label' });
    this.element = el(
      'div',
      {
        class: 'overview-strip',
        role: 'group',
        'aria-label': 'Overview of all valid time: drag the window to move the timeline',
        'data-testid': 'overview',
        hidden: true,
      },
      this.canvas,
      this.brush,
      this.label,
    );
    this.element.addEventListener('pointerdown', (event) => this.startDrag(event));
    this.element.addEventListener('pointermove', (event) => this.moveDrag(event));
    this.element.addEventListener('pointerup', (event) => this.endDrag(event));
    this.element.addEventListener('pointercancel', (event) => this.endDrag(event));
    new ResizeObserver(() => this.draw()).observe(this.element);
  }

  /** The overview's whole range (padded a little), or undefined before the first answer. */
  get span(): Span | undefined {
    return this.range;
  }

  update(overview: TimelineOverviewResponse): void {
    this.overview = overview;
    const range = overview.range;
    if (range) {
      const from = Date.parse(range.from);
      const to = Date.parse(range.to);
      const pad = Math.max((to - from) * 0.02, 86_400_000);
      this.range = { start: from - pad, end: to + pad };
    }
    const total = overview.rows.reduce((sum, row) => sum + row.count, 0);
    this.element.dataset.total = String(total);
    this.element.dataset.position = String(overview.position);
    this.label.textContent = `${formatCount(total)} events · by ${overview.unit}`;
    this.element.hidden = !range;
    this.draw();
  }

  /** The timeline's window moved: move the brush. */
  setVisible(span: Span): void {
    this.visible = span;
    this.placeBrush();
  }

  private draw(): void {
    const { overview, range } = this;
    const width = Math.max(1, this.element.clientWidth);
    if (this.canvas.width !== width) this.canvas.width = width;
    const ctx = this.canvas.getContext('2d');
    if (!ctx || !overview || !range) return;
    ctx.clearRect(0, 0, width, HEIGHT_PX);
    const colours = pillarColours(this.element);
    const fullest = overview.rows.reduce((max, row) => Math.max(max, row.count), 1);
    for (const row of overview.rows) {
      const x0 = xOf(Date.parse(row.start), range, width);
      const x1 = Math.max(x0 + 1, xOf(Date.parse(row.end), range, width));
      let y = HEIGHT_PX;
      const scale = (HEIGHT_PX - 4) / fullest;
      let drawn = 0;
      for (const pillar of PILLARS) {
        const count = row.byPillar[pillar] ?? 0;
        if (!count) continue;
        const h = Math.max(1, count * scale);
        ctx.fillStyle = colours.get(pillar) ?? '#888';
        ctx.fillRect(x0, y - h, x1 - x0, h);
        y -= h;
        drawn += count;
      }
      if (row.count > drawn) {
        const h = Math.max(1, (row.count - drawn) * scale);
        ctx.fillStyle = colours.get(OTHER) ?? '#888';
        ctx.fillRect(x0, y - h, x1 - x0, h);
      }
    }
    this.placeBrush();
  }

  private placeBrush(): void {
    const { range, visible } = this;
    if (!range || !visible) return;
    const width = Math.max(1, this.element.clientWidth);
    const left = Math.max(0, Math.min(width, xOf(visible.start, range, width)));
    const right = Math.max(0, Math.min(width, xOf(visible.end, range, width)));
    this.brush.style.left = `${left}px`;
    this.brush.style.width = `${Math.max(4, right - left)}px`;
  }

  private startDrag(event: PointerEvent): void {
    const { range, visible } = this;
    if (!range || !visible) return;
    const width = Math.max(1, this.element.clientWidth);
    const x = event.offsetX;
    const left = xOf(visible.start, range, width);
    const right = xOf(visible.end, range, width);
    // Grabbing the brush keeps the grab point under the pointer; clicking beside it centres it there.
    const grabOffset = x >= left && x <= right ? x - left : Math.max(2, right - left) / 2;
    this.drag = { pointerId: event.pointerId, grabOffset };
    this.element.setPointerCapture(event.pointerId);
    this.moveDrag(event);
  }

  private moveDrag(event: PointerEvent): void {
    const { drag, range, visible } = this;
    if (!drag || drag.pointerId !== event.pointerId || !range || !visible) return;
    const width = Math.max(1, this.element.clientWidth);
    const span = brushWindow(event.offsetX - drag.grabOffset, width, range, visible.end - visible.start);
    this.setVisible(span);
    this.events.onBrush(span);
  }

  private endDrag(event: PointerEvent): void {
    if (this.drag?.pointerId !== event.pointerId) return;
    this.drag = undefined;
    if (this.element.hasPointerCapture(event.pointerId)) this.element.releasePointerCapture(event.pointerId);
  }
}

/** Pixel x of an instant on a strip `width` wide showing `range`. */
export function xOf(ms: number, range: Span, width: number): number {
  return ((ms - range.start) / Math.max(1, range.end - range.start)) * width;
}

/** The window of `spanMs` whose left edge is at pixel `left`. */
export function brushWindow(left: number, width: number, range: Span, spanMs: number): Span {
  const start = range.start + (left / Math.max(1, width)) * (range.end - range.start);
  return { start, end: start + spanMs };
}

function pillarColours(element: HTMLElement): Map<string, string> {
  const style = getComputedStyle(element);
  return new Map(
    [...PILLARS, OTHER].map((p) => [p, style.getPropertyValue(`--pillar-${p}`).trim() || '#888']),
  );
}
