import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';

/**
 * The Timeline API, every path and operation typed from docs/openapi.json. Bodies are typed as their JSON
 * form; the streamed and text answers (NDJSON, CSV, SSE) are read with `parseAs: 'stream'` and body-reader.ts.
 */
export type TimelineClient = Client<paths, 'application/json'>;

export interface TimelineClientOptions {
  /** Where the API is (`http://127.0.0.1:3000`), or `''` for the page's own origin. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` with every request. */
  token?: string;
  /** The fetch to send each request with (default: the global one, looked up on each call). */
  fetch?: (request: Request) => Promise<Response>;
}

export function createTimelineClient(options: TimelineClientOptions): TimelineClient {
  return createClient<paths, 'application/json'>({
    baseUrl: options.baseUrl,
    // Looked up per call rather than captured, so a fetch replaced after start-up (tests, polyfills) is used.
    fetch: options.fetch ?? ((request) => globalThis.fetch(request)),
    headers: {
      accept: 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    // The API reads lists as one comma-separated value (`types=A,B`), not as a repeated key.
    querySerializer: { array: { style: 'form', explode: false } },
  });
}
