import { describe, expect, it } from 'vitest';
import { validateEventData } from '../src/index.js';

const call = {
  title: 'A funding call',
  amount: { value: 7_000_000, currency: 'GBP' },
  funders: ['UK Research and Innovation'],
  topic: 'Future telecoms research',
};

const issuePaths = (data: unknown) => {
  const result = validateEventData('FundingCallAnnounced', 2, data);
  return result.ok ? [] : result.issues.map((issue) => issue.path);
};

describe('inferred: values the source implies but does not state', () => {
  it('accepts a field or a dotted path into one that the event holds, each with how', () => {
    expect(
      issuePaths({ ...call, inferred: { 'amount.currency': 'from “pounds”', funders: 'named once' } }),
    ).toEqual([]);
  });

  it('rejects a mark on a value the event does not hold, or on itself', () => {
    expect(issuePaths({ ...call, inferred: { place: 'not there' } })).toEqual(['data.inferred.place']);
    expect(issuePaths({ ...call, inferred: { 'amount.unit': 'not there' } })).toEqual([
      'data.inferred.amount.unit',
    ]);
    expect(issuePaths({ ...call, inferred: { inferred: 'itself' } })).toEqual(['data.inferred.inferred']);
    expect(issuePaths({ ...call, inferred: { 'not a path': 'x' } }).length).toBeGreaterThan(0);
  });
});
