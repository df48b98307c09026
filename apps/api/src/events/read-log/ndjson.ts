import type { Response } from 'express';

export const NDJSON = 'application/x-ndjson';

/**
 * About how much NDJSON to gather before writing. One write per event cost the API a `writev` and
 * the client a socket read per line (a quarter of the API's busy time streaming the log, and most of
 * the reader's); 64 KB is what `/api/replay` writes at once too.
 */
export const NDJSON_BATCH_BYTES = 64 * 1024;

/**
 * Writes one JSON line per item, gathered into writes of about `batchBytes` (the last one shorter),
 * waiting for the socket to drain whenever its buffer is full so a slow reader holds the store's
 * paging back instead of filling memory, and stops pulling (which ends the paging: the loop's exit
 * returns the store's generator) as soon as the client goes away.
 */
export async function writeNdjson(
  response: Response,
  items: AsyncIterable<unknown>,
  batchBytes = NDJSON_BATCH_BYTES,
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
      batch += `${JSON.stringify(item)}\n`;
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

function drained(response: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
