import { foldTimeline, upcastEnvelope, validTimeBounds } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, type ViewState } from '../model/url-state.ts';
import { LogBuilder } from '../testing/events.ts';
import { fakeLogApi } from '../testing/log-api.ts';
import { computeDisplayed } from '../view/displayed.ts';
import { ViewStore } from '../view/view-store.ts';
import { LogReader } from './log-reader.ts';
import { Player } from './player.ts';
import { ReplayController } from './replay-controller.ts';

const DAY_MS = 86_400_000;
const startOf = (day: string) => validTimeBounds({ start: day, precision: 'day' }).startMs;

/** Five facts on three dates, then a correction: positions 1…6. */
function seed() {
  const given = new LogBuilder();
  const first = given.fact('One', { occurredAt: { start: '2024-01-10', precision: 'day' } });
  given.fact('Two', { occurredAt: { start: '2024-02-10', precision: 'day' } });
  given.fact('Three', { occurredAt: { start: '2024-02-10', precision: 'day' } });
  given.fact('Four', { occurredAt: { start: '2024-03-10', precision: 'day' } });
  given.fact('Five', { occurredAt: { start: '2024-03-10', precision: 'day' } });
  given.wait(60_000);
  given.correct(first, { title: 'One, corrected' }, 'typo');
  return given;
}

function harness(initial: Partial<ViewState> = {}) {
  const given = seed();
  const live = { items: foldTimeline(given.events.map(upcastEnvelope)), position: given.events.length };
  const frames: Array<(now: number) => void> = [];
  let renders = 0;
  const reader = new LogReader({
    fetchPage: fakeLogApi(given.events).fetchPage,
    livePosition: () => live.position,
    onChange: () => undefined,
  });
  const store = new ViewStore(
    { ...DEFAULT_VIEW, filter: { ...DEFAULT_VIEW.filter }, ...initial },
    {
      compute: (view) => computeDisplayed(view, live, reader.complete),
      draw: () => renders++,
      requestFrame: () => undefined,
    },
  );
  const player = new Player(1, {
    now: () => 0,
    requestFrame: (callback) => frames.push(callback),
    cancelFrame: () => undefined,
  });
  const replay = new ReplayController({ store, reader, player, livePosition: () => live.position });
  store.refresh();
  /** Runs the waiting frame at `now` ms. */
  const frameAt = (now: number) => frames.shift()?.(now);
  return { given, live, store, replay, frameAt, renders: () => renders };
}

describe('ReplayController', () => {
  it('enters replay at the position on screen and steps one event at a time, within the log', async () => {
    const { store, replay } = harness();
    await replay.setMode('replay');
    expect(store.view.mode).toBe('replay');
    expect(store.displayed.position).toBe(6);
    await replay.step(1);
    expect(store.displayed.position).toBe(6);
    await replay.step(-1);
    await replay.step(-1);
    expect(store.displayed.position).toBe(4);
    expect(store.displayed.items.size).toBe(4);
    await replay.goToPosition(-10);
    expect(store.displayed.position).toBe(0);
    await replay.step(-1);
    expect(store.displayed.position).toBe(0);
  });

  it('counts the live events that arrive after leaving live, until going back', async () => {
    const { store, replay, live } = harness();
    expect(replay.newEvents()).toBe(0);
    await replay.goToPosition(2);
    live.position += 3;
    expect(replay.newEvents()).toBe(3);
    replay.goLive();
    expect(replay.newEvents()).toBe(0);
    expect(store.view.mode).toBe('live');
    expect(store.view.position).toBeUndefined();
  });

  it('shows the state "as of" a knowledge time, and keeps its position when "as of" is cleared', async () => {
    const { given, store, replay } = harness();
    await replay.setAsOf(given.recordedAt(3));
    expect(store.view).toMatchObject({ mode: 'replay', asOf: given.recordedAt(3), position: 3 });
    expect(store.displayed.position).toBe(3);
    await replay.setAsOf(undefined);
    expect(store.view.asOf).toBeUndefined();
    expect(store.displayed.position).toBe(3);
  });

  it('diffs two positions in either order, clamped to the log', async () => {
    const { store, replay } = harness();
    await replay.runDiff(99, 2);
    expect(store.view).toMatchObject({ mode: 'diff', diff: { a: 2, b: 6 } });
    expect(store.displayed.diff?.entries.map((e) => e.kind).sort()).toEqual([
      'added',
      'added',
      'added',
      'changed',
    ]);
    // No stepping in a diff.
    await replay.step(1);
    expect(store.view.mode).toBe('diff');
  });

  it('sweeps the marker date by date, from a day before the first to the last', async () => {
    const { store, replay } = harness();
    await replay.setMode('sweep');
    const sweep = () => store.displayed.sweep!;
    expect(sweep().stops).toEqual([startOf('2024-01-10'), startOf('2024-02-10'), startOf('2024-03-10')]);
    expect(sweep().marker).toBe(startOf('2024-01-10') - DAY_MS);
    await replay.step(1);
    expect(sweep()).toMatchObject({ passed: 1, marker: startOf('2024-01-10') });
    await replay.step(1);
    await replay.step(1);
    await replay.step(1);
    expect(sweep()).toMatchObject({ passed: 3, marker: startOf('2024-03-10') });
    await replay.step(-1);
    expect(sweep().passed).toBe(2);
    expect(store.view.sweep).toBe(startOf('2024-02-10'));
    replay.setSweepPassed(0);
    expect(sweep().passed).toBe(0);
    replay.setSweepMarker(startOf('2024-02-20'));
    expect(sweep().passed).toBe(2);
  });

  it('plays from position 0 when started live, and stops at the head', async () => {
    const { store, replay, frameAt } = harness();
    await replay.togglePlay();
    expect(replay.playing).toBe(true);
    expect(store.view).toMatchObject({ mode: 'replay', position: 0 });
    replay.setSpeed(2);
    frameAt(1000); // two steps
    expect(store.displayed.position).toBe(2);
    frameAt(2000);
    frameAt(3000);
    expect(store.displayed.position).toBe(6);
    frameAt(4000);
    expect(replay.playing).toBe(false);
  });

  it('restarts a replay that is at its end, and pauses on a second toggle', async () => {
    const { store, replay } = harness({ mode: 'replay', position: 6 });
    await replay.togglePlay();
    expect(store.view.position).toBe(0);
    expect(replay.playing).toBe(true);
    await replay.togglePlay();
    expect(replay.playing).toBe(false);
  });

  it('stops playing on a step', async () => {
    const { replay } = harness();
    await replay.togglePlay();
    await replay.step(1);
    expect(replay.playing).toBe(false);
  });
});
