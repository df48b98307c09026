import { uuidV5 } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { planImport, streamIdFor, where } from './import-plan.ts';

const doc = {
  title: { text: { headline: 'Harbour', text: '' } },
  eras: [{ start_date: { year: '1850' }, end_date: { year: '1870' }, text: { headline: 'Steam', text: '' } }],
  events: [
    {
      start_date: { year: '1851', month: '5', day: '1' },
      text: { headline: 'Jetty', text: '' },
      unique_id: 'j',
    },
    {
      start_date: { year: '1852' },
      text: { headline: '', text: '' },
      media: { url: '', caption: '', credit: '' },
    },
    {
      start_date: { year: '1853' },
      text: { headline: '', text: '' },
      media: { url: 'https://example.org/a.jpg' },
    },
  ],
};

describe('planImport', () => {
  it('previews a TimelineJS file as the CLI maps it, problems by slide, the CLI’s ids', () => {
    const plan = planImport('harbour.json', JSON.stringify(doc), 'harbour');
    expect(plan.title).toBe('Harbour');
    expect(plan.events.map((e) => [e.unit, e.line, e.event.type, e.event.data.title])).toEqual([
      ['slide', 1, 'FactNoted', 'Jetty'],
      ['slide', 3, 'FactNoted', 'https://example.org/a.jpg'],
      ['era', 1, 'EraMarked', 'Steam'],
    ]);
    expect(plan.events[0]!.event.eventId).toBe(uuidV5('timelinejs:harbour:j'));
    expect(plan.problems.map((p) => `${where(p)}: ${p.path}`)).toEqual(['slide 2: events.1.text.headline']);
  });

  it('refuses a bad stream, a CSV not in the template, and text that is not JSON, for the whole file', () => {
    expect(planImport('a.json', '{}', 'no spaces').problems[0]!.message).toMatch(/stream/);
    expect(planImport('a.csv', 'Date,Name\n2024,x\n', 's').problems[0]!.message).toMatch(/--map/);
    expect(planImport('a.json', '{oops', 's').problems[0]!.message).toMatch(/not JSON/);
  });

  it('names a stream after the file', () => {
    expect(streamIdFor('Harbour History (v2).json')).toBe('harbour-history-v2');
    expect(streamIdFor('???.csv')).toBe('import');
  });
});
