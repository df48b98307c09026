import type { LogHistogramResponse } from '@timeline/shared-types';
import { el } from '../base/dom.ts';
import { formatCount } from '../base/format.ts';

const HEIGHT_PX = 28;

/**
 * The small chart under the replay scrubber: events recorded per knowledge-time bucket
 * (`GET /api/log/histogram`). Clicking a bar scrubs to the last position recorded in it; the bar
 * holding the position shown is marked.
 */
export class LogHistogram {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private answer: LogHistogramResponse | undefined;
  private position = 0;

  constructor(onPick: (position: number) => void) {
    this.canvas = el('canvas', { class: 'log-histogram-canvas', height: String(HEIGHT_PX) });
    this.element = el(
      'div',
      {
        class: 'log-histogram',
        'data-testid': 'log-histogram',
        title: 'Events recorded over time: click to go to that point in the log',
        hidden: true,
      },
      this.canvas,
    );
    this.canvas.addEventListener('click', (event) => {
      const row = this.rowAt(event.offsetX);
      if (row) onPick(row.lastPosition);
    });
  }

  update(answer: LogHistogramResponse): void {
    this.answer = answer;
    this.element.hidden = answer.rows.length === 0;
    this.element.dataset.head = String(answer.head);
    this.element.dataset.buckets = String(answer.rows.length);
    this.canvas.setAttribute(
      'aria-label',
      `${formatCount(answer.rows.reduce((sum, r) => sum + r.count, 0))} events recorded, by ${answer.unit}`,
    );
    this.draw();
  }

  showPosition(position: number): void {
    if (position === this.position) return;
    this.position = position;
    this.draw();
  }

  private rowAt(x: number): LogHistogramResponse['rows'][number] | undefined {
    const rows = this.answer?.rows ?? [];
    const width = Math.max(1, this.canvas.clientWidth);
    return rows[Math.min(rows.length - 1, Math.floor((x / width) * rows.length))];
  }

  private draw(): void {
    const rows = this.answer?.rows ?? [];
    const width = Math.max(1, this.element.clientWidth);
    if (this.canvas.width !== width) this.canvas.width = width;
    const ctx = this.canvas.getContext('2d');
    if (!ctx || rows.length === 0) return;
    ctx.clearRect(0, 0, width, HEIGHT_PX);
    const style = getComputedStyle(this.element);
    const bar = style.getPropertyValue('--accent').trim() || '#0969da';
    const fullest = rows.reduce((max, r) => Math.max(max, r.count), 1);
    const step = width / rows.length;
    rows.forEach((row, i) => {
      const h = Math.max(row.count ? 1 : 0, (row.count / fullest) * (HEIGHT_PX - 2));
      const current = this.position >= row.firstPosition && this.position <= row.lastPosition;
      ctx.globalAlpha = current || this.position > row.lastPosition ? 1 : 0.35;
      ctx.fillStyle = bar;
      ctx.fillRect(i * step, HEIGHT_PX - h, Math.max(1, step - 1), h);
    });
    ctx.globalAlpha = 1;
  }
}
