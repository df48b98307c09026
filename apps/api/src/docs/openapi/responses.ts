import { json, ref } from './json-schema.js';

export const error = (description: string) => ({ description, content: json(ref('ErrorResponse')) });

export const positionHeader = (description: string) => ({
  description,
  schema: { type: 'integer', minimum: 0 },
});

/**
 * Who may call an operation, as the access policy decides: `@Public()` routes are always open, a route
 * under /api/admin/ needs an admin token, a write (any method but GET/HEAD) a write token, and a read is
 * open until TIMELINE_READ_TOKENS closes reads (the empty requirement), then takes a token or a browser
 * read session.
 */
export const OPEN = { security: [] };
export const WRITE = { security: [{ bearer: [] }] };
/** Every route under /api/admin/: the bearer scheme with an admin token (TIMELINE_ADMIN_TOKENS). */
export const ADMIN = { security: [{ bearer: [] }] };
export const READ = { security: [{}, { bearer: [] }, { readSession: [] }] };

const retryAfter = { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } };

/** The error answers many operations share, once in `#/components/responses` and referred to by name. */
export const SHARED_ERRORS = {
  InvalidBody: error(
    'Invalid request: `issues` lists each failing field by path (e.g. `events.0.occurredAt.start`)',
  ),
  NoWriteToken: error('No valid write token (`Authorization: Bearer <token>`)'),
  BodyTooLarge: error('Body larger than TIMELINE_BODY_LIMIT (default 1mb)'),
  NotJson: error('Body is not JSON'),
  RateLimited: {
    ...error(
      'Too many writes, reads or failed token checks from this client; `Retry-After` says when to retry',
    ),
    headers: { 'Retry-After': retryAfter },
  },
  NoAdminToken: error('No token (`Authorization: Bearer <admin token>`)'),
  NotAdmin: error(
    'The token is not an admin token (TIMELINE_ADMIN_TOKENS), or no admin token is configured (the message says to set it)',
  ),
  FoldsBusy: {
    ...error(
      'With `asOf`: TIMELINE_MAX_CONCURRENT_FOLDS folds of the store are running and the queue is full; `Retry-After` says when to retry',
    ),
    headers: { 'Retry-After': retryAfter },
  },
  InvalidParameter: error('Invalid path or query parameter, named in `issues`'),
  ReadsClosed: error('Reads are closed (TIMELINE_READ_TOKENS) and no valid token was sent'),
};
const shared = (name: keyof typeof SHARED_ERRORS) => ({ $ref: `#/components/responses/${name}` });

export const writeErrors = {
  '400': shared('InvalidBody'),
  '401': shared('NoWriteToken'),
  '413': shared('BodyTooLarge'),
  '415': shared('NotJson'),
  '429': shared('RateLimited'),
};
export const readErrors = {
  '400': shared('InvalidParameter'),
  '401': shared('ReadsClosed'),
  '429': shared('RateLimited'),
};
export const adminErrors = {
  '401': shared('NoAdminToken'),
  '403': shared('NotAdmin'),
  '429': shared('RateLimited'),
};
/** Reads that fold the store when given `asOf`. */
export const foldErrors = { '503': shared('FoldsBusy') };
