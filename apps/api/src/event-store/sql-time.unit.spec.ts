import { describe, expect, it } from 'vitest';
import { sqlTimestamp } from './sql-time.js';

describe('sqlTimestamp', () => {
  it('writes years from 1 CE as ISO 8601 and earlier ones with BC, as PostgreSQL reads them', () => {
    expect(sqlTimestamp(Date.parse('2024-07-24T09:30:00Z'))).toBe('2024-07-24T09:30:00.000Z');
    expect(sqlTimestamp(Date.parse('0001-01-01T00:00:00Z'))).toBe('0001-01-01T00:00:00.000Z');
    // Astronomical year 0 is 1 BC; -43 is 44 BC.
    expect(sqlTimestamp(Date.parse('0000-06-01T00:00:00Z'))).toBe('0001-06-01T00:00:00.000Z BC');
    expect(sqlTimestamp(Date.parse('-000043-03-15T12:00:00Z'))).toBe('0044-03-15T12:00:00.000Z BC');
  });
});
