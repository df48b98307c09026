/**
 * The API's real application (AppModule, its guard, pipes, filter, command bus and store) booted on
 * Nest's Fastify adapter instead of Express, for `bench:http-stack` ONLY: it is not a way to run
 * Timeline. It does what `apps/api/src/main.ts` does up to `listen`, except the HTTP pipeline of
 * `http/configure-http.ts`, which is Express-shaped; here:
 *
 * - the same middleware functions (request id, access log, security headers, Host check, the access
 *   policy before the body) run in one Fastify `onRequest` hook, handed the Fastify request (with
 *   `path` decorated on it, so the guard finds it already decided as under Express) and the raw
 *   response (`locals` set on it, as Express does);
 * - the body goes through a Fastify content-type parser making the checks `json-body.ts` makes around
 *   `express.json` (JSON types only, the size limit, UTF-8, nesting depth, strict top level, the
 *   NUL / lone-surrogate walk when the text holds a `\u` escape), with the same functions;
 * - CORS is off (as in the benchmark's Express run: no TIMELINE_CORS_ORIGINS) and the web app is not
 *   served (under Express, serve-static passes a POST straight on).
 *
 * What does NOT work on this adapter (the Express `Response` calls listed in docs/benchmarks.md, "Nest
 * on Fastify"): the exception filter's answers, `/api/health/ready`, the SSE stream, the NDJSON and
 * export routes. The benchmark only sends appends that succeed, and checks a refused one is refused.
 */
import 'reflect-metadata';
import { isUtf8 } from 'node:buffer';
import type { ServerResponse } from 'node:http';
import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ValidationError } from '@timeline/shared-types';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from '../../../apps/api/dist/app.module.js';
import { loadConfigOrExit, openStore } from '../../../apps/api/dist/app/startup.js';
import type { AppConfig } from '../../../apps/api/dist/config/config.js';
import { resolveCredentials } from '../../../apps/api/dist/config/write-tokens.js';
import { accessLog } from '../../../apps/api/dist/http/middleware/access-log.js';
import { hostCheck } from '../../../apps/api/dist/http/middleware/host-check.js';
import {
  inspectJsonValue,
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
} from '../../../apps/api/dist/http/middleware/json-body.js';
import { requestId } from '../../../apps/api/dist/http/middleware/request-id.js';
import { securityHeaders } from '../../../apps/api/dist/http/middleware/security-headers.js';
import { authorizeBeforeBody } from '../../../apps/api/dist/http/security/access.middleware.js';
import { ACCESS_POLICY, type AccessPolicy } from '../../../apps/api/dist/http/security/access-policy.js';
import { loggerFor } from '../../../apps/api/dist/logging/logger.js';
import { systemClock } from '../../../apps/api/dist/shared/clock.js';

/** A connect-style middleware as `http/` writes them (Express types erased). */
type Middleware = (request: never, response: never, next: (error?: unknown) => void) => void;

function configureFastifyHttp(app: NestFastifyApplication, config: AppConfig): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const policy = app.get<AccessPolicy>(ACCESS_POLICY);
  const chain = [
    requestId,
    accessLog,
    securityHeaders,
    hostCheck(config.host, config.security.allowedHosts),
    authorizeBeforeBody(policy),
  ] as unknown as Middleware[];
  fastify.decorateRequest('path', '');
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    const query = request.url.indexOf('?');
    (request as unknown as { path: string }).path = query < 0 ? request.url : request.url.slice(0, query);
    const response = reply.raw as ServerResponse & { locals: Record<string, unknown> };
    response.locals = {};
    let i = 0;
    const next = (error?: unknown): void => {
      const middleware = chain[i++];
      if (error !== undefined) done(error as Error);
      else if (!middleware) done();
      else middleware(request as never, response as never, next);
    };
    next();
  });

  fastify.removeAllContentTypeParsers();
  const parser = (_request: FastifyRequest, body: string | Buffer, done: ParserDone): void => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  const options = { parseAs: 'buffer' as const, bodyLimit: config.bodyLimitBytes };
  fastify.addContentTypeParser('application/json', options, parser);
  fastify.addContentTypeParser(/^application\/[^;\s]+\+json(?:;|$)/, options, parser);
}

type ParserDone = (error: Error | null, body?: unknown) => void;

/** What `json-body.ts` does around `express.json` (its `verify` hook, strict mode, the escape walk). */
function parseJsonBody(buffer: Buffer): unknown {
  if (!isUtf8(buffer)) throw new HttpException('request body is not valid UTF-8', HttpStatus.BAD_REQUEST);
  if (jsonDepthExceeds(buffer, MAX_JSON_DEPTH))
    throw new HttpException(`request body nesting is deeper than ${MAX_JSON_DEPTH} levels`, 400);
  const text = buffer.toString('utf8');
  const first = /^[ \t\n\r]*(.)/.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw new HttpException('malformed JSON: strict', 400);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpException(`malformed JSON: ${(error as Error).message}`, HttpStatus.BAD_REQUEST);
  }
  if (buffer.includes('\\u')) {
    const issues = inspectJsonValue(value);
    if (issues.length > 0) throw new ValidationError(issues, 'request body');
  }
  return value;
}

async function main(): Promise<void> {
  const config = loadConfigOrExit('Timeline API (Fastify, benchmark only)');
  const logger = loggerFor(config);
  Logger.overrideLogger(logger);
  const clock = systemClock;
  const credentials = await resolveCredentials(config);
  const { store, sql } = await openStore(config, clock, logger);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, store, sql, clock, credentials }),
    new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, trustProxy: false }),
    { bodyParser: false, logger, abortOnError: false },
  );
  configureFastifyHttp(app, config);
  await app.init();
  await app.listen(config.port, config.host);
  const stop = async () => {
    await app.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

void main();
