import { Logger } from '@nestjs/common';
import { pathOf, type RequestStep } from '../http-types.js';

const logger = new Logger('Http');

/** One structured line per request, written when the response has gone out (or the client left). */
export const accessLog: RequestStep = (request, response) => {
  const started = process.hrtime.bigint();
  response.on('close', () => {
    const path = pathOf(request);
    const entry = {
      msg: 'request',
      requestId: request.id,
      method: request.method,
      path: path.slice(0, 300),
      status: response.statusCode,
      durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      completed: response.writableFinished,
    };
    // "Not ready" is an answer, not a failure: a starting instance says it to its load balancer.
    const notReady = response.statusCode === 503 && path === '/api/health/ready';
    if (response.statusCode >= 500 && !notReady) logger.error(entry);
    else if (notReady) logger.warn(entry);
    else logger.log(entry);
  });
};
