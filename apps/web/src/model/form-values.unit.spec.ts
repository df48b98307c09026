import { describe, expect, it } from 'vitest';
import { dataFromValues, mergePatchBetween, valuesFromData } from './form-values.ts';
import { fieldsOfType } from './schema-fields.ts';

describe('dataFromValues', () => {
  const fields = fieldsOfType('FundingCallAnnounced', 2);

  it('leaves empty fields out, reads numbers and splits lists on commas', () => {
    const values = new Map<string, string | string[]>([
      ['data.title', '  A call  '],
      ['data.summary', ''],
      ['data.amount.value', '12.5'],
      ['data.amount.currency', 'GBP'],
      ['data.funders', 'UKRI, DST ,'],
      ['data.pillars', ['ai', 'quantum']],
      ['data.topic', 'Quantum'],
    ]);
    expect(dataFromValues(fields, values)).toEqual({
      data: {
        title: 'A call',
        amount: { value: 12.5, currency: 'GBP' },
        funders: ['UKRI', 'DST'],
        pillars: ['ai', 'quantum'],
        topic: 'Quantum',
      },
      issues: [],
    });
  });

  it('names a JSON field that does not parse', () => {
    const { issues } = dataFromValues(fields, new Map([['data.inferred', '{oops']]));
    expect(issues).toEqual([{ path: 'data.inferred', message: 'is not valid JSON' }]);
  });

  it('round-trips data through the form values', () => {
    const data = {
      title: 'A call',
      actors: ['UKRI'],
      pillars: ['ai'],
      amount: { value: 3, currency: 'INR' },
      funders: ['UKRI', 'DST'],
      topic: 'AI',
      inferred: { 'amount.currency': 'from the venue' },
    };
    expect(dataFromValues(fields, valuesFromData(fields, data)).data).toEqual(data);
  });
});

describe('mergePatchBetween', () => {
  it('names only what changed: replaced values, removed keys as null, objects key by key', () => {
    const before = {
      title: 'a',
      summary: 's',
      actors: ['x'],
      amount: { value: 1, currency: 'GBP' },
      topic: 't',
    };
    const after = { title: 'b', actors: ['x', 'y'], amount: { value: 1, currency: 'INR' }, topic: 't' };
    expect(mergePatchBetween(before, after)).toEqual({
      summary: null,
      title: 'b',
      actors: ['x', 'y'],
      amount: { currency: 'INR' },
    });
  });

  it('is undefined when nothing changed', () => {
    expect(mergePatchBetween({ a: [1], b: { c: 2 } }, { a: [1], b: { c: 2 } })).toBeUndefined();
  });
});
