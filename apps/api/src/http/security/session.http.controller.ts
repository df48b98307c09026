import { Controller, Delete, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import type { HttpReply, HttpRequest } from '../http-types.js';
import { z } from 'zod';
import { ValidBody } from '../../http/validation/validated.js';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy.js';
import { Public } from './public.decorator.js';
import { readSessionCookie } from './read-session.js';

export const SessionRequestSchema = z.strictObject({
  token: z
    .string()
    .min(1)
    .max(512)
    .describe('a read token (TIMELINE_READ_TOKENS), or a write or admin token: the session only reads'),
});
export type SessionRequest = z.output<typeof SessionRequestSchema>;

/**
 * `POST /api/session {token}` opens a browser read session (a signed HttpOnly cookie the access
 * policy accepts for reads; see read-session.ts) and `DELETE /api/session` ends it. Any valid token
 * opens one, and a write or admin token still gets a READ session only. Public, because it is how a
 * browser gets in; attempts are rate limited per address before the body is read, and failures
 * count toward the failed-token limit, so tokens cannot be guessed quickly.
 */
@Controller('api/session')
@Public()
export class SessionHttpController {
  constructor(@Inject(ACCESS_POLICY) private readonly policy: AccessPolicy) {}

  @Post()
  @HttpCode(HttpStatus.NO_CONTENT)
  open(
    @ValidBody(SessionRequestSchema) body: SessionRequest,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpReply,
  ): void {
    this.policy.limitAnonymous(req);
    this.policy.acceptsForSession(req, body.token);
    res.header('Set-Cookie', readSessionCookie(this.policy.sessions.issue(), this.policy.secureCookies(req)));
    res.header('Cache-Control', 'no-store');
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  close(@Req() req: HttpRequest, @Res({ passthrough: true }) res: HttpReply): void {
    res.header('Set-Cookie', readSessionCookie(undefined, this.policy.secureCookies(req)));
  }
}
