import { describe, expect, it } from 'vitest';
import { bearerToken, TokenSet } from './token-set.js';

describe('TokenSet', () => {
  const tokens = new TokenSet(['first-token-0123456789', 'second-token-0123456789']);

  it('matches a configured token and gives a stable fingerprint', () => {
    const fingerprint = tokens.match('second-token-0123456789');
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(tokens.match('second-token-0123456789')).toBe(fingerprint);
    expect(tokens.match('first-token-0123456789')).not.toBe(fingerprint);
  });

  it('refuses unknown, truncated and absent tokens', () => {
    expect(tokens.match('first-token-012345678')).toBeUndefined();
    expect(tokens.match('')).toBeUndefined();
    expect(tokens.match(undefined)).toBeUndefined();
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer  abc ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});
