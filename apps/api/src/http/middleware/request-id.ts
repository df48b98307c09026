import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestStep } from '../http-types.js';

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Every request's id (Fastify's `genReqId`, so it is `request.id`): the caller's `X-Request-Id` when it
 * is sane, else a fresh UUID. Echoed in the response and the logs.
 */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
}

/** Says the request's id on its answer, whatever writes it. */
export const echoRequestId: RequestStep = (request, response) => {
  response.setHeader('X-Request-Id', request.id);
};
