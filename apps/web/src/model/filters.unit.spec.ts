import { foldTimeline, upcastEnvelope } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { computeFacets, EMPTY_FILTER, toggleValue, toTimelineFilter } from './filters.ts';
import { LogBuilder } from '../testing/events.ts';

const given = new LogBuilder();
given.fact('Lammy arrives in Delhi', {
  type: 'VisitStarted',
  data: { visitor: 'David Lammy', hostCountry: 'India' },
  actors: ['David Lammy'],
});
given.fact('TSI telecom pillar', { pillars: ['telecom'], actors: ['India', 'United Kingdom'] });
given.fact('TSI launched', {
  pillars: ['telecom', 'ai'],
  actors: ['India'],
  quote: 'a landmark technology security initiative',
});
const retracted = given.fact('Wrong', { pillars: ['ai'] });
given.retract(retracted, 'wrong');
const items = [...foldTimeline(given.events.map(upcastEnvelope)).values()];
const count = (
  facets: ReturnType<typeof computeFacets>,
  name: 'pillars' | 'actors' | 'types',
  value: string,
) => facets[name].find((f) => f.value === value)?.count;

describe('computeFacets', () => {
  it('counts the current items per value, leaving retracted ones out', () => {
    const facets = computeFacets(items, EMPTY_FILTER);
    expect(count(facets, 'pillars', 'telecom')).toBe(2);
    expect(count(facets, 'pillars', 'ai')).toBe(1);
    expect(count(facets, 'pillars', 'quantum')).toBe(0);
    expect(count(facets, 'types', 'VisitStarted')).toBe(1);
    expect(count(facets, 'actors', 'India')).toBe(2);
    expect(facets.actors[0]!.value).toBe('India');
  });

  it('counts each facet against the others but not itself', () => {
    const facets = computeFacets(items, { ...EMPTY_FILTER, pillars: ['ai'] });
    expect(count(facets, 'pillars', 'telecom')).toBe(2);
    expect(count(facets, 'actors', 'India')).toBe(1);
    expect(count(facets, 'actors', 'David Lammy')).toBeUndefined();
    expect(facets.pillars.find((f) => f.value === 'ai')?.checked).toBe(true);
  });

  it('searches quotes too, with the shared predicate', () => {
    const facets = computeFacets(items, { ...EMPTY_FILTER, q: 'LANDMARK' });
    expect(count(facets, 'pillars', 'telecom')).toBe(1);
    expect(toTimelineFilter({ ...EMPTY_FILTER, q: '  ' })).toEqual({ includeRetracted: false });
  });

  it('keeps a ticked actor listed even when nothing matches it any more', () => {
    const facets = computeFacets(items, { ...EMPTY_FILTER, actors: ['Nobody'] });
    expect(facets.actors.find((f) => f.value === 'Nobody')).toMatchObject({ count: 0, checked: true });
  });
});

describe('toggleValue', () => {
  it('adds and removes without duplicates', () => {
    expect(toggleValue(['a'], 'b', true)).toEqual(['a', 'b']);
    expect(toggleValue(['a', 'b'], 'a', true)).toEqual(['b', 'a']);
    expect(toggleValue(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});
