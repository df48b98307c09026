import { json, ref } from './json-schema.js';

export const error = (description: string) => ({ description, content: json(ref('ErrorResponse')) });

export const positionHeader = (description: string) => ({
  description,
  schema: { type: 'integer', minimum: 0 },
});

/**
 * Who may call an operation, as the access guard decides: `@Public()` routes are always open, a write
 * (any method but GET/HEAD) needs a write token, and a read is open until TIMELINE_READ_TOKENS closes
 * reads (the empty requirement), then takes a read or write token or a browser read session.
 */
export const OPEN = { security: [] };
export const WRITE = { security: [{ bearer: [] }] };
export const READ = { security: [{}, { bearer: [] }, { readSession: [] }] };

export const writeErrors = {
  '400': error(
    'Invalid request: `issues` lists each failing field by path (e.g. `events.0.occurredAt.start`)',
  ),
  '401': error('No valid write token (`Authorization: Bearer <token>`)'),
  '413': error('Body larger than TIMELINE_BODY_LIMIT (default 1mb)'),
  '415': error('Body is not JSON'),
  '429': error('Too many writes from this client; `Retry-After` says when to retry'),
};
export const readErrors = {
  '400': error('Invalid path or query parameter, named in `issues`'),
  '401': error('Reads are closed (TIMELINE_READ_TOKENS) and no valid token was sent'),
};
