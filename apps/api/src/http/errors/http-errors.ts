import { HttpException, HttpStatus } from '@nestjs/common';

export class MissingCredentialsException extends HttpException {
  constructor(what: 'write' | 'read' | 'admin') {
    super(`a valid ${what} token is required: send 'Authorization: Bearer <token>'`, HttpStatus.UNAUTHORIZED);
  }
}

/** 429 or 503 with `Retry-After` (the exception filter sends the header). */
export class RetryLaterException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    status: HttpStatus.TOO_MANY_REQUESTS | HttpStatus.SERVICE_UNAVAILABLE = HttpStatus.TOO_MANY_REQUESTS,
  ) {
    super(message, status);
  }
}

export class RateLimitedException extends RetryLaterException {
  constructor(retryAfterSeconds: number, what = 'writes') {
    super(`too many ${what} from this client; retry after ${retryAfterSeconds} s`, retryAfterSeconds);
  }
}
