export interface ThrottleClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

const BROWSER_CLOCK: ThrottleClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Draws at most once per `everyMs`, and always draws the last request: a request that comes too soon
 * replaces any waiting one and runs when the interval is over. During playback the panels that cost a
 * pass over every item (facets, stats) refresh a few times a second instead of every frame.
 */
export class Throttle {
  private drawnAt = 0;
  private timer: unknown;

  constructor(
    private readonly everyMs: number,
    private readonly clock: ThrottleClock = BROWSER_CLOCK,
  ) {}

  /** Runs `draw` now if `now` is set or the last draw is old enough, else once the interval is over. */
  run(draw: () => void, now = false): void {
    this.cancel();
    const timed = () => {
      this.drawnAt = this.clock.now();
      draw();
    };
    if (now || this.clock.now() - this.drawnAt > this.everyMs) timed();
    else this.timer = this.clock.setTimer(timed, this.everyMs);
  }

  /** Drops a waiting draw. */
  cancel(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
