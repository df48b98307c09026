import type { Timeline } from 'vis-timeline';
import { el } from '../base/dom.ts';
import { NO_PILLAR, PILLAR_STYLE } from '../base/styling.ts';
import { type BarRect, type BarSpec, barAt, barRects, HIT_SLACK_PX } from './density-bars.ts';
import { panelGeometry } from './vis-internals.ts';

const SHADES = [1, 2, 3, 4, 5] as const;
/** A count is written on a bar only when it fits with this much room each side. */
const LABEL_PAD_PX = 3;

interface Palette {
  /** `--pillar` of each pillar class, read from the class itself (styles/base.css). */
  colours: Map<string, string>;
  /** `--density-N` of `.tl-bars` (styles/window.css). */
  alphas: number[];
  label: string;
  font: string;
}

/**
 * The density bars drawn on one `<canvas>` laid under vis-timeline's item panel, instead of as vis
 * items: a zoom or pan step used to be one vis-timeline redraw of 200-400 range items as DOM (styled,
 * laid out row by row, measured), now it is one canvas pass of a rect per bar. The canvas is redrawn on
 * vis-timeline's `changed` (the end of each of its redraws: range changes, scrolls, resizes), from the
 * geometry that redraw left (`panelGeometry`), so bars and rows stay in step. It takes no pointer
 * events; clicks and hovers reach vis-timeline, and the view asks `barAt` what was under them.
 *
 * `data-bars` (the number drawn) and `data-sample-bar` (one bar well inside the panel: its rect in the
 * canvas's pixels and its span, as JSON) are for tests and benchmarks.
 */
export class BarsLayer {
  readonly canvas: HTMLCanvasElement;
  private bars: readonly BarSpec[] = [];
  private rects: BarRect[] = [];
  private palette: Palette | undefined;
  private hoverFrame = 0;

  constructor(
    private readonly timeline: Timeline,
    private readonly panel: HTMLElement,
  ) {
    this.canvas = el('canvas', { class: 'tl-bars', 'data-testid': 'density-bars', 'aria-hidden': 'true' });
    this.canvas.dataset.bars = '0';
    // First in the panel, so vis-timeline's items (the ones that stand alone) are drawn over the bars.
    panel.prepend(this.canvas);
    timeline.on('changed', () => this.draw());
    panel.addEventListener('pointermove', (event) => this.hover(event));
    panel.addEventListener('pointerleave', () => this.showHover(undefined));
  }

  /** New bars (a new window answer); drawn at vis-timeline's next redraw, which lays out their rows. */
  set(bars: readonly BarSpec[]): void {
    this.bars = bars;
    this.timeline.redraw();
  }

  /** The bar at a time in a group's row (a click's `time` and `group`), with a few pixels' slack. */
  barAt(time: number, group: string | null | undefined): BarSpec | undefined {
    if (this.bars.length === 0) return undefined;
    const { start, end } = this.timeline.getWindow();
    const width = panelGeometry(this.timeline)?.width ?? 0;
    const msPerPx = width > 0 ? (end.valueOf() - start.valueOf()) / width : 0;
    return barAt(this.bars, time, group, HIT_SLACK_PX * msPerPx);
  }

  private draw(): void {
    // Nothing to draw and nothing to clear (a window of items): vis-timeline's redraw costs no more.
    if (this.bars.length === 0 && this.rects.length === 0) return;
    const geometry = panelGeometry(this.timeline);
    if (!geometry) return;
    const { width, height } = geometry;
    this.rects = this.bars.length ? barRects(this.bars, geometry.toX, geometry.rowOf, width, height) : [];
    const ctx = this.sized(width, height);
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    if (this.rects.length) this.paint(ctx, width);
    this.describe(width, height);
  }

