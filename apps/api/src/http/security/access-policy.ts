import type { RateLimiter } from './rate-limiter.js';
import type { TokenSet } from './token-set.js';

/** Injection token of the access policy the guard enforces. */
export const ACCESS_POLICY = Symbol('ACCESS_POLICY');

export interface AccessPolicy {
  writeTokens: TokenSet;
  /** Undefined: reads are open. Set: reads need a read or a write token. */
  readTokens: TokenSet | undefined;
  writeLimiter: RateLimiter;
}
