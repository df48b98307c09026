import {
  Controller,
  Delete,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { RateLimitedException } from '../errors/http-errors.js';
import { ValidBody } from '../../http/validation/validated.js';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy.js';
import { Public } from './public.decorator.js';
import { readSessionCookie } from './read-session.js';

export const SessionRequestSchema = z.strictObject({
  token: z.string().min(1).max(512).describe('a read token (TIMELINE_READ_TOKENS) or a write token'),
});
export type SessionRequest = z.output<typeof SessionRequestSchema>;

/**
 * `POST /api/session {token}` opens a browser read session (an HttpOnly cookie the guard accepts for
 * reads; see read-session.ts) and `DELETE /api/session` ends it. Public, because it is how a browser
 * gets in; attempts are rate limited per address like writes, so tokens cannot be guessed quickly.
 */
@Controller('api/session')
@Public()
export class SessionHttpController {
  constructor(@Inject(ACCESS_POLICY) private readonly policy: AccessPolicy) {}

  @Post()
  @HttpCode(HttpStatus.NO_CONTENT)
  open(
    @ValidBody(SessionRequestSchema) body: SessionRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): void {
    const decision = this.policy.writeLimiter.take(`address:${req.socket.remoteAddress ?? 'unknown'}`);
    if (!decision.allowed) throw new RateLimitedException(decision.retryAfterSeconds);
    const { readTokens, writeTokens } = this.policy;
    if (!readTokens?.match(body.token) && !writeTokens.match(body.token)) {
      throw new HttpException(
        'that token is not accepted: use one of TIMELINE_READ_TOKENS (or a write token)',
        HttpStatus.UNAUTHORIZED,
      );
    }
    res.setHeader('Set-Cookie', readSessionCookie(body.token, req.secure));
    res.setHeader('Cache-Control', 'no-store');
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  close(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    res.setHeader('Set-Cookie', readSessionCookie(undefined, req.secure));
  }
}
