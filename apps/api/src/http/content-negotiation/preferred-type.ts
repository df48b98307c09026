import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import Negotiator from 'negotiator';
import type { HttpRequest } from '../http-types.js';

/**
 * The media type among `types` that the request's Accept header prefers (q-values and wildcards
 * honoured, by `negotiator`), or the first of them when it accepts none: the first is the route's
 * default answer.
 */
export const PreferredType = createParamDecorator(
  (types: string[], context: ExecutionContext): string =>
    new Negotiator(context.switchToHttp().getRequest<HttpRequest>().raw).mediaType(types) ?? types[0]!,
);
