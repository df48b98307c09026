import { HttpException, HttpStatus } from '@nestjs/common';

export class MissingCredentialsException extends HttpException {
  constructor(what: 'write' | 'read') {
    super(`a valid ${what} token is required: send 'Authorization: Bearer <token>'`, HttpStatus.UNAUTHORIZED);
  }
}

export class RateLimitedException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      `too many writes from this client; retry after ${retryAfterSeconds} s`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
