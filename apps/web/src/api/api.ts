import type { LogPage, TimelineResponse } from '@timeline/shared-types';

/**
 * The API as the browser sees it: same origin, `/api`, read-only. Responses are checked for the shape
 * the app relies on; a malformed answer is an error, not a half-drawn timeline.
 */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function getJson(path: string, signal?: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (error) {
    throw new ApiError(
      `cannot reach the API (${path}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!response.ok) {
    let detail = '';
    try {
      const body = (await response.json()) as { message?: unknown };
      if (typeof body.message === 'string') detail = `: ${body.message}`;
    } catch {
      // The status says enough.
    }
    throw new ApiError(`${path} answered ${response.status}${detail}`, response.status);
  }
  return response.json();
}

export async function fetchTimeline(signal?: AbortSignal): Promise<TimelineResponse> {
  const body = (await getJson('/api/timeline', signal)) as Partial<TimelineResponse>;
  if (!Array.isArray(body.items) || typeof body.position !== 'number') {
    throw new ApiError('/api/timeline answered with an unexpected shape');
  }
  return body as TimelineResponse;
}

export async function fetchLogPage(after: number, limit: number, signal?: AbortSignal): Promise<LogPage> {
  const query = new URLSearchParams({ after: String(after), limit: String(limit) });
  const body = (await getJson(`/api/events?${query}`, signal)) as Partial<LogPage>;
  if (!Array.isArray(body.events) || typeof body.nextAfter !== 'number' || typeof body.head !== 'number') {
    throw new ApiError('/api/events answered with an unexpected shape');
  }
  return body as LogPage;
}

/**
 * Opens a read session (`POST /api/session`): the API sets an HttpOnly cookie that the browser then
 * sends with every read, `EventSource` included. Resolves true when the token was accepted.
 */
export async function openReadSession(token: string): Promise<boolean> {
  const response = await fetch('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ token }),
    credentials: 'same-origin',
  });
  if (response.status === 204) return true;
  if (response.status === 401 || response.status === 400) return false;
  throw new ApiError(`/api/session answered ${response.status}`, response.status);
}
