import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { writeNdjson } from './ndjson-writer.js';

/** A real HTTP server whose one route streams `items` with `writeNdjson`; it records each write. */
async function serve(items: () => AsyncIterable<unknown>) {
  const writes: number[] = [];
  let finished: Promise<void> = Promise.resolve();
  const server = createServer((_req, res: ServerResponse) => {
    const write = res.write.bind(res) as (chunk: string) => boolean;
    res.write = ((chunk: string) => {
      writes.push(Buffer.byteLength(chunk));
      return write(chunk);
    }) as typeof res.write;
    res.setHeader('content-type', 'application/x-ndjson');
    finished = writeNdjson(res, items());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, writes, finished: () => finished };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const line = (n: number) => ({ position: n, title: `event ${n}`, padding: 'x'.repeat(200) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function open(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, resolve).on('error', reject));
}

describe('writeNdjson', () => {
  it('writes every line in order, gathered into ~64 KB writes', async () => {
    const { url, writes, finished } = await serve(async function* () {
      for (let n = 1; n <= 3000; n += 1) yield line(n);
    });
    const res = await open(url);
    let body = '';
    for await (const chunk of res) body += chunk;
    await finished();
    const lines = body.trimEnd().split('\n');
    expect(lines).toHaveLength(3000);
    expect(lines.map((l) => JSON.parse(l).position)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    // ~700 KB in 64 KB writes: 11 or 12 of them, not 3,000.
    expect(writes.length).toBeLessThanOrEqual(12);
    for (const size of writes.slice(0, -1)) expect(size).toBeGreaterThanOrEqual(64 * 1024);
  });

  it('writes a short selection in one go and an empty one as an empty body', async () => {
    const short = await serve(async function* () {
      yield line(1);
      yield line(2);
    });
    let body = '';
    for await (const chunk of await open(short.url)) body += chunk;
    expect(body.split('\n')).toHaveLength(3);
    expect(short.writes).toHaveLength(1);

    const empty = await serve(async function* () {});
    let none = '';
    for await (const chunk of await open(empty.url)) none += chunk;
    expect(none).toBe('');
    expect(empty.writes).toHaveLength(0);
  });

  it('stops pulling while the client does not read, and stops the source when it goes away', async () => {
    let pulled = 0;
    let returned = false;
    const { url, finished } = await serve(async function* () {
      try {
        for (;;) {
          pulled += 1;
          yield line(pulled);
        }
      } finally {
        returned = true;
      }
    });
    const res = await open(url);
    res.pause();
    await sleep(300);
    const whilePaused = pulled;
    await sleep(300);
    // Held back by the socket: nothing more is pulled while the client reads nothing.
    expect(pulled).toBe(whilePaused);
    expect(whilePaused).toBeLessThan(50_000);
    res.destroy();
    await finished();
    expect(returned).toBe(true);
  });
});
