import type { ErrorResponse } from '@timeline/shared-types';
import { CliError, EXIT } from './errors.js';
import type { Connection } from './connection.js';

export interface RequestOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, string | number | readonly string[] | undefined>;
  body?: unknown;
  accept?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The Timeline HTTP API as the CLI uses it: every failure becomes a CliError with its exit code. */
export class ApiClient {
  constructor(
    readonly connection: Connection,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  url(path: string, query: RequestOptions['query'] = {}): string {
    const url = new URL(`${this.connection.apiUrl}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    return url.toString();
  }

  /** Sends a request; a non-2xx answer is thrown as a CliError. The body is left for the caller to read. */
  async request(path: string, options: RequestOptions = {}): Promise<Response> {
    const method = options.method ?? 'GET';
    const headers: Record<string, string> = {
      accept: options.accept ?? 'application/json',
      ...options.headers,
    };
    if (this.connection.token) headers.authorization = `Bearer ${this.connection.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, options.query), {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw unreachable(this.connection.apiUrl, error);
    }
    if (!response.ok) throw await errorFrom(response, method, this.connection);
    return response;
  }

  async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(path, options);
    return (await response.json()) as T;
  }
}

export function unreachable(apiUrl: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return new CliError(EXIT.unreachable, `cannot reach the Timeline API at ${apiUrl} (${why})`, [
    'start it with `pnpm start`, or point --api (or TIMELINE_API_URL) at a running server',
  ]);
}

/** Maps an error answer to an exit code and a message that says what to do next. */
export async function errorFrom(
  response: Response,
  method: string,
  connection: Connection,
): Promise<CliError> {
  let body: Partial<ErrorResponse> = {};
  try {
    body = (await response.json()) as Partial<ErrorResponse>;
  } catch {
    // not JSON: the status says enough
  }
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

/** Reads a response body line by line (NDJSON), as it arrives. */
export async function* responseLines(response: Response): AsyncGenerator<string> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
  }
  buffer += decoder.decode();
  if (buffer) yield buffer;
}

/** Reads a response body chunk by chunk as text. */
export async function* responseText(response: Response): AsyncGenerator<string> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
