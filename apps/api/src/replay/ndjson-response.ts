import type { Response } from 'express';
import { NDJSON_CONTENT_TYPE } from '@timeline/shared-types';

/**
 * Streams NDJSON chunks to the client as they are produced, waiting for the socket to drain so a
 * slow reader holds the producer back instead of filling memory. Stops reading the source when the
 * client goes away. Headers go out with the first chunk, so an error before it is still an ordinary
 * error reply; an error half-way ends the connection (the exception filter destroys it), so a client
 * can tell a cut replay from a complete one.
 */
export async function sendNdjson(
  res: Response,
  chunks: AsyncIterable<string>,
  headers: Record<string, string> = {},
): Promise<void> {
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  res.status(200).set({
    'content-type': `${NDJSON_CONTENT_TYPE}; charset=utf-8`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  for await (const chunk of chunks) {
    if (closed) return;
    if (!res.write(chunk)) await drained(res);
  }
  if (!closed) res.end();
}

function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** Whether the client asked for NDJSON (`Accept: application/x-ndjson`) over JSON. */
export function wantsNdjson(accept: string | undefined): boolean {
  return (accept ?? '').toLowerCase().includes(NDJSON_CONTENT_TYPE);
}
