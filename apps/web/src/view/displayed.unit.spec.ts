import { foldTimeline, upcastEnvelope, validTimeBounds } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, type ViewState } from '../model/url-state.ts';
import { LogBuilder } from '../testing/events.ts';
import {
  beforeFirstStop,
  computeDisplayed,
  type FoldableLog,
  sweepMarkerFor,
  visibleItems,
} from './displayed.ts';

const DAY_MS = 86_400_000;
const given = new LogBuilder();
const a = given.fact('A', { occurredAt: { start: '2024-01-10', precision: 'day' }, pillars: ['ai'] });
const b = given.fact('B', { occurredAt: { start: '2024-03-10', precision: 'day' }, pillars: ['telecom'] });
given.wait(60_000);
given.correct(a, { title: 'A, corrected' }, 'typo');
const c = given.fact('C', { occurredAt: { start: '2024-03-10', precision: 'day' }, pillars: ['ai'] });
const domain = given.events.map(upcastEnvelope);
/** The log as `ReplayLog` folds it (its own spec checks it against foldTimeline). */
const log: FoldableLog = {
  head: given.events.length,
  stateAt: (position) => foldTimeline(domain, { untilPosition: position }),
  positionForAsOf: (asOf) => given.events.filter((e) => e.recordedAt <= asOf).length,
};
const live = { items: foldTimeline(given.events.map(upcastEnvelope)), position: 4 };
const startOf = (day: string) => validTimeBounds({ start: day, precision: 'day' }).startMs;

function view(patch: Partial<ViewState>): ViewState {
  return { ...DEFAULT_VIEW, filter: { ...DEFAULT_VIEW.filter }, ...patch };
}

describe('computeDisplayed', () => {
  it('shows the live read model in live mode, and in every mode while the log is not read', () => {
    expect(computeDisplayed(view({}), live, log).items).toBe(live.items);
    expect(computeDisplayed(view({ mode: 'replay', position: 1 }), live, null)).toEqual({
      items: live.items,
      position: 4,
    });
  });

  it('folds the log to the position in replay, clamped to the log', () => {
    const at2 = computeDisplayed(view({ mode: 'replay', position: 2 }), live, log);
    expect(at2.position).toBe(2);
    expect([...at2.items.keys()].sort()).toEqual([a.eventId, b.eventId].sort());
    expect(at2.items.get(a.eventId)?.title).toBe('A');
    expect(computeDisplayed(view({ mode: 'replay', position: 99 }), live, log).position).toBe(4);
  });

  it('follows "as of" over the position', () => {
    const asOf = given.recordedAt(2);
    const shown = computeDisplayed(view({ mode: 'replay', position: 4, asOf }), live, log);
    expect(shown.position).toBe(2);
  });

  it('diffs two positions, showing B', () => {
    const shown = computeDisplayed(view({ mode: 'diff', diff: { a: 2, b: 4 } }), live, log);
    expect(shown.position).toBe(4);
    expect(shown.diff?.kindOf.get(a.eventId)).toBe('changed');
    expect(shown.diff?.kindOf.get(c.eventId)).toBe('added');
  });

  it('sweeps over the distinct start dates of what passes the filters', () => {
    const all = computeDisplayed(view({ mode: 'sweep' }), live, log);
    expect(all.sweep?.stops).toEqual([startOf('2024-01-10'), startOf('2024-03-10')]);
    expect(all.sweep?.passed).toBe(0);
    expect(all.sweep?.marker).toBe(startOf('2024-01-10') - DAY_MS);

    const aiOnly = computeDisplayed(
      view({
        mode: 'sweep',
        sweep: startOf('2024-02-01'),
        filter: { ...DEFAULT_VIEW.filter, pillars: ['ai'] },
      }),
      live,
      log,
    );
    expect(aiOnly.sweep).toEqual({
      stops: [startOf('2024-01-10'), startOf('2024-03-10')],
      passed: 1,
      marker: startOf('2024-02-01'),
    });
  });
});

describe('the sweep marker', () => {
  const sweep = { stops: [100 * DAY_MS, 200 * DAY_MS, 300 * DAY_MS], passed: 0, marker: 0 };
  it('stands on the date of the last stop passed, a day before the first for none, clamped', () => {
    expect(sweepMarkerFor(sweep, 0)).toBe(99 * DAY_MS);
    expect(sweepMarkerFor(sweep, 2)).toBe(200 * DAY_MS);
    expect(sweepMarkerFor(sweep, 9)).toBe(300 * DAY_MS);
    expect(sweepMarkerFor(sweep, -3)).toBe(99 * DAY_MS);
    expect(beforeFirstStop([5 * DAY_MS])).toBe(4 * DAY_MS);
  });
});

describe('visibleItems', () => {
  it('keeps what passes the filters and starts by the sweep marker, in timeline order', () => {
    const shown = computeDisplayed(view({ mode: 'sweep', sweep: startOf('2024-02-01') }), live, log);
    expect(visibleItems(shown, view({ mode: 'sweep' })).map((i) => i.title)).toEqual(['A, corrected']);
    const everything = computeDisplayed(view({}), live, log);
    expect(visibleItems(everything, view({})).map((i) => i.title)).toEqual(['A, corrected', 'B', 'C']);
  });
});
