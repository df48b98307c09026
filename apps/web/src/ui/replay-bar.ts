import { el, replaceChildren } from '../base/dom.ts';
import { formatCount, formatInstant, fromDatetimeLocalValue, toDatetimeLocalValue } from '../base/format.ts';
import type { Mode } from '../model/url-state.ts';

export const SPEEDS = [1, 2, 5, 10, 25, 50, 100] as const;

export interface ReplayBarHandlers {
  onMode(mode: 'live' | 'replay' | 'sweep'): void;
  onPlayToggle(): void;
  onStep(direction: 1 | -1): void;
  onSpeed(speed: number): void;
  onScrub(position: number): void;
  onSweepScrub(index: number): void;
  onAsOf(iso: string | undefined): void;
  onDiff(a: number, b: number): void;
  onDiffClear(): void;
}

export interface ReplayBarState {
  mode: Mode;
  playing: boolean;
  speed: number;
  /** The log position shown (live: the live position). */
  position: number;
  head: number;
  recordedAt?: string;
  asOf?: string;
  loading?: { loaded: number; total: number };
  sweep?: { index: number; count: number; label: string };
  diff?: { a: number; b: number };
}

/**
 * The player at the bottom: mode, transport, speed, the scrubber over log positions (knowledge time),
 * the valid-time sweep scrubber, "as of", and the A/B diff. It holds no state of its own.
 */
export class ReplayBar {
  private readonly modeButtons: Record<'live' | 'replay' | 'sweep', HTMLButtonElement>;
  private readonly play: HTMLButtonElement;
  private readonly back: HTMLButtonElement;
  private readonly forward: HTMLButtonElement;
  private readonly speed: HTMLSelectElement;
  private readonly scrubber: HTMLInputElement;
  private readonly positionText: HTMLOutputElement;
  private readonly sweepRow: HTMLElement;
  private readonly sweepScrubber: HTMLInputElement;
  private readonly sweepText: HTMLOutputElement;
  private readonly asOf: HTMLInputElement;
  private readonly asOfClear: HTMLButtonElement;
  private readonly diffA: HTMLInputElement;
  private readonly diffB: HTMLInputElement;
  private readonly diffRun: HTMLButtonElement;
  private readonly diffClear: HTMLButtonElement;
  private readonly progress: HTMLElement;

  constructor(root: HTMLElement, handlers: ReplayBarHandlers) {
    const modeButton = (value: 'live' | 'replay' | 'sweep', label: string, hint: string) => {
      const b = el(
        'button',
        {
          type: 'button',
          class: 'mode-option',
          title: hint,
          'aria-pressed': 'false',
          'data-testid': `mode-${value}`,
        },
        label,
      );
      b.addEventListener('click', () => handlers.onMode(value));
      return b;
    };
    this.modeButtons = {
      live: modeButton('live', 'Live', 'The current timeline, following new events'),
      replay: modeButton('replay', 'Replay log', 'Replay the log event by event (knowledge time)'),
      sweep: modeButton('sweep', 'Sweep dates', 'Move a marker through the dates (valid time)'),
    };

    this.back = button('|◀', 'Step back', 'replay-step-back', () => handlers.onStep(-1));
    this.play = button('▶', 'Play', 'replay-play', () => handlers.onPlayToggle());
    this.forward = button('▶|', 'Step forward', 'replay-step-forward', () => handlers.onStep(1));

    this.speed = el('select', { id: 'replay-speed', 'data-testid': 'replay-speed' });
    for (const s of SPEEDS) this.speed.append(el('option', { value: String(s) }, `${s}×`));
    this.speed.addEventListener('change', () => handlers.onSpeed(Number(this.speed.value)));

    this.scrubber = el('input', {
      type: 'range',
      id: 'replay-scrubber',
      min: '0',
      max: '0',
      step: '1',
      value: '0',
      'data-testid': 'replay-scrubber',
    });
    this.scrubber.addEventListener('input', () => handlers.onScrub(Number(this.scrubber.value)));
    this.positionText = el('output', {
      for: 'replay-scrubber',
      class: 'position-text',
      'data-testid': 'replay-position',
    });

    this.sweepScrubber = el('input', {
      type: 'range',
      id: 'sweep-scrubber',
      min: '0',
      max: '0',
      step: '1',
      value: '0',
      'data-testid': 'sweep-scrubber',
    });
    this.sweepScrubber.addEventListener('input', () =>
      handlers.onSweepScrub(Number(this.sweepScrubber.value)),
    );
    this.sweepText = el('output', {
      for: 'sweep-scrubber',
      class: 'position-text',
      'data-testid': 'sweep-date',
    });
    this.sweepRow = el(
      'div',
      { class: 'bar-row sweep-row', hidden: true },
      el('label', { for: 'sweep-scrubber' }, 'Valid time'),
      this.sweepScrubber,
      this.sweepText,
    );

    this.asOf = el('input', {
      type: 'datetime-local',
      id: 'asof-input',
      step: '1',
      'data-testid': 'asof-input',
    });
    this.asOf.addEventListener('change', () => handlers.onAsOf(fromDatetimeLocalValue(this.asOf.value)));
    this.asOfClear = button('✕', 'Clear “as of”', 'asof-clear', () => handlers.onAsOf(undefined));

    this.diffA = el('input', {
      type: 'number',
      id: 'diff-a',
      min: '0',
      step: '1',
      inputmode: 'numeric',
      'data-testid': 'diff-a',
    });
    this.diffB = el('input', {
      type: 'number',
      id: 'diff-b',
      min: '0',
      step: '1',
      inputmode: 'numeric',
      'data-testid': 'diff-b',
    });
    this.diffRun = el('button', { type: 'button', 'data-testid': 'diff-run' }, 'Compare');
    this.diffRun.addEventListener('click', () => {
      const a = Number(this.diffA.value);
      const b = Number(this.diffB.value);
      if (this.diffA.value !== '' && this.diffB.value !== '' && Number.isInteger(a) && Number.isInteger(b))
        handlers.onDiff(a, b);
    });
    this.diffClear = el(
      'button',
      { type: 'button', class: 'secondary', 'data-testid': 'diff-clear' },
      'Clear',
    );
    this.diffClear.addEventListener('click', () => handlers.onDiffClear());

    this.progress = el('span', { class: 'muted load-progress', role: 'status' });

    replaceChildren(
      root,
      el('h2', { class: 'sr-only' }, 'Replay'),
      el(
        'div',
        { class: 'bar-row' },
        el(
          'div',
          { class: 'modes', role: 'group', 'aria-label': 'Mode' },
          this.modeButtons.live,
          this.modeButtons.replay,
          this.modeButtons.sweep,
        ),
        el(
          'div',
          { class: 'transport', role: 'group', 'aria-label': 'Transport' },
          this.back,
          this.play,
          this.forward,
        ),
        el('label', { for: 'replay-speed' }, 'Speed'),
        this.speed,
        el('label', { for: 'replay-scrubber', class: 'scrubber-label' }, 'Log position'),
        this.scrubber,
        this.positionText,
        this.progress,
      ),
      this.sweepRow,
      el(
        'div',
        { class: 'bar-row' },
        el('label', { for: 'asof-input' }, 'As of (UTC)'),
        this.asOf,
        this.asOfClear,
        el('span', { class: 'divider', 'aria-hidden': 'true' }),
        el('span', { class: 'field-label', id: 'diff-label' }, 'Compare positions'),
        el('label', { for: 'diff-a' }, 'A'),
        this.diffA,
        el('label', { for: 'diff-b' }, 'B'),
        this.diffB,
        this.diffRun,
        this.diffClear,
      ),
    );
  }

