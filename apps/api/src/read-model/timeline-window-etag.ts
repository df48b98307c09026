import type { HttpReply } from '../http/http-types.js';

/**
 * Sends `produce()` as JSON tagged with the log position it reflects, or `304 Not Modified` without
 * computing it when the client already holds that tag (`If-None-Match`). The answers of one URL change
 * only when the position does, so the position is a strong tag.
 */
export async function answerTagged(
  res: HttpReply,
  ifNoneMatch: string | undefined,
  tag: number | string,
  produce: () => Promise<unknown>,
): Promise<void> {
  const etag = `"${tag}"`;
  res.headers({ ETag: etag, 'Cache-Control': 'no-cache' });
  if (typeof tag === 'number') res.header('Timeline-Position', String(tag));
  const held = ifNoneMatch?.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (held?.includes(etag) || held?.includes('*')) {
    res.code(304).send();
    return;
  }
  res.send(await produce());
}
