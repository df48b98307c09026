import type { RequestInfo } from '../http-types.js';
import type { Clock } from '../../shared/clock.js';
import { AccessPolicy, type AccessPolicyOptions } from './access-policy.js';
import { RateLimiter } from './rate-limiter.js';
import { ReadSessions } from './read-session.js';
import { TokenSet } from './token-set.js';

export const WRITE_TOKEN = 'write-token-0123456789';
export const READ_TOKEN = 'read-token-0123456789';
export const ADMIN_TOKEN = 'admin-token-0123456789';

export interface PolicyLimits {
  readsClosed?: boolean;
  adminClosed?: boolean;
  writesPerMinute?: number;
  readsPerMinute?: number;
  failuresPerMinute?: number;
}

/** An access policy with one token of each kind, for tests of the policy and of the pipeline. */
export function testPolicy(
  limits: PolicyLimits = {},
  clock: Clock = { now: () => new Date(0) },
): AccessPolicy {
  const options: AccessPolicyOptions = {
    writeTokens: new TokenSet([WRITE_TOKEN]),
    readTokens: limits.readsClosed ? new TokenSet([READ_TOKEN]) : undefined,
    adminTokens: limits.adminClosed ? undefined : new TokenSet([ADMIN_TOKEN]),
    sessions: new ReadSessions(Buffer.from('s'.repeat(32)), clock),
    cookieSecure: false,
    writeLimiter: new RateLimiter(limits.writesPerMinute ?? 0, clock),
    readLimiter: new RateLimiter(limits.readsPerMinute ?? 0, clock),
    failureLimiter: new RateLimiter(limits.failuresPerMinute ?? 0, clock),
  };
  return new AccessPolicy(options);
}

/** Just enough of a request for the policy. */
export function fakeRequest(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  ip = '203.0.113.5',
): RequestInfo {
  return { method, url: path, headers, ip, protocol: 'http' } as RequestInfo;
}
