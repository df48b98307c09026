import { foldTimeline, type EventEnvelope, upcastEnvelope } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { ReplayLog } from './replay-log.ts';
import { LogBuilder } from '../testing/events.ts';

function logOf(events: EventEnvelope[]): ReplayLog {
  const log = new ReplayLog();
  for (const event of events) log.append(event);
  return log;
}

describe('ReplayLog', () => {
  it('folds to any position exactly as foldTimeline does, forwards and backwards', () => {
    const given = new LogBuilder();
    const facts = Array.from({ length: 600 }, (_, i) => given.fact(`fact ${i}`));
    given.correct(facts[10]!, { title: 'fact 10, corrected' }, 'typo');
    given.retract(facts[20]!, 'wrong');
    for (let i = 0; i < 100; i++) given.fact(`late fact ${i}`);
    const log = logOf(given.events);
    const domain = given.events.map(upcastEnvelope);

    for (const position of [0, 1, 300, 601, 602, 700, 513, 256, 5, 702, 702, 1]) {
      const expected = foldTimeline(domain, { untilPosition: position });
      expect(log.stateAt(position)).toEqual(expected);
    }
  });

  it('shows an item appear, change and disappear as the log is replayed', () => {
    const given = new LogBuilder();
    const fact = given.fact('Lammy arrives');
    given.correct(fact, { title: 'Lammy arrives in Delhi' }, 'more precise');
    given.retract(fact, 'duplicate of another event');
    const log = logOf(given.events);

    expect(log.stateAt(0).size).toBe(0);
    expect(log.stateAt(1).get(fact.eventId)?.title).toBe('Lammy arrives');
    expect(log.stateAt(2).get(fact.eventId)?.title).toBe('Lammy arrives in Delhi');
    expect(log.stateAt(3).get(fact.eventId)?.retracted).toBe(true);
    expect(log.stateAt(1).get(fact.eventId)?.title).toBe('Lammy arrives');
  });

  it('hands out a fresh map each time, so a caller keeping one is not changed under it', () => {
    const given = new LogBuilder();
    given.fact('one');
    given.fact('two');
    const log = logOf(given.events);
    const atOne = log.stateAt(1);
    log.stateAt(2);
    expect(atOne.size).toBe(1);
  });

  it('finds the position "as of" a knowledge time, stopping at the first event recorded later', () => {
    const given = new LogBuilder();
    given.fact('one');
    given.fact('two');
    given.wait(60_000);
    given.fact('three');
    const log = logOf(given.events);
    expect(log.positionForAsOf(given.recordedAt(2))).toBe(2);
    expect(log.positionForAsOf(new Date(Date.parse(given.recordedAt(2)) + 30_000).toISOString())).toBe(2);
    expect(log.positionForAsOf('2000-01-01T00:00:00Z')).toBe(0);
    expect(log.positionForAsOf('2100-01-01T00:00:00Z')).toBe(3);
  });

  it('ignores duplicates and refuses a gap, which would mean a lost event', () => {
    const given = new LogBuilder();
    const [one, two, three] = [given.fact('one'), given.fact('two'), given.fact('three')];
    const log = new ReplayLog();
    log.append(one);
    expect(log.append(one)).toBe('duplicate');
    expect(() => log.append(three)).toThrow(/expects position 2/);
    log.append(two);
    expect(log.head).toBe(2);
  });

  it('skips an event it cannot read but keeps its position, so later positions still line up', () => {
    const given = new LogBuilder();
    given.fact('one');
    const broken = { ...given.fact('two'), type: 'SomethingUnknown' };
    const three = given.fact('three');
    const log = logOf([given.events[0]!, broken, three]);
    expect(log.head).toBe(3);
    expect(log.unreadable.map((u) => u.position)).toEqual([2]);
    expect([...log.stateAt(3).values()].map((i) => i.title)).toEqual(['one', 'three']);
  });
});
