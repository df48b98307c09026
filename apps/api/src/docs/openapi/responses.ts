import { json, ref } from './json-schema.js';

export const error = (description: string) => ({ description, content: json(ref('ErrorResponse')) });

export const positionHeader = (description: string) => ({
  description,
  schema: { type: 'integer', minimum: 0 },
});

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