  update(state: ReplayBarState): void {
    for (const [mode, button] of Object.entries(this.modeButtons))
      button.setAttribute('aria-pressed', String(mode === state.mode));
    this.play.textContent = state.playing ? '❚❚' : '▶';
    this.play.setAttribute('aria-label', state.playing ? 'Pause' : 'Play');
    this.play.setAttribute('aria-pressed', String(state.playing));
    this.play.title = state.playing ? 'Pause' : 'Play';
    this.speed.value = String(state.speed);
    this.scrubber.max = String(state.head);
    this.scrubber.value = String(state.position);
    const valueText = `position ${formatCount(state.position)} of ${formatCount(state.head)}`;
    this.scrubber.setAttribute('aria-valuetext', valueText);
    this.positionText.textContent = `${formatCount(state.position)} / ${formatCount(state.head)}${state.recordedAt ? ` · recorded ${formatInstant(state.recordedAt)}` : ''}`;
    this.back.disabled = state.mode === 'diff' || (state.mode !== 'sweep' && state.position <= 0);
    this.forward.disabled = state.mode === 'diff' || state.mode === 'live';
    this.sweepRow.hidden = state.mode !== 'sweep' || !state.sweep;
    if (state.sweep) {
      this.sweepScrubber.max = String(Math.max(0, state.sweep.count - 1));
      this.sweepScrubber.value = String(state.sweep.index);
      this.sweepScrubber.setAttribute('aria-valuetext', state.sweep.label);
      this.sweepText.textContent = state.sweep.label;
    }
    const asOfValue = state.asOf ? toDatetimeLocalValue(state.asOf) : '';
    if (document.activeElement !== this.asOf && this.asOf.value !== asOfValue) this.asOf.value = asOfValue;
    this.asOfClear.disabled = !state.asOf;
    for (const input of [this.diffA, this.diffB]) input.max = String(state.head);
    if (state.diff) {
      if (document.activeElement !== this.diffA) this.diffA.value = String(state.diff.a);
      if (document.activeElement !== this.diffB) this.diffB.value = String(state.diff.b);
    }
    this.diffClear.disabled = state.mode !== 'diff';
    this.progress.textContent = state.loading
      ? `Loading the log… ${formatCount(state.loading.loaded)} of ${formatCount(state.loading.total)} events`
      : '';
  }
}

function button(text: string, label: string, testId: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { type: 'button', 'aria-label': label, title: label, 'data-testid': testId }, text);
  b.addEventListener('click', onClick);
  return b;
}
