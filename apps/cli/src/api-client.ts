import { createTimelineClient, type Schema, type TimelineClient } from '@timeline/api-client';
import { type Access, type Connection, credentialFor, HOW_TO_PASS } from './connection.js';
import { CliError, EXIT } from './errors.js';

/** What every openapi-fetch call resolves to: the parsed body, or the parsed error, and the response. */
interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * The Timeline HTTP API as the CLI uses it: the generated client (typed from docs/openapi.json), and
 * `send`, through which every call goes, naming the access it needs (so it carries that token and no
 * other) and turning every failure into a CliError with its exit code.
 */
export class ApiClient {
  private readonly clients = new Map<Access, TimelineClient>();

  constructor(
    readonly connection: Connection,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** The generated client whose requests carry the token of this access (if there is one). */
  http(access: Access): TimelineClient {
    let client = this.clients.get(access);
    if (!client) {
      client = createTimelineClient({
        baseUrl: this.connection.apiUrl,
        fetch: withToken(
          this.fetchImpl,
          this.connection.apiUrl,
          credentialFor(this.connection, access)?.token,
        ),
      });
      this.clients.set(access, client);
    }
    return client;
  }

  /** Runs one call; a non-2xx answer, or no answer, is thrown as a CliError. */
  async send<A extends Answer>(
    access: Access,
    method: string,
    call: (http: TimelineClient) => Promise<A>,
  ): Promise<{ data: NonNullable<A['data']>; response: Response }> {
    let answer: A;
    try {
      answer = await call(this.http(access));
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw unreachable(this.connection.apiUrl, error);
    }
    if (!answer.response.ok) throw errorFrom(answer.response, answer.error, method, this.connection, access);
    return { data: answer.data as NonNullable<A['data']>, response: answer.response };
  }

  /** `appendEvents`: what `append`, `import` and `seed` send. */
  async appendEvents(streamId: string, body: Schema<'AppendRequest'>): Promise<Schema<'AppendResponse'>> {
    const { data } = await this.send('write', 'POST', (http) =>
      http.POST('/api/streams/{streamId}/events', { params: { path: { streamId } }, body }),
    );
    return data;
  }
}

/**
 * The CLI's fetch seam takes a URL and an init, the way fetch is usually called (and the way a test's fake
 * fetch records a request), while openapi-fetch hands over a Request: this unpacks it. The token goes
 * only to the origin --api names, and a request carrying one does not follow redirects: a redirect
 * would hand the token to wherever it points.
 */
const withToken =
  (fetchImpl: typeof fetch, apiUrl: string, token: string | undefined) =>
  async (request: Request): Promise<Response> => {
    const headers = new Headers(request.headers);
    const authorised = token !== undefined && new URL(request.url).origin === new URL(apiUrl).origin;
    if (authorised) headers.set('authorization', `Bearer ${token}`);
    return fetchImpl(request.url, {
      method: request.method,
      headers,
      ...(request.body === null ? {} : { body: await request.text() }),
      signal: request.signal,
      redirect: authorised ? 'manual' : 'follow',
    });
  };

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
  access: Access = 'read',
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
    case 403: {
      const credential = credentialFor(connection, access);
      return new CliError(EXIT.usage, `the API refused the credentials (${response.status}): ${message}`, [
        credential
          ? `the ${access} token from ${credential.source} was not accepted: ${HOW_TO_PASS[access]} with the right one`
          : `no ${access} token found: ${HOW_TO_PASS[access]}`,
      ]);
    }
    case 404:
      // The API's own 404 says what is unknown; any other is a wrong --api.
      return new CliError(
        EXIT.usage,
        `not found: ${message}`,
        body.message ? [] : [`is ${connection.apiUrl} a Timeline API?`],
      );
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
      if (response.status >= 300 && response.status < 400) {
        return new CliError(
          EXIT.usage,
          `the API answered with a redirect (${response.status}) to ${response.headers.get('location') ?? '?'}`,
          ['tokens are never sent on a redirect: point --api (or TIMELINE_API_URL) at where it leads'],
        );
      }
      if (response.status >= 500) {
        return new CliError(EXIT.failed, `the API failed on ${method} (${response.status}): ${message}`, [
          'see the server log for the correlation id',
        ]);
      }
      return new CliError(EXIT.failed, `unexpected answer ${response.status}: ${message}`);
  }
}
