import { describe, expect, it } from 'vitest';
import { Player, type PlayerClock } from './player.ts';

function frames() {
  const queue = new Map<number, (now: number) => void>();
  let next = 1;
  const clock: PlayerClock = {
    now: () => 0,
    requestFrame: (callback) => {
      queue.set(next, callback);
      return next++;
    },
    cancelFrame: (handle) => queue.delete(handle),
  };
  /** Runs the frame waiting at time `now` (ms). */
  const at = (now: number) => {
    const [id, callback] = [...queue][0] ?? [];
    if (id === undefined || !callback) throw new Error('no frame waiting');
    queue.delete(id);
    callback(now);
  };
  return { clock, at, waiting: () => queue.size };
}

describe('Player', () => {
  it('steps as many times a second as its speed, carrying fractions between frames', () => {
    const { clock, at } = frames();
    const player = new Player(10, clock);
    const steps: number[] = [];
    player.play(
      (n) => {
        steps.push(n);
        return true;
      },
      () => undefined,
    );
    expect(player.playing).toBe(true);
    at(16); // 0.16 steps owed: none yet
    at(50); // 0.5
    at(120); // 1.2: one step, 0.2 carried
    at(330); // 0.2 + 2.1 = 2.3: two steps
    expect(steps).toEqual([1, 2]);
  });

  it('stops at the end and says so', () => {
    const { clock, at, waiting } = frames();
    const player = new Player(100, clock);
    let ended = 0;
    player.play(
      () => false,
      () => ended++,
    );
    at(1000);
    expect(ended).toBe(1);
    expect(player.playing).toBe(false);
    expect(waiting()).toBe(0);
  });

  it('stop cancels the next frame', () => {
    const { clock, waiting } = frames();
    const player = new Player(1, clock);
    player.play(
      () => true,
      () => undefined,
    );
    expect(waiting()).toBe(1);
    player.stop();
    expect(waiting()).toBe(0);
    expect(player.playing).toBe(false);
  });
});
