import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestIdOf } from './request-id.js';

const logger = new Logger('Http');

/** One structured line per request, written when the response has gone out (or the client left). */
export function accessLog(request: Request, response: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  response.on('close', () => {
    const entry = {
      msg: 'request',
      requestId: requestIdOf(response),
      method: request.method,
      path: request.path.slice(0, 300),
      status: response.statusCode,
      durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      completed: response.writableFinished,
    };
    // "Not ready" is an answer, not a failure: a starting instance says it to its load balancer.
    const notReady = response.statusCode === 503 && request.path === '/api/health/ready';
    if (response.statusCode >= 500 && !notReady) logger.error(entry);
    else if (notReady) logger.warn(entry);
    else logger.log(entry);
  });
  next();
}
