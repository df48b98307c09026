import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestIdOf } from '../middleware/request-id.js';
import { toErrorReply } from './error-reply.js';

/**
 * The one place an error becomes an HTTP answer. Client errors are answered as they are; anything
 * else is logged with its stack under the request id, and the client sees only that id.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = requestIdOf(response);
    const reply = toErrorReply(exception);

    if (reply.internal) {
      const error = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(
        {
          msg: 'request failed',
          requestId,
          method: request.method,
          path: request.path,
          error: error.message,
        },
        error.stack,
      );
      reply.body.message = `internal error (correlation id ${requestId})`;
    }
    if (response.headersSent) {
      // A streamed answer broke half-way: the status is gone, so end the connection for the client to notice.
      response.destroy();
      return;
    }
    response.status(reply.status).set(reply.headers).json(reply.body);
  }
}
