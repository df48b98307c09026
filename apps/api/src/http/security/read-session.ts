/**
 * A browser's read session. `EventSource` cannot send an `Authorization` header, so with read tokens
 * configured a browser could never follow `/api/stream`. Instead it posts a token once to
 * `POST /api/session` and gets it back as an HttpOnly, SameSite=Strict cookie that the access guard
 * accepts for reads only: writes still need the `Authorization` header, so the cookie cannot be
 * used to write (and SameSite keeps other sites from sending it at all).
 */
export const READ_SESSION_COOKIE = 'timeline_read';
/** Twelve hours: a working day, after which the page asks again. */
export const READ_SESSION_SECONDS = 12 * 60 * 60;

/** The token in the read-session cookie of a `Cookie` header, if any. */
export function readSessionToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader || cookieHeader.length > 8192) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== READ_SESSION_COOKIE) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The `Set-Cookie` value that opens (token) or ends (undefined) a read session. */
export function readSessionCookie(token: string | undefined, secure: boolean): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  return token === undefined
    ? [`${READ_SESSION_COOKIE}=`, 'Max-Age=0', ...attributes].join('; ')
    : [
        `${READ_SESSION_COOKIE}=${encodeURIComponent(token)}`,
        `Max-Age=${READ_SESSION_SECONDS}`,
        ...attributes,
      ].join('; ');
}
