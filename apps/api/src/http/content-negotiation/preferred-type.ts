import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The media type among `types` that the request's Accept header prefers (Express's `req.accepts`:
 * q-values and wildcards honoured), or the first of them when it accepts none: the first is the
 * route's default answer.
 */
export const PreferredType = createParamDecorator(
  (types: string[], context: ExecutionContext): string =>
    context.switchToHttp().getRequest<Request>().accepts(types) || types[0]!,
);
