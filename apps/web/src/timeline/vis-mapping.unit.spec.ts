import { foldTimeline, upcastEnvelope } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { LogBuilder } from '../testing/events.ts';
import { groupIdsOf, groupSpecsFor, itemIdOfVisId, visItemsFor } from './vis-mapping.ts';

function itemsOf(given: LogBuilder) {
  return [...foldTimeline(given.events.map(upcastEnvelope)).values()];
}

describe('visItemsFor', () => {
  const given = new LogBuilder();
  given.fact('roadmap', {
    type: 'RoadmapAdopted',
    occurredAt: { start: '2021', precision: 'year' },
    data: { roadmap: 'R', parties: ['India'] },
    actors: ['India', 'United Kingdom'],
  });
  given.fact('took office', { occurredAt: { start: '2024-07', precision: 'month' }, pillars: ['ai'] });
  given.fact('visit', { occurredAt: { start: '2024-07-24', precision: 'day' }, pillars: ['telecom', 'ai'] });
  given.fact('talks', { occurredAt: { start: '2024-07-24', end: '2024-07-25', precision: 'day' } });
  const [roadmap, office, visit, talks] = itemsOf(given) as [
    ReturnType<typeof itemsOf>[number],
    ...ReturnType<typeof itemsOf>,
  ];

  it('draws a year as an approximate range over the whole year, not a day', () => {
    const [spec] = visItemsFor(roadmap, 'pillar');
    expect(spec).toMatchObject({
      type: 'range',
      start: Date.UTC(2021, 0, 1),
      end: Date.UTC(2022, 0, 1),
      group: 'other',
    });
    expect(spec!.className.split(' ')).toEqual(
      expect.arrayContaining(['approximate', 'precision-year', 'type-roadmap', 'pillar-none']),
    );
  });

  it('draws a month as an approximate range over the month', () => {
    const [spec] = visItemsFor(office!, 'pillar');
    expect(spec).toMatchObject({
      type: 'range',
      start: Date.UTC(2024, 6, 1),
      end: Date.UTC(2024, 7, 1),
      group: 'pillar:ai',
    });
    expect(spec!.className).toContain('approximate');
  });

  it('draws a day as a box, in every group it belongs to, with distinct ids', () => {
    const specs = visItemsFor(visit!, 'pillar');
    expect(specs.map((s) => s.id)).toEqual([`${visit!.id}::pillar:telecom`, `${visit!.id}::pillar:ai`]);
    expect(
      specs.every((s) => s.type === 'box' && s.end === undefined && !s.className.includes('approximate')),
    ).toBe(true);
    expect(specs.map((s) => s.className.match(/pillar-\S+/)?.[0])).toEqual(['pillar-telecom', 'pillar-ai']);
  });

  it('draws a stated span of days as a plain range', () => {
    const [spec] = visItemsFor(talks!, 'pillar');
    expect(spec).toMatchObject({ type: 'range', start: Date.UTC(2024, 6, 24), end: Date.UTC(2024, 6, 26) });
    expect(spec!.className).not.toContain('approximate');
  });

  it('draws an era as a background band over its period', () => {
    const eras = new LogBuilder();
    eras.fact('Steam age', {
      type: 'EraMarked',
      occurredAt: { start: '1830', end: '1900', precision: 'year' },
    });
    const [era] = itemsOf(eras);
    const [spec] = visItemsFor(era!, 'pillar');
    expect(spec).toMatchObject({ type: 'background', start: Date.UTC(1830, 0, 1), group: 'other' });
    expect(spec!.end).toBeGreaterThan(Date.UTC(1899, 11, 31));
  });

  it('groups by actor, with items without actors under Other', () => {
    expect(groupIdsOf(roadmap, 'actor')).toEqual(['actor:India', 'actor:United Kingdom']);
    expect(groupIdsOf(talks!, 'actor')).toEqual(['other']);
  });

  it('adds extra classes (diff) and maps ids back', () => {
    const [spec] = visItemsFor(visit!, 'actor', ['diff-added']);
    expect(spec!.className.split(' ')).toContain('diff-added');
    expect(itemIdOfVisId(spec!.id)).toBe(visit!.id);
    expect(itemIdOfVisId(42)).toBeUndefined();
  });

  it('never builds a class from a raw string: unknown types and pillars fall back', () => {
    const weird = { ...visit!, type: 'x" onmouseover="' as never, pillars: ['<script>' as never] };
    const [spec] = visItemsFor(weird, 'pillar');
    expect(spec!.className).toBe('tl-item type-other precision-day pillar-none');
    expect(spec!.group).toBe('other');
  });
});

describe('groupSpecsFor', () => {
  it('lists pillar groups in the catalog order and Other last, only those with items', () => {
    const given = new LogBuilder();
    given.fact('a', { pillars: ['quantum'] });
    given.fact('b', { pillars: ['telecom'] });
    given.fact('c');
    expect(groupSpecsFor(itemsOf(given), 'pillar').map((g) => g.id)).toEqual([
      'pillar:telecom',
      'pillar:quantum',
      'other',
    ]);
  });

  it('sorts actors by name', () => {
    const given = new LogBuilder();
    given.fact('a', { actors: ['S Jaishankar', 'David Lammy'] });
    expect(groupSpecsFor(itemsOf(given), 'actor').map((g) => g.label)).toEqual([
      'David Lammy',
      'S Jaishankar',
    ]);
  });
});
