import { foldTimeline, upcastEnvelope } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { changedFields, diffTimelines } from './diff.ts';
import { LogBuilder } from '../testing/events.ts';

describe('diffTimelines', () => {
  it('names what was added, changed and retracted between two positions', () => {
    const given = new LogBuilder();
    const kept = given.fact('kept');
    const corrected = given.fact('to be corrected');
    const dropped = given.fact('to be retracted');
    const a = given.events.length;
    given.correct(corrected, { title: 'corrected' }, 'typo');
    given.retract(dropped, 'wrong');
    const added = given.fact('new');
    const transient = given.fact('added then retracted');
    given.retract(transient, 'wrong');
    const b = given.events.length;
    const events = given.events.map(upcastEnvelope);

    const diff = diffTimelines(
      a,
      foldTimeline(events, { untilPosition: a }),
      b,
      foldTimeline(events, { untilPosition: b }),
    );

    expect(Object.fromEntries(diff.kindOf)).toEqual({
      [corrected.eventId]: 'changed',
      [dropped.eventId]: 'retracted',
      [added.eventId]: 'added',
    });
    expect(diff.items.has(kept.eventId)).toBe(true);
    expect(diff.items.has(dropped.eventId)).toBe(true);
    expect(diff.items.has(transient.eventId)).toBe(false);
    const change = diff.entries.find((e) => e.kind === 'changed')!;
    expect(changedFields(change.before!, change.item)).toEqual(['title']);
  });

  it('is empty between a position and itself', () => {
    const given = new LogBuilder();
    given.fact('x');
    const state = foldTimeline(given.events.map(upcastEnvelope));
    expect(diffTimelines(1, state, 1, state).entries).toEqual([]);
  });
});
