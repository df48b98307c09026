import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';

/**
 * A browser's read session. `EventSource` cannot send an `Authorization` header, so with read tokens
 * configured a browser could never follow `/api/stream`. Instead it posts a token once to
 * `POST /api/session` and gets an HttpOnly, SameSite=Strict cookie that the access policy accepts
 * for reads only: writes still need the `Authorization` header (and SameSite keeps other sites from
 * sending the cookie at all).
 *
 * The cookie never holds the token: it is `<expiry>.<hmac(secret, expiry|read)>`, signed with the
 * session secret (TIMELINE_SESSION_SECRET, else generated: see config/write-tokens.ts), so every API
 * process sharing the secret accepts it and none has to remember it. Stolen, it reads until it
 * expires; changing the secret ends every session at once.
 */
export const READ_SESSION_COOKIE = 'timeline_read';
/** Twelve hours: a working day, after which the page asks again. */
export const READ_SESSION_SECONDS = 12 * 60 * 60;
const SCOPE = 'read';

export class ReadSessions {
  constructor(
    private readonly secret: Buffer,
    private readonly clock: Clock,
  ) {}

  /** A new session value: opaque to the browser, checkable without server state. */
  issue(): string {
    const expiry = Math.floor(this.clock.now().getTime() / 1000) + READ_SESSION_SECONDS;
    return `${expiry}.${this.sign(expiry)}`;
  }

  /** Whether the cookie of a `Cookie` header is a read session that we signed and that has not expired. */
  accepts(cookieHeader: string | undefined): boolean {
    const value = readSessionValue(cookieHeader);
    const match = value === undefined ? null : /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (!match) return false;
    const expiry = Number(match[1]);
    const now = this.clock.now().getTime() / 1000;
    if (expiry <= now || expiry > now + READ_SESSION_SECONDS + 60) return false;
    return timingSafeEqual(Buffer.from(match[2]!), Buffer.from(this.sign(expiry)));
  }

  private sign(expiry: number): string {
    return createHmac('sha256', this.secret).update(`${expiry}|${SCOPE}`).digest('base64url');
  }
}

/** The read-session cookie of a `Cookie` header, if any. */
export function readSessionValue(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader || cookieHeader.length > 8192) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== READ_SESSION_COOKIE) continue;
    return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The `Set-Cookie` value that opens (a session value) or ends (undefined) a read session. */
export function readSessionCookie(session: string | undefined, secure: boolean): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  return session === undefined
    ? [`${READ_SESSION_COOKIE}=`, 'Max-Age=0', ...attributes].join('; ')
    : [`${READ_SESSION_COOKIE}=${session}`, `Max-Age=${READ_SESSION_SECONDS}`, ...attributes].join('; ');
}
