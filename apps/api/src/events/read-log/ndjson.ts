import type { Response } from 'express';

export const NDJSON = 'application/x-ndjson';

/**
 * Writes one JSON line per item, waiting for the socket to drain whenever its buffer is full, and
 * stops pulling (which ends the store's paging) as soon as the client goes away.
 */
export async function writeNdjson(response: Response, items: AsyncIterable<unknown>): Promise<void> {
  let closed = false;
  const onClose = () => {
    closed = true;
  };
  response.on('close', onClose);
  try {
    for await (const item of items) {
      if (closed) break;
      if (!response.write(`${JSON.stringify(item)}\n`)) await drained(response);
    }
    if (!closed) response.end();
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