  /** The canvas at the panel's size in CSS pixels, its backing store scaled for the display. */
  private sized(width: number, height: number): CanvasRenderingContext2D | null {
    const ratio = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(width * ratio));
    const h = Math.max(1, Math.round(height * ratio));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.canvas.getContext('2d');
    ctx?.setTransform(ratio, 0, 0, ratio, 0, 0);
    return ctx;
  }

  private paint(ctx: CanvasRenderingContext2D, width: number): void {
    if (!this.palette) this.palette = this.readPalette();
    const palette = this.palette;
    ctx.font = palette.font;
    ctx.textBaseline = 'middle';
    for (const { x, y, w, h, bar } of this.rects) {
      ctx.globalAlpha = palette.alphas[bar.shade - 1] ?? 1;
      ctx.fillStyle = palette.colours.get(bar.pillarClass) ?? palette.colours.get(NO_PILLAR.className) ?? '';
      ctx.fillRect(x, y, w, h);
      const visibleLeft = Math.max(0, x);
      const room = Math.min(x + w, width) - visibleLeft - 2 * LABEL_PAD_PX;
      if (room < 12) continue;
      const text = ctx.measureText(bar.label).width;
      if (text > room) continue;
      ctx.globalAlpha = 1;
      ctx.fillStyle = palette.label;
      ctx.fillText(bar.label, visibleLeft + LABEL_PAD_PX, y + h / 2);
    }
    ctx.globalAlpha = 1;
  }

  /**
   * The bar colours from the stylesheets, once: each pillar class's `--pillar` (through a probe element
   * that carries the class), the shades' opacities and the label's colour and font from `.tl-bars`.
   */
  private readPalette(): Palette {
    const colours = new Map<string, string>();
    const probe = el('span', { hidden: true });
    this.panel.append(probe);
    for (const className of [...Object.values(PILLAR_STYLE).map((s) => s.className), NO_PILLAR.className]) {
      probe.className = className;
      colours.set(className, getComputedStyle(probe).getPropertyValue('--pillar').trim() || 'gray');
    }
    probe.remove();
    const style = getComputedStyle(this.canvas);
    const alphas = SHADES.map((n) => Number.parseFloat(style.getPropertyValue(`--density-${n}`)) || n / 5);
    const font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return { colours, alphas, label: style.color || '#fff', font };
  }

  private describe(width: number, height: number): void {
    const count = String(this.rects.length);
    if (this.canvas.dataset.bars !== count) this.canvas.dataset.bars = count;
    const sample = this.rects.find(
      (r) => r.w >= 8 && r.x >= 4 && r.x + r.w <= width - 4 && r.y >= 0 && r.y + r.h <= height,
    );
    const text = sample
      ? JSON.stringify({
          x: Math.round(sample.x),
          y: Math.round(sample.y),
          w: Math.round(sample.w),
          h: Math.round(sample.h),
          start: sample.bar.start,
          end: sample.bar.end,
          group: sample.bar.group,
        })
      : '';
    if ((this.canvas.dataset.sampleBar ?? '') !== text) {
      if (text) this.canvas.dataset.sampleBar = text;
      else delete this.canvas.dataset.sampleBar;
    }
  }

  /** A title and a zoom-in cursor over a bar, looked up among the drawn rects once per frame. */
  private hover(event: PointerEvent): void {
    if (this.rects.length === 0 && !this.panel.title) return;
    const { clientX, clientY } = event;
    cancelAnimationFrame(this.hoverFrame);
    this.hoverFrame = requestAnimationFrame(() => {
      const box = this.canvas.getBoundingClientRect();
      const x = clientX - box.left;
      const y = clientY - box.top;
      const over = this.rects.find((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h);
      this.showHover(over?.bar);
    });
  }

  private showHover(bar: BarSpec | undefined): void {
    const title = bar?.title ?? '';
    if (this.panel.title === title) return;
    if (title) this.panel.title = title;
    else this.panel.removeAttribute('title');
    this.panel.classList.toggle('tl-over-bar', bar !== undefined);
  }
}
