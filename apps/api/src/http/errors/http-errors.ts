import { HttpException, HttpStatus } from '@nestjs/common';

export class MissingCredentialsException extends HttpException {
  constructor(what: 'write' | 'read') {
    super(`a valid ${what} token is required: send 'Authorization: Bearer <token>'`, HttpStatus.UNAUTHORIZED);
  }
}

export class RateLimitedException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    message = `too many writes from this client; retry after ${retryAfterSeconds} s`,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}
