import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { type HttpReply, type HttpRequest, pathOf } from '../http-types.js';
import { toErrorReply } from './error-reply.js';

/**
 * The one place an error becomes an HTTP answer, for the routes and for the steps ahead of them
 * (Nest makes this filter Fastify's error handler). Client errors are answered as they are; anything
 * else is logged with its stack under the request id, and the client sees only that id.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const reply = http.getResponse<HttpReply>();
    const requestId = request.id;
    const answer = toErrorReply(exception);

    if (answer.internal) {
      const error = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(
        {
          msg: 'request failed',
          requestId,
          method: request.method,
          path: pathOf(request),
          error: error.message,
        },
        error.stack,
      );
      answer.body.message = `internal error (correlation id ${requestId})`;
    }
    if (reply.raw.headersSent) {
      // A streamed answer broke half-way: the status is gone, so end the connection for the client to notice.
      reply.raw.destroy();
      return;
    }
    const body = JSON.stringify(answer.body);
    const type = 'application/json; charset=utf-8';
    if (reply.sent) {
      // Taken over for a stream (hijacked) before its first byte: answer on the socket.
      reply.raw.writeHead(answer.status, { ...answer.headers, 'content-type': type }).end(body);
      return;
    }
    reply.code(answer.status).headers(answer.headers).type(type).send(body);
  }
}
