import { createTimelineClient, type Schema } from '@timeline/api-client';

type TimelineResponse = Schema<'TimelineResponse'>;
type LogPage = Schema<'LogPage'>;

/**
 * The API as the browser sees it: same origin, `/api`, read-only, through the client generated from
 * docs/openapi.json. Responses are checked for the shape the app relies on; a malformed answer is an
 * error, not a half-drawn timeline.
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

const api = createTimelineClient({ baseUrl: '' });

/** Runs one read; `path` (with its query) names the request in the errors. */
async function read<T>(
  path: string,
  call: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Partial<T>> {
  let answer: Awaited<ReturnType<typeof call>>;
  try {
    answer = await call();
  } catch (error) {
    throw new ApiError(
      `cannot reach the API (${path}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!answer.response.ok) {
    const message = (answer.error as { message?: unknown } | undefined)?.message;
    const detail = typeof message === 'string' ? `: ${message}` : '';
    throw new ApiError(`${path} answered ${answer.response.status}${detail}`, answer.response.status);
  }
  return answer.data ?? {};
}

export async function fetchTimeline(signal?: AbortSignal): Promise<TimelineResponse> {
  const body = await read('/api/timeline', () => api.GET('/api/timeline', signal ? { signal } : {}));
  if (!Array.isArray(body.items) || typeof body.position !== 'number') {
    throw new ApiError('/api/timeline answered with an unexpected shape');
  }
  return body as TimelineResponse;
}

export async function fetchLogPage(after: number, limit: number, signal?: AbortSignal): Promise<LogPage> {
  const query = { after, limit };
  const body = await read(
    `/api/events?${new URLSearchParams({ after: String(after), limit: String(limit) })}`,
    () => api.GET('/api/events', { params: { query }, ...(signal ? { signal } : {}) }),
  );
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
  const { response } = await api.POST('/api/session', { body: { token }, credentials: 'same-origin' });
  if (response.status === 204) return true;
  if (response.status === 401 || response.status === 400) return false;
  throw new ApiError(`/api/session answered ${response.status}`, response.status);
}

/** The ids of the first `limit` streams (`GET /api/streams`), for the add form's stream list. */
export async function fetchStreamIds(limit = 1000): Promise<string[]> {
  const body = await read(`/api/streams?limit=${limit}`, () =>
    api.GET('/api/streams', { params: { query: { limit } } }),
  );
  return Array.isArray(body.streams) ? body.streams.map((s) => s.streamId) : [];
}
