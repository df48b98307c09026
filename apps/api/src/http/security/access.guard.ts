import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { MissingCredentialsException, RateLimitedException } from '../errors/http-errors.js';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy.js';
import { PUBLIC_ROUTE } from './public.decorator.js';
import { readSessionToken } from './read-session.js';
import { bearerToken } from './token-set.js';

const READ_METHODS = new Set(['GET', 'HEAD']);
/** Reads here are administration (the dead letters' raw messages): they need a write token like writes. */
const WRITE_TOKEN_READS = '/api/admin/dlq';

/**
 * Global guard, so a new route is protected unless it says otherwise: anything but GET/HEAD is a
 * write and needs a write token; reads need a token only when read tokens are configured.
 * Writes are rate limited per client: the token's fingerprint when it is valid, else the address,
 * so guessing tokens is limited too.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const token = bearerToken(request.headers.authorization);

    if (READ_METHODS.has(request.method) && !request.path.startsWith(WRITE_TOKEN_READS)) {
      const { readTokens, writeTokens } = this.policy;
      if (!readTokens) return true;
      // A browser's read session (read-session.ts) counts for reads, never for writes.
      const session = readSessionToken(request.headers.cookie);
      for (const candidate of [token, session])
        if (readTokens.match(candidate) || writeTokens.match(candidate)) return true;
      throw new MissingCredentialsException('read');
    }

    const fingerprint = this.policy.writeTokens.match(token);
    const client = fingerprint
      ? `token:${fingerprint}`
      : `address:${request.socket.remoteAddress ?? 'unknown'}`;
    const decision = this.policy.writeLimiter.take(client);
    if (!decision.allowed) throw new RateLimitedException(decision.retryAfterSeconds);
    if (!fingerprint) throw new MissingCredentialsException('write');
    return true;
  }
}
