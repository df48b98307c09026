import type { ServerResponse } from 'node:http';
import type { HttpReply } from '../http-types.js';

/**
 * Takes a reply out of Fastify's hands for an answer written on the socket as it is produced (SSE,
 * NDJSON): Fastify then sends nothing itself, and the headers already set on the reply (CORS,
 * Location…) move to the Node response, beside those the steps before the route set there. Nothing
 * is written yet: an error before the first chunk is still an ordinary error answer.
 */
export function takeOver(reply: HttpReply): ServerResponse {
  const headers = reply.getHeaders();
  reply.hijack();
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) reply.raw.setHeader(name, value as string | string[]);
  }
  return reply.raw;
}
