import { foldTimeline, type TimelineItem, upcastEnvelope } from '@timeline/shared-types';
import { LogBuilder } from './events.ts';

/** An actor name that is markup: the stats must show it as text. */
export const HOSTILE = '<img src=x onerror="window.pwned=1">';

/** Items across pillars, actors and months, one retracted, for the stats and their panel. */
export function statsFixtureItems(): TimelineItem[] {
  const given = new LogBuilder();
  given.fact('Roadmap', {
    type: 'StatementIssued',
    occurredAt: { start: '2021', precision: 'year' },
    pillars: ['telecom'],
    actors: ['India'],
  });
  given.fact('Visit', { pillars: ['telecom', 'ai'], actors: ['India', 'United Kingdom'] });
  given.fact('Remarks', { pillars: ['ai'], actors: [HOSTILE] });
  given.fact('Later remarks', {
    occurredAt: { start: '2024-08-02', precision: 'day' },
    pillars: ['telecom'],
    actors: ['India'],
  });
  const wrong = given.fact('Wrong', { pillars: ['quantum'], actors: ['Nobody'] });
  given.retract(wrong, 'wrong');
  return [...foldTimeline(given.events.map(upcastEnvelope)).values()];
}
