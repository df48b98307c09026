import { type Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { type FuzzCase, fuzzCases, prng } from '@timeline/testing/fuzz';
import { benchEvent } from '../lib/events.js';
import { postJson } from '../lib/http.js';

/** Every response the abusers and the normal client got, by status (0: no response, the connection failed). */
export class StatusTally {
  readonly byStatus = new Map<number, number>();
  /** 5xx responses other than a 503 that says when to come back. */
  readonly bad5xx: string[] = [];

  add(status: number, what: string, retryAfter?: string | string[] | undefined): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    if (status >= 500 && !(status === 503 && retryAfter)) this.bad5xx.push(`${status} ${what}`);
  }

  byClass(): Record<string, number> {
    const classes: Record<string, number> = {};
    for (const [status, n] of this.byStatus) {
      const name = status === 0 ? 'no response' : `${Math.floor(status / 100)}xx`;
      classes[name] = (classes[name] ?? 0) + n;
    }
    return classes;
  }
}

/** A request with no answer by then counts as `no response` (status 0). */
const REQUEST_TIMEOUT_MS = 10_000;

interface Reply {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

function send(base: string, agent: Agent | false, c: Pick<FuzzCase, 'method' | 'path' | 'headers' | 'body'>) {
  return new Promise<Reply>((resolve) => {
    const req = request(
      `${base}${c.path}`,
      { method: c.method, headers: c.headers, agent, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', () => resolve({ status: 0, retryAfter: undefined, body: '' }));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, retryAfter: undefined, body: '' }));
    req.end(c.body);
  });
}

/** `count` seeded fuzz requests without a valid token, `concurrency` at a time, none started after `deadline`; resolves with how many were sent. */
export async function fuzzAnonymously(
  base: string,
  agent: Agent,
  count: number,
  concurrency: number,
  tally: StatusTally,
  deadline: number,
): Promise<number> {
  const cases = fuzzCases(prng(13), count, 'anonymous-not-a-token-0123456789');
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < cases.length && performance.now() < deadline) {
        const c = cases[next++]!;
        const reply = await send(base, agent, c);
        tally.add(reply.status, `${c.method} ${c.path.slice(0, 80)} (fuzz ${c.kind})`, reply.retryAfter);
      }
    }),
  );
  return next;
}

/** SSE clients that read and drop everything; resolves once each got its answer (or failed). */
export async function openSseClients(base: string, count: number, tally: StatusTally) {
  const open: Array<() => void> = [];
  let accepted = 0;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const req = request(`${base}/api/stream`, { agent: false }, (res) => {
            tally.add(res.statusCode ?? 0, 'GET /api/stream', res.headers['retry-after']);
            if (res.statusCode === 200) accepted += 1;
            res.on('data', () => undefined);
            res.on('error', () => undefined);
            resolve();
          });
          req.on('error', () => {
            tally.add(0, 'GET /api/stream');
            resolve();
          });
          req.end();
          open.push(() => req.destroy());
        }),
    ),
  );
  return {
    accepted,
    close: () => {
      for (const close of open) close();
    },
  };
}

/** SSE clients that send the request and never read a byte: the server's buffers fill for them. */
export function openStuckSseClients(port: number, count: number): { close(): void } {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`,
      );
      socket.pause();
    });
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  return {
    close: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** `concurrency` clients folding the timeline as of a past instant, back to back, until `stop()`. */
export function foldAsOfContinuously(base: string, concurrency: number, asOf: string, tally: StatusTally) {
  let running = true;
  let folds = 0;
  const done = Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (running) {
        const reply = await send(base, false, {
          method: 'GET',
          path: `/api/timeline?asOf=${encodeURIComponent(asOf)}`,
          headers: {},
        });
        tally.add(reply.status, 'GET /api/timeline?asOf', reply.retryAfter);
        folds += 1;
      }
    }),
  );
  return {
    stop: async () => {
      running = false;
      await done;
      return folds;
    },
  };
}

/**
 * The client the service is for: with the write token, appends one event then reads the timeline,
 * again and again; every latency is kept with the time it was measured, every acknowledged id kept.
 */
export function normalClient(base: string, agent: Agent, token: string, tally: StatusTally) {
  const latencies: Array<{ at: number; ms: number }> = [];
  const acknowledged: string[] = [];
  let running = true;
  let n = 0;
  const url = new URL(`${base}/api/streams/abuse-normal-client/events`);
  const timed = async <T>(work: () => Promise<T>) => {
    const t0 = performance.now();
    const result = await work();
    latencies.push({ at: t0, ms: performance.now() - t0 });
    return result;
  };
  const done = (async () => {
    while (running) {
      const body = JSON.stringify({ events: [benchEvent(n++, 'abuse-normal')] });
      const appended = await timed(() =>
        postJson(agent, url, token, body).catch(() => ({ status: 0, body: '' })),
      );
      tally.add(appended.status, 'normal append');
      if (appended.status === 201) {
        const parsed = JSON.parse(appended.body) as { events: Array<{ eventId: string }> };
        acknowledged.push(...parsed.events.map((e) => e.eventId));
      }
      const read = await timed(() =>
        send(base, agent, {
          method: 'GET',
          path: '/api/events?limit=20',
          headers: { authorization: `Bearer ${token}` },
        }),
      );
      tally.add(read.status, 'normal read', read.retryAfter);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    latencies,
    acknowledged,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** Polls `/api/health/live` every second; counts the polls that got no 200. */
export function watchHealth(base: string) {
  let running = true;
  let polls = 0;
  let failures = 0;
  const done = (async () => {
    while (running) {
      const reply = await send(base, false, { method: 'GET', path: '/api/health/live', headers: {} });
      polls += 1;
      if (reply.status !== 200) failures += 1;
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return { polls, failures };
    },
  };
}
