import type { ServerResponse } from 'node:http';

/** Resolves once the socket's buffer has room again, or the client has gone (nothing more to wait for). */
export function drained(response: Pick<ServerResponse, 'once' | 'off'>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}
