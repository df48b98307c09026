import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { AppConfig } from '../config/config.js';
import type { RequestStep } from './http-types.js';
import { accessLog } from './middleware/access-log.js';
import { hostCheck } from './middleware/host-check.js';
import { registerJsonBody } from './middleware/json-body.js';
import { echoRequestId, requestIdFor } from './middleware/request-id.js';
import { securityHeaders } from './middleware/security-headers.js';
import { authorizeBeforeBody } from './security/access.middleware.js';
import type { AccessPolicy } from './security/access-policy.js';

/** The Fastify server's options (Nest's `FastifyAdapter` creates the server with them). */
export function httpServerOptions(config: AppConfig): FastifyServerOptions {
  const { trustedProxies } = config.security;
  return {
    // request.ip and request.protocol believe X-Forwarded-For / -Proto from these proxies only.
    trustProxy: trustedProxies.length > 0 ? [...trustedProxies] : false,
    bodyLimit: config.bodyLimitBytes,
    genReqId: requestIdFor,
    // Our access log (middleware/access-log.ts) is the request log.
    logger: false,
    // A stream id may be 200 characters (shared-types STREAM_ID_PATTERN); past Fastify's default of 100
    // the route would not match at all. Longer values reach validation, which names the limit.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1_000 },
  };
}

/**
 * The pipeline in front of Nest's routes, in order: request id and access log first (so every
 * answer, even a refused one, is logged under an id), the security headers and the Host check, CORS
 * (its own hook), then, in `preParsing`, the access policy (before a byte of the body is read: an
 * anonymous client cannot make us parse anything), then the guarded JSON body parser. Errors raised
 * here reach the same global exception filter as the routes' errors (Nest makes it Fastify's error
 * handler).
 */
export function configureHttp(fastify: FastifyInstance, policy: AccessPolicy, config: AppConfig): void {
  const first = steps([
    echoRequestId,
    accessLog,
    securityHeaders,
    hostCheck(config.host, config.security.allowedHosts),
  ]);
  fastify.addHook('onRequest', (request, reply, done) => done(first(request, reply.raw)));
  const authorize = steps([authorizeBeforeBody(policy)]);
  fastify.addHook('preParsing', (request, reply, payload, done) =>
    done(authorize(request, reply.raw), payload),
  );
  registerJsonBody(fastify, config.bodyLimitBytes);
}

/** CORS for the configured origins (none: no CORS headers at all). */
export function configureCors(app: NestFastifyApplication, config: AppConfig): void {
  if (config.corsOrigins.length === 0) return;
  const allowed = new Set(config.corsOrigins);
  app.enableCors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID', 'X-Request-Id', 'If-None-Match'],
    // Every header a client needs to read back: retries, log heads, replay horizons, the position a
    // stats/export answer describes, where to follow a rebuild, an export's file name, a window's tag.
    exposedHeaders: [
      'Retry-After',
      'X-Request-Id',
      'X-Log-Head',
      'Timeline-Replay-Horizon',
      'Timeline-Position',
      'Location',
      'Content-Disposition',
      'ETag',
    ],
    maxAge: 600,
    // An OPTIONS without Access-Control-Request-Method gets the CORS answer too, not a plain-text 400.
    strictPreflight: false,
  });
}

/** Runs steps in order; the first refusal (a thrown error) is returned, the rest do not run. */
function steps(list: RequestStep[]): (...args: Parameters<RequestStep>) => Error | undefined {
  return (request, response) => {
    try {
      for (const step of list) step(request, response);
      return undefined;
    } catch (error) {
      return error as Error;
    }
  };
}
