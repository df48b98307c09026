import type { ViewState } from '../model/url-state.ts';
import { sweepMarkerFor } from '../view/displayed.ts';
import type { ViewStore } from '../view/view-store.ts';
import type { LogReader } from './log-reader.ts';
import type { Player } from './player.ts';

export interface ReplayControllerDeps {
  store: ViewStore;
  reader: LogReader;
  player: Player;
  livePosition(): number;
  /**
   * True when the timeline is read by window: the server answers every position, so the log is never
   * read into the page (`head` is the live position; "as of" is resolved by the server).
   */
  serverSide?(): boolean;
}

/** What the controller needs of the log: its head, and the position an "as of" instant names. */
interface LogBounds {
  head: number;
  positionForAsOf?(asOf: string): number;
}

/**
 * Looking at the past: the modes (live, replay, sweep, diff), the player, stepping, scrubbing, "as of"
 * and the A/B diff. Each action changes the view state and redraws; those that need the log read it
 * first, which is why they are async.
 */
export class ReplayController {
  /** The live position when the user left live: what the "N new events" badge counts from. */
  private leftLiveAt: number | undefined;

  constructor(private readonly deps: ReplayControllerDeps) {}

  private get store(): ViewStore {
    return this.deps.store;
  }

  private get view(): ViewState {
    return this.deps.store.view;
  }

  get playing(): boolean {
    return this.deps.player.playing;
  }

  get speed(): number {
    return this.deps.player.speed;
  }

  /** Live events that arrived since the user left live. */
  newEvents(): number {
    return this.view.mode === 'live' || this.leftLiveAt === undefined
      ? 0
      : Math.max(0, this.deps.livePosition() - this.leftLiveAt);
  }

  /** The page opened on a link to the past: count new events from the position it loaded at. */
  async openedInPast(): Promise<void> {
    this.leftLiveAt = this.deps.livePosition();
    await this.log();
  }

  async setMode(mode: 'live' | 'replay' | 'sweep'): Promise<void> {
    if (mode === 'live') return this.goLive();
    this.stop();
    this.leaveLive();
    await this.log();
    // Carry on from the state on screen (live: the head; diff: B; "as of": its position).
    this.store.recompute();
    this.store.view = { ...this.view, mode, position: this.store.displayed.position };
    this.clearView('asOf', 'diff', 'sweep');
    this.store.refresh({ facetsNow: true });
  }

  goLive(): void {
    this.stop();
    this.store.view = { ...this.view, mode: 'live' };
    this.clearView('position', 'asOf', 'sweep', 'diff');
    this.leftLiveAt = undefined;
    this.store.refresh({ facetsNow: true });
  }

  async goToPosition(position: number): Promise<void> {
    this.leaveLive();
    const log = await this.log();
    const clamped = Math.max(0, Math.min(Math.round(position), log.head));
    if (this.view.mode === 'sweep') {
      this.view.position = clamped;
    } else {
      this.store.view = { ...this.view, mode: 'replay', position: clamped };
      this.clearView('asOf', 'diff');
    }
    this.store.refresh();
  }

  async setAsOf(iso: string | undefined): Promise<void> {
    this.stop();
    this.leaveLive();
    const log = await this.log();
    if (iso === undefined) {
      const position =
        this.view.asOf && log.positionForAsOf
          ? log.positionForAsOf(this.view.asOf)
          : this.store.displayed.position;
      this.store.view = { ...this.view, mode: 'replay', position };
      this.clearView('asOf');
    } else {
      const position = log.positionForAsOf ? log.positionForAsOf(iso) : this.store.displayed.position;
      this.store.view = { ...this.view, mode: 'replay', asOf: iso, position };
    }
    this.clearView('diff', 'sweep');
    this.store.refresh({ facetsNow: true });
  }

  async runDiff(a: number, b: number): Promise<void> {
    this.stop();
    this.leaveLive();
    const log = await this.log();
    const clamp = (p: number) => Math.max(0, Math.min(Math.round(p), log.head));
    const [from, to] = [clamp(a), clamp(b)].sort((x, y) => x - y) as [number, number];
    this.store.view = { ...this.view, mode: 'diff', diff: { a: from, b: to } };
    this.clearView('asOf', 'sweep');
    this.store.refresh({ facetsNow: true });
  }

  setSpeed(speed: number): void {
    this.deps.player.speed = speed;
    this.store.render();
  }

  async togglePlay(): Promise<void> {
    if (this.playing) {
      this.stop();
      this.store.render();
      return;
    }
    const { view } = this;
    const sweep = this.store.displayed.sweep;
    if (view.mode === 'live' || view.mode === 'diff') {
      this.leaveLive();
      await this.log();
      this.store.view = { ...this.view, mode: 'replay', position: 0 };
      this.clearView('diff', 'asOf');
      this.store.recompute();
    } else if (view.mode === 'replay') {
      delete view.asOf;
      if (this.store.displayed.position >= this.deps.reader.head()) view.position = 0;
    } else if (view.mode === 'sweep' && sweep && sweep.passed >= sweep.stops.length) {
      this.setSweepPassed(0);
    }
    this.deps.player.play(
      (steps) => this.advance(steps),
      () => this.store.render(),
    );
    this.store.render();
  }

  async step(direction: 1 | -1): Promise<void> {
    this.stop();
    if (this.view.mode === 'sweep') {
      const sweep = this.store.displayed.sweep;
      if (sweep) this.setSweepPassed(sweep.passed + direction);
      return;
    }
    if (this.view.mode === 'diff') return;
    await this.goToPosition(this.store.displayed.position + direction);
  }

  /** Sweep: moves the marker to the date of the `passed`-th stop (0: before the first). */
  setSweepPassed(passed: number): void {
    const sweep = this.store.displayed.sweep;
    if (this.view.mode !== 'sweep' || !sweep) return;
    this.view.sweep = sweepMarkerFor(sweep, passed);
    this.store.refresh();
  }

  /** Sweep: the marker dragged on the timeline. */
  setSweepMarker(ms: number): void {
    if (this.view.mode !== 'sweep') return;
    this.view.sweep = ms;
    this.store.refresh();
  }

  /** Moves the replay (or the sweep) on by `steps`; false at the end. */
  private advance(steps: number): boolean {
    const { displayed } = this.store;
    if (this.view.mode === 'sweep') {
      const sweep = displayed.sweep;
      if (!sweep || sweep.passed >= sweep.stops.length) return false;
      this.setSweepPassed(sweep.passed + steps);
      return true;
    }
    const head = this.deps.reader.head();
    if (displayed.position >= head) return false;
    this.view.position = Math.min(displayed.position + steps, head);
    this.store.refresh();
    return true;
  }

  private async log(): Promise<LogBounds> {
    if (this.deps.serverSide?.()) return { head: this.deps.livePosition() };
    return this.deps.reader.ensure();
  }

  private stop(): void {
    this.deps.player.stop();
  }

  private leaveLive(): void {
    if (this.view.mode === 'live') this.leftLiveAt = this.deps.livePosition();
  }

  private clearView(...keys: Array<'position' | 'asOf' | 'sweep' | 'diff'>): void {
    for (const key of keys) delete this.store.view[key];
  }
}
