import { describe, expect, it } from 'vitest';
import {
  formatOccurredAt,
  fromDatetimeLocalValue,
  humanizeKey,
  isApproximate,
  toDatetimeLocalValue,
} from './format.ts';

describe('formatOccurredAt', () => {
  it('says the precision of a period instead of inventing a day', () => {
    expect(formatOccurredAt({ start: '2021', precision: 'year' })).toBe('2021 (year)');
    expect(formatOccurredAt({ start: '2024-07', precision: 'month' })).toBe('July 2024 (month)');
    expect(formatOccurredAt({ start: '2021', end: '2023', precision: 'year' })).toBe('2021 – 2023 (year)');
  });

  it('gives days and instants as such, keeping the source’s offset', () => {
    expect(formatOccurredAt({ start: '2024-07-24', precision: 'day' })).toBe('24 July 2024');
    expect(formatOccurredAt({ start: '2024-07-24', end: '2024-07-25', precision: 'day' })).toBe(
      '24 July 2024 – 25 July 2024',
    );
    expect(formatOccurredAt({ start: '2024-07-24T09:30+05:30', precision: 'minute' })).toBe(
      '24 July 2024, 09:30 +05:30',
    );
    expect(formatOccurredAt({ start: '2024-07-24T04:00Z', precision: 'minute' })).toBe(
      '24 July 2024, 04:00 UTC',
    );
  });

  it('knows which precisions are approximate', () => {
    expect(isApproximate({ start: '2021', precision: 'year' })).toBe(true);
    expect(isApproximate({ start: '2021-01', precision: 'month' })).toBe(true);
    expect(isApproximate({ start: '2021-01-01', precision: 'day' })).toBe(false);
  });
});

describe('helpers', () => {
  it('turns field names into labels', () => {
    expect(humanizeKey('participantSectors')).toBe('Participant sectors');
    expect(humanizeKey('amount')).toBe('Amount');
  });

  it('reads and writes the "as of" input in UTC', () => {
    expect(toDatetimeLocalValue('2024-08-01T12:30:05.000Z')).toBe('2024-08-01T12:30:05');
    expect(fromDatetimeLocalValue('2024-08-01T12:30')).toBe('2024-08-01T12:30:00.000Z');
    expect(fromDatetimeLocalValue('2024-08-01T12:30:05')).toBe('2024-08-01T12:30:05.000Z');
    expect(fromDatetimeLocalValue('')).toBeUndefined();
  });
});
