import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { type ErrorResponse, ValidationError } from '@timeline/shared-types';
import {
  EventIdConflictError,
  StoreUnavailableError,
  WrongExpectedVersionError,
} from '../../event-store/event-store.port.js';
import { ConflictError } from '../../shared/conflict.error.js';
import { MissingCredentialsException, RetryLaterException } from './http-errors.js';

export interface ErrorReply {
  status: number;
  body: ErrorResponse;
  headers: Record<string, string>;
  /** The error is ours, not the client's: log it with its stack and show only a correlation id. */
  internal: boolean;
}

/** Errors that Fastify (its router, content-type parsing) or a library raise carry their status and may say if it is safe to show. */
interface ExpressStyleError {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  type?: unknown;
  limit?: unknown;
  message: string;
}

/** How long a client is asked to wait when the database does not answer (a restart takes seconds). */
const STORE_RETRY_AFTER_SECONDS = 2;

/** Maps anything thrown while serving a request to the status and body the client gets. Pure. */
export function toErrorReply(exception: unknown): ErrorReply {
  if (exception instanceof ValidationError) {
    return reply(400, 'invalid request: see issues', { issues: exception.issues });
  }
  if (exception instanceof WrongExpectedVersionError) {
    return reply(409, exception.message, { expected: exception.expected, actual: exception.actual });
  }
  if (exception instanceof EventIdConflictError || exception instanceof ConflictError) {
    return reply(409, exception.message);
  }
  if (exception instanceof StoreUnavailableError) {
    // The cause (host, port, server message) stays in the server's log, not in the answer.
    return withHeaders(reply(503, 'the event store is unavailable; retry later'), {
      'Retry-After': String(STORE_RETRY_AFTER_SECONDS),
    });
  }
  if (exception instanceof RetryLaterException) {
    return withHeaders(reply(exception.getStatus(), exception.message), {
      'Retry-After': String(exception.retryAfterSeconds),
    });
  }
  if (exception instanceof MissingCredentialsException) {
    return withHeaders(reply(401, exception.message), { 'WWW-Authenticate': 'Bearer realm="timeline"' });
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status >= 500) return internalReply();
    return reply(status, httpExceptionMessage(exception));
  }
  if (exception instanceof Error) {
    const status = clientStatusOf(exception as ExpressStyleError);
    if (status !== undefined)
      return reply(status, expressErrorMessage(exception as ExpressStyleError, status));
  }
  return internalReply();
}

function reply(status: number, message: string, extra: Partial<ErrorResponse> = {}): ErrorReply {
  return {
    status,
    body: { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...extra },
    headers: {},
    internal: false,
  };
}

function withHeaders(base: ErrorReply, headers: Record<string, string>): ErrorReply {
  return { ...base, headers: { ...base.headers, ...headers } };
}

function internalReply(): ErrorReply {
  return { ...reply(500, 'internal error'), internal: true };
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return exception.message;
}

/** A 4xx that the raising middleware marked as safe to show; anything else is ours (5xx). */
function clientStatusOf(error: ExpressStyleError): number | undefined {
  const status = typeof error.status === 'number' ? error.status : error.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 499)
    return undefined;
  if (error.expose === false) return undefined;
  return status;
}

function expressErrorMessage(error: ExpressStyleError, status: number): string {
  switch (error.type) {
    case 'entity.too.large':
      return `request body is larger than the limit of ${typeof error.limit === 'number' ? `${error.limit} bytes` : 'the server'} (TIMELINE_BODY_LIMIT)`;
    case 'entity.parse.failed':
      return `malformed JSON: ${error.message}`;
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return error.message;
    default:
      return error.message || (STATUS_CODES[status] ?? 'bad request');
  }
}
