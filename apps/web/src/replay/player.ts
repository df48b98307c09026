export interface PlayerClock {
  now(): number;
  requestFrame(callback: (now: number) => void): number;
  cancelFrame(handle: number): void;
}

const BROWSER_CLOCK: PlayerClock = {
  now: () => performance.now(),
  requestFrame: (callback) => requestAnimationFrame(callback),
  cancelFrame: (handle) => cancelAnimationFrame(handle),
};

/**
 * Playback at `speed` steps a second, frame by frame: each frame owes the steps its time is worth, and
 * the fraction left over is carried to the next, so the pace does not depend on the frame rate.
 */
export class Player {
  speed: number;
  private running = false;
  private frame: number | undefined;

  constructor(
    speed: number,
    private readonly clock: PlayerClock = BROWSER_CLOCK,
  ) {
    this.speed = speed;
  }

  get playing(): boolean {
    return this.running;
  }

  /**
   * Calls `advance` with the whole steps each frame owes; it answers false at the end, which stops
   * playback and calls `onEnd`.
   */
  play(advance: (steps: number) => boolean, onEnd: () => void): void {
    this.running = true;
    let last = this.clock.now();
    let owed = 0;
    const tick = (now: number) => {
      if (!this.running) return;
      owed += ((now - last) / 1000) * this.speed;
      last = now;
      const steps = Math.floor(owed);
      if (steps > 0) {
        owed -= steps;
        if (!advance(steps)) {
          this.stop();
          onEnd();
          return;
        }
      }
      this.frame = this.clock.requestFrame(tick);
    };
    this.frame = this.clock.requestFrame(tick);
  }

  stop(): void {
    this.running = false;
    if (this.frame !== undefined) this.clock.cancelFrame(this.frame);
    this.frame = undefined;
  }
}
