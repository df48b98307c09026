import { NDJSON_CONTENT_TYPE } from '@timeline/shared-types';
import type { ServerResponse } from 'node:http';
import type { HttpReply } from '../http-types.js';
import { drained } from './drained.js';
import { takeOver } from './take-over.js';

/**
 * About how much NDJSON to gather before writing. One write per event cost the API a `writev` and
 * the client a socket read per line (a quarter of the API's busy time streaming the log, and most of
 * the reader's); 64 KB is what `/api/replay` writes at once too.
 */
export const NDJSON_BATCH_BYTES = 64 * 1024;

export interface NdjsonWriteOptions<T> {
  /** The text of one item, newline included (default: its JSON and a newline). */
  toLine?: (item: T) => string;
  /** Text gathered before a write (default `NDJSON_BATCH_BYTES`); 0 writes each item as it comes. */
  batchBytes?: number;
}

const jsonLine = (item: unknown) => `${JSON.stringify(item)}\n`;

/**
 * Writes one line per item, gathered into writes of about `batchBytes` (the last one shorter),
 * waiting for the socket to drain whenever its buffer is full so a slow reader holds the producer
 * (the store's paging, a replay) back instead of filling memory, and stops pulling (which ends the
 * source: the loop's exit returns its generator) as soon as the client goes away.
 */
export async function writeNdjson<T>(
  response: ServerResponse,
  items: AsyncIterable<T>,
  { toLine = jsonLine, batchBytes = NDJSON_BATCH_BYTES }: NdjsonWriteOptions<T> = {},
): Promise<void> {
  let closed = false;
  const onClose = () => {
    closed = true;
  };
  response.on('close', onClose);
  try {
    let batch = '';
    for await (const item of items) {
      if (closed) break;
      batch += toLine(item);
      // String length counts UTF-16 units, not bytes: close enough to size a batch.
      if (batch.length < batchBytes) continue;
      const more = response.write(batch);
      batch = '';
      if (!more) await drained(response);
    }
    if (closed) return;
    if (batch) response.write(batch);
    response.end();
  } finally {
    response.off('close', onClose);
  }
}

/**
 * Streams NDJSON text to the client as it is produced (each chunk already a whole number of lines),
 * with the same backpressure. Headers go out with the first chunk, so an error before it is still an
 * ordinary error reply; an error half-way ends the connection (the exception filter destroys it), so
 * a client can tell a cut stream from a complete one.
 */
export function sendNdjson(
  reply: HttpReply,
  chunks: AsyncIterable<string>,
  headers: Record<string, string> = {},
): Promise<void> {
  return writeNdjson(ndjsonResponse(reply, headers), chunks, { toLine: (chunk) => chunk, batchBytes: 0 });
}

/** Takes the reply over for an NDJSON answer (status 200, its headers set, nothing written yet). */
export function ndjsonResponse(reply: HttpReply, headers: Record<string, string> = {}): ServerResponse {
  const response = takeOver(reply);
  response.statusCode = 200;
  const all = {
    'content-type': `${NDJSON_CONTENT_TYPE}; charset=utf-8`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  };
  for (const [name, value] of Object.entries(all)) response.setHeader(name, value);
  return response;
}

/** Whether the client asked for NDJSON (`Accept: application/x-ndjson`) over JSON. */
export function wantsNdjson(accept: string | undefined): boolean {
  return (accept ?? '').toLowerCase().includes(NDJSON_CONTENT_TYPE);
}
