import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The HTTP types the API's code is written against: Fastify's request and reply (Nest runs on
 * `@nestjs/platform-fastify`). Steps that run before the route (middleware/) and answers written
 * outside Fastify (SSE, NDJSON) use the reply's Node `ServerResponse`: a header set there goes out with
 * Fastify's answers and with the ones written on the socket alike.
 */
export type HttpRequest = FastifyRequest;
export type HttpReply = FastifyReply;

/** What the access policy and the logs read of a request. */
export type RequestInfo = Pick<FastifyRequest, 'method' | 'url' | 'headers' | 'ip' | 'protocol'>;

/** The path of a request's URL without its query string (not decoded), as routes are matched. */
export function pathOf(request: { url: string }): string {
  const query = request.url.indexOf('?');
  return query < 0 ? request.url : request.url.slice(0, query);
}

/**
 * A step of the pipeline ahead of the routes (see configure-http.ts): it may set headers on the raw
 * response, and refuses a request by throwing the error the client is to get.
 */
export type RequestStep = (request: HttpRequest, response: ServerResponse) => void;
