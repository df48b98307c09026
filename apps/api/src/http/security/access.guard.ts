import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { HttpRequest } from '../http-types.js';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy.js';
import { PUBLIC_ROUTE } from './public.decorator.js';

/**
 * Global guard, so a new route is protected unless it says `@Public()`: it asks the access policy
 * (access-policy.ts), which has usually decided already in the step ahead of the body parser.
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
    this.policy.authorize(context.switchToHttp().getRequest<HttpRequest>());
    return true;
  }
}
