import { describe, expect, it } from 'vitest';
import { isConnectionFailure } from './pg-client.js';

const coded = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isConnectionFailure', () => {
  it('counts a lost, refused or closing connection', () => {
    expect(isConnectionFailure(coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe(true);
    expect(isConnectionFailure(coded('57P01', 'terminating connection due to administrator command'))).toBe(
      true,
    );
    expect(isConnectionFailure(coded('57P03', 'the database system is starting up'))).toBe(true);
    expect(isConnectionFailure(coded('08006'))).toBe(true);
    expect(isConnectionFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionFailure(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it("leaves the statement's own errors alone", () => {
    expect(isConnectionFailure(coded('23505', 'duplicate key value'))).toBe(false);
    expect(isConnectionFailure(coded('40P01', 'deadlock detected'))).toBe(false);
    expect(isConnectionFailure(coded('57014', 'canceling statement due to statement timeout'))).toBe(false);
    expect(isConnectionFailure('a string')).toBe(false);
  });
});
