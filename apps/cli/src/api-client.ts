import { createTimelineClient, type Schema, type TimelineClient } from '@timeline/api-client';
import type { Connection } from './connection.js';
import { CliError, EXIT } from './errors.js';

/** What every openapi-fetch call resolves to: the parsed body, or the parsed error, and the response. */
interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * The Timeline HTTP API as the CLI uses it: the generated client (`http`, typed from docs/openapi.json),
 * and `send`, through which every call goes so that every failure becomes a CliError with its exit code.
 */
export class ApiClient {
  readonly http: TimelineClient;

  constructor(
    readonly connection: Connection,
    fetchImpl: typeof fetch = fetch,
  ) {
    this.http = createTimelineClient({
      baseUrl: connection.apiUrl,
      ...(connection.token ? { token: connection.token } : {}),
      fetch: asUrlAndInit(fetchImpl),
    });
  }

  /** Runs one call of `http`; a non-2xx answer, or no answer, is thrown as a CliError. */
  async send<A extends Answer>(
    method: string,
    call: (http: TimelineClient) => Promise<A>,
  ): Promise<{ data: NonNullable<A['data']>; response: Response }> {
    let answer: A;
    try {
      answer = await call(this.http);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw unreachable(this.connection.apiUrl, error);
    }
    if (!answer.response.ok) throw errorFrom(answer.response, answer.error, method, this.connection);
    return { data: answer.data as NonNullable<A['data']>, response: answer.response };
  }

  /** `appendEvents`: what `append`, `import` and `seed` send. */
  async appendEvents(streamId: string, body: Schema<'AppendRequest'>): Promise<Schema<'AppendResponse'>> {
    const { data } = await this.send('POST', (http) =>
      http.POST('/api/streams/{streamId}/events', { params: { path: { streamId } }, body }),
    );
    return data;
  }
}

/**
 * The CLI's fetch seam takes a URL and an init, the way fetch is usually called (and the way a test's fake
 * fetch records a request), while openapi-fetch hands over a Request: this unpacks it.
 */
const asUrlAndInit =
  (fetchImpl: typeof fetch) =>
  async (request: Request): Promise<Response> =>
    fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === null ? {} : { body: await request.text() }),
      signal: request.signal,
    });

export function unreachable(apiUrl: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return new CliError(EXIT.unreachable, `cannot reach the Timeline API at ${apiUrl} (${why})`, [
    'start it with `pnpm start`, or point --api (or TIMELINE_API_URL) at a running server',
  ]);
}

/**
 * Maps an error answer (its body as openapi-fetch parsed it: JSON, else text) to an exit code and a
 * message that says what to do next.
 */
export function errorFrom(
  response: Response,
  errorBody: unknown,
  method: string,
  connection: Connection,
): CliError {
  const body: Partial<Schema<'ErrorResponse'>> =
    typeof errorBody === 'object' && errorBody !== null
      ? (errorBody as Partial<Schema<'ErrorResponse'>>)
      : {};
  const message = body.message ?? response.statusText;
  const issues = (body.issues ?? []).map((i) => `  ${i.path || '(request)'}: ${i.message}`);
  switch (response.status) {
    case 400:
    case 413:
      return new CliError(EXIT.validation, `the API refused the request: ${message}`, issues);
    case 401:
    case 403:
      return new CliError(EXIT.usage, `the API refused the credentials (${response.status}): ${message}`, [
        connection.token
          ? `the token from ${connection.tokenSource} was not accepted: pass the right one with --token or TIMELINE_TOKEN`
          : 'no token found: pass --token, set TIMELINE_TOKEN, or run where the embedded server wrote TIMELINE_DATA_DIR/write-token (./.data by default)',
      ]);
    case 404:
      return new CliError(EXIT.usage, `not found: ${message}`, [`is ${connection.apiUrl} a Timeline API?`]);
    case 409: {
      const details =
        body.expected === undefined
          ? []
          : [`expected version ${body.expected}, the stream is at ${body.actual}`];
      return new CliError(EXIT.conflict, `conflict: ${message}`, details);
    }
    case 429:
      return new CliError(EXIT.failed, `rate limited: ${message}`, [
        `retry after ${response.headers.get('retry-after') ?? 'a while'} s, or raise TIMELINE_RATE_LIMIT on the server`,
      ]);
    default:
      if (response.status >= 500) {
        return new CliError(EXIT.failed, `the API failed on ${method} (${response.status}): ${message}`, [
          'see the server log for the correlation id',
        ]);
      }
      return new CliError(EXIT.failed, `unexpected answer ${response.status}: ${message}`);
  }
}
