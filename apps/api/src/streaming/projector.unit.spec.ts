import { describe, expect, it } from 'vitest';
import { isInfrastructureError } from './projector.js';

// The retries and dead letters themselves run against a real broker and PostgreSQL:
// test/projector-retries.int.spec.ts.
describe('isInfrastructureError', () => {
  it('tells the database failing from the message failing', () => {
    const coded = (code: string) => Object.assign(new Error('x'), { code });
    expect(isInfrastructureError(coded('08006'))).toBe(true);
    expect(isInfrastructureError(coded('57P01'))).toBe(true);
    expect(isInfrastructureError(coded('40P01'))).toBe(true);
    expect(isInfrastructureError(coded('ECONNREFUSED'))).toBe(true);
    expect(isInfrastructureError(coded('22007'))).toBe(false);
    expect(isInfrastructureError(coded('23505'))).toBe(false);
    expect(isInfrastructureError(new Error('upcaster for MeetingHeld v1 threw'))).toBe(false);
  });
});
