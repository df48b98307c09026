import { pathOf, type RequestStep } from '../http-types.js';
import type { AccessPolicy } from './access-policy.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The public routes that take a body: limited, not authenticated (they are how a browser gets in). */
const PUBLIC_BODY_PATHS = new Set(['/api/session']);

/**
 * Runs the access policy BEFORE the body is read, for every method that may carry one: an
 * anonymous client gets its 401 or 429 without the server reading, let alone parsing, a byte of
 * what it sent, and every such refusal counts against its limits. The guard then finds the request
 * decided.
 */
export function authorizeBeforeBody(policy: AccessPolicy): RequestStep {
  return (request) => {
    if (!BODY_METHODS.has(request.method)) return;
    if (!PUBLIC_BODY_PATHS.has(pathOf(request))) policy.authorize(request);
    // Opening a session checks a token, so it is limited; ending one (DELETE) only clears a cookie.
    else if (request.method === 'POST') policy.limitAnonymous(request);
  };
}
