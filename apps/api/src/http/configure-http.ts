import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '../config/config.js';
import { accessLog } from './middleware/access-log.js';
import { hostCheck } from './middleware/host-check.js';
import { jsonBody } from './middleware/json-body.js';
import { requestId } from './middleware/request-id.js';
import { securityHeaders } from './middleware/security-headers.js';
import { authorizeBeforeBody } from './security/access.middleware.js';
import { ACCESS_POLICY, type AccessPolicy } from './security/access-policy.js';

/**
 * The Express pipeline in front of Nest's routes, in order: request id and access log first (so
 * every answer, even a refused one, is logged under an id), the Host check, CORS, then the access
 * policy (before a byte of the body is read: an anonymous client cannot make us parse anything),
 * then the guarded JSON body parser. Errors raised here reach the same global exception filter as
 * the routes' errors.
 */
export function configureHttp(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  const { trustedProxies, allowedHosts } = config.security;
  // req.ip and req.secure believe X-Forwarded-For / -Proto from these proxies only.
  app.set('trust proxy', trustedProxies.length > 0 ? trustedProxies : false);
  app.use(requestId, accessLog, securityHeaders, hostCheck(config.host, allowedHosts));
  if (config.corsOrigins.length > 0) {
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
    });
  }
  app.use(authorizeBeforeBody(app.get<AccessPolicy>(ACCESS_POLICY)));
  app.use(...jsonBody(config.bodyLimitBytes));
}
