import { HttpException, HttpStatus } from '@nestjs/common';
import { pathOf, type RequestInfo } from '../http-types.js';
import { MissingCredentialsException, RateLimitedException } from '../errors/http-errors.js';
import { clientKey } from './client-key.js';
import type { RateLimiter } from './rate-limiter.js';
import type { ReadSessions } from './read-session.js';
import { bearerToken, type TokenSet } from './token-set.js';

/** Injection token of the access policy the guard and the pre-body middleware enforce. */
export const ACCESS_POLICY = Symbol('ACCESS_POLICY');

export type Role = 'read' | 'write' | 'admin';

export interface AccessPolicyOptions {
  writeTokens: TokenSet;
  /** Undefined: reads are open. Set: reads need a read, write or admin token, or a read session. */
  readTokens: TokenSet | undefined;
  /** Undefined: no admin token is configured (PostgreSQL), so /api/admin/* is closed to everyone. */
  adminTokens: TokenSet | undefined;
  sessions: ReadSessions;
  writeLimiter: RateLimiter;
  readLimiter: RateLimiter;
  /** Cookies are `Secure` always (TIMELINE_COOKIE_SECURE), else when the request came over HTTPS. */
  cookieSecure: boolean;
  /** Failed token checks per client: past its limit, a client's tokens are not even looked at. */
  failureLimiter: RateLimiter;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ADMIN_PATH = /^\/api\/admin(\/|$)/;

class AdminClosedException extends HttpException {
  constructor() {
    super(
      'administration is closed: no admin token is configured; set TIMELINE_ADMIN_TOKENS (comma-separated tokens of at least 16 characters)',
      HttpStatus.FORBIDDEN,
    );
  }
}

/**
 * The one place that decides who may do what: every path under /api/admin/ needs an admin token,
 * anything else but GET/HEAD is a write and needs a write (or admin) token, and reads need a token
 * or a read session only when read tokens are configured. Tokens rank admin > write > read.
 *
 * Rate limits, per client (the token's fingerprint when it is valid, else the address): writes and
 * reads each have a bucket, and failed token checks have their own, so guessing tokens is slow on
 * every route. The step ahead of the body parser (access.middleware.ts) and the Nest guard both call
 * `authorize`; a request is decided once (the second call returns at once).
 */
export class AccessPolicy {
  private readonly decided = new WeakSet<object>();

  constructor(private readonly options: AccessPolicyOptions) {}

  static requiredRole(method: string, path: string): Role {
    if (ADMIN_PATH.test(path)) return 'admin';
    return READ_METHODS.has(method) ? 'read' : 'write';
  }

  /** Throws the 401/403/429 the request deserves, or returns when it may go on. */
  authorize(request: RequestInfo): void {
    if (this.decided.has(request)) return;
    this.decided.add(request);
    const role = AccessPolicy.requiredRole(request.method, pathOf(request));
    const token = bearerToken(request.headers.authorization);
    if (role === 'admin') this.authorizeAdmin(request, token);
    else if (role === 'write') this.authorizeWrite(request, token);
    else this.authorizeRead(request, token);
  }

  /** A public route that reads a body (opening a session) is limited like a write before it is read. */
  limitAnonymous(request: RequestInfo): void {
    if (this.decided.has(request)) return;
    this.decided.add(request);
    this.take(this.options.writeLimiter, clientKey(request), 'attempts');
  }

  /** `POST /api/session`: whether the token may open a read session (any valid token may). */
  acceptsForSession(request: RequestInfo, token: string): void {
    const client = clientKey(request);
    this.refuseIfBlocked(client);
    if (this.readFingerprint(token) === undefined) this.fail(client, 'read');
  }

  get sessions(): ReadSessions {
    return this.options.sessions;
  }

  /** `request.protocol` believes X-Forwarded-Proto only from TIMELINE_TRUSTED_PROXIES (Fastify's trustProxy). */
  secureCookies(request: RequestInfo): boolean {
    return this.options.cookieSecure || request.protocol === 'https';
  }

  private authorizeAdmin(request: RequestInfo, token: string | undefined): void {
    const { adminTokens, writeLimiter } = this.options;
    if (!adminTokens) throw new AdminClosedException();
    const client = clientKey(request);
    this.refuseIfBlocked(client);
    const fingerprint = adminTokens.match(token);
    this.take(writeLimiter, fingerprint ? `token:${fingerprint}` : client);
    if (fingerprint) return;
    if (this.readFingerprint(token) !== undefined)
      throw new HttpException(
        'this route needs an admin token (TIMELINE_ADMIN_TOKENS)',
        HttpStatus.FORBIDDEN,
      );
    this.fail(client, 'admin');
  }

  private authorizeWrite(request: RequestInfo, token: string | undefined): void {
    const client = clientKey(request);
    this.refuseIfBlocked(client);
    const fingerprint = this.writeFingerprint(token);
    this.take(this.options.writeLimiter, fingerprint ? `token:${fingerprint}` : client);
    if (!fingerprint) this.fail(client, 'write');
  }

  private authorizeRead(request: RequestInfo, token: string | undefined): void {
    const client = clientKey(request);
    if (!this.options.readTokens) {
      this.take(this.options.readLimiter, client, 'reads');
      return;
    }
    this.refuseIfBlocked(client);
    const fingerprint = this.readFingerprint(token);
    this.take(this.options.readLimiter, fingerprint ? `token:${fingerprint}` : client, 'reads');
    if (fingerprint || this.options.sessions.accepts(request.headers.cookie)) return;
    this.fail(client, 'read');
  }

  private writeFingerprint(token: string | undefined): string | undefined {
    return this.options.writeTokens.match(token) ?? this.options.adminTokens?.match(token);
  }

  private readFingerprint(token: string | undefined): string | undefined {
    return this.writeFingerprint(token) ?? this.options.readTokens?.match(token);
  }

  private take(limiter: RateLimiter, key: string, what?: string): void {
    const decision = limiter.take(key);
    if (!decision.allowed) throw new RateLimitedException(decision.retryAfterSeconds, what);
  }

  private refuseIfBlocked(client: string): void {
    const decision = this.options.failureLimiter.peek(client);
    if (!decision.allowed) throw new RateLimitedException(decision.retryAfterSeconds, 'failed token checks');
  }

  /** Counts the failure; the one that exhausts the client's allowance is already a 429. */
  private fail(client: string, role: Role): never {
    const decision = this.options.failureLimiter.take(client);
    if (!decision.allowed) throw new RateLimitedException(decision.retryAfterSeconds, 'failed token checks');
    throw new MissingCredentialsException(role);
  }
}
