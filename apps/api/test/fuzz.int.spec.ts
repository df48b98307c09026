import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import type { AppendResponse, LogPage } from '@timeline/shared-types';
import { SEED_EVENTS } from '@timeline/shared-types/seed';
import { describe, expect, it } from 'vitest';
import { apiForSuite, type StoreKind } from './support/api-process.js';
import { type FuzzCase, fuzzCases, prng, rawSocketCases } from '@timeline/testing/fuzz';
import { call } from './support/http.js';

/**
 * At least 1,000 malformed requests, generated from a seeded PRNG (FUZZ_SEED replays a run), must
 * produce no 5xx; afterwards the service is ready and the store grew by exactly the appends that
 * were answered 201.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_724);
const CASES = Number(process.env.FUZZ_CASES ?? 1200);
const CONCURRENCY = 8;

interface Outcome {
  kind: string;
  method: string;
  path: string;
  status: number | 'no-response' | 'not-sent';
  body: string;
}

function send(baseUrl: string, agent: Agent, fuzz: FuzzCase): Promise<Outcome> {
  const base = { kind: fuzz.kind, method: fuzz.method, path: fuzz.path.slice(0, 200) };
  return new Promise((resolve) => {
    let req: ReturnType<typeof request>;
    try {
      const headers: Record<string, string | number> = { ...fuzz.headers };
      if (fuzz.body) headers['content-length'] = fuzz.body.length;
      req = request(
        `${baseUrl}${fuzz.path}`,
        { method: fuzz.method, headers, agent, timeout: 15_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ ...base, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', () => resolve({ ...base, status: res.statusCode ?? 0, body: '' }));
        },
      );
    } catch {
      // The client itself refused (an illegal header value): nothing reached the server.
      resolve({ ...base, status: 'not-sent', body: '' });
      return;
    }
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ...base, status: 'no-response', body: '' }));
    req.end(fuzz.body);
  });
}

function sendRaw(port: number, bytes: Buffer): Promise<number | 'no-response'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = () => {
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      resolve(match ? Number(match[1]) : 'no-response');
      socket.destroy();
    };
    socket.setTimeout(3000, done);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (/\r\n\r\n/.test(received)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(bytes, () => socket.end());
  });
}

describe.each<StoreKind>(['pglite', 'postgres'])('fuzzing the HTTP API on %s', (kind) => {
  const suite = apiForSuite(kind, {
    TIMELINE_RATE_LIMIT: '0',
    TIMELINE_CORS_ORIGINS: 'http://allowed.example',
  });
  const head = async () => (await call<LogPage>(suite.api.url, 'GET', '/api/events?limit=1')).body.head;

  it(`answers ${CASES} malformed requests and ${rawSocketCases().length} raw socket writes without a 5xx`, async () => {
    const headBefore = await head();
    const cases = fuzzCases(
      prng(SEED),
      CASES,
      suite.api.token,
      SEED_EVENTS.map((event) => event.eventId),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const outcomes: Outcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cases.length) {
          const fuzz = cases[next++]!;
          outcomes.push(await send(suite.api.url, agent, fuzz));
        }
      }),
    );
    agent.destroy();
    const port = Number(new URL(suite.api.url).port);
    const rawStatuses: Array<number | 'no-response'> = [];
    for (const raw of rawSocketCases()) rawStatuses.push(await sendRaw(port, raw.bytes));

    const byStatus = new Map<string, number>();
    for (const outcome of outcomes)
      byStatus.set(String(outcome.status), (byStatus.get(String(outcome.status)) ?? 0) + 1);
    const byKind = new Map<string, number>();
    for (const outcome of outcomes) byKind.set(outcome.kind, (byKind.get(outcome.kind) ?? 0) + 1);
    console.log(
      `[fuzz ${kind}] seed ${SEED}: ${outcomes.length} requests by status ${JSON.stringify(Object.fromEntries([...byStatus].sort()))}, ` +
        `by kind ${JSON.stringify(Object.fromEntries(byKind))}; raw socket statuses ${JSON.stringify(rawStatuses)}`,
    );

    const serverErrors = outcomes.filter((o) => typeof o.status === 'number' && o.status >= 500);
    expect(serverErrors.map((o) => `${o.status} ${o.method} ${o.path} ${o.body.slice(0, 200)}`)).toEqual([]);
    expect(rawStatuses.filter((s) => typeof s === 'number' && s >= 500)).toEqual([]);
    const answered = outcomes.filter((o) => typeof o.status === 'number');
    expect(answered.length).toBeGreaterThanOrEqual(1000);
    // Every answer that is not a success says what was wrong in the shared error shape (HEAD has no body).
    for (const o of answered.filter((o) => (o.status as number) >= 400 && o.method !== 'HEAD')) {
      expect(JSON.parse(o.body), `${o.method} ${o.path}`).toMatchObject({
        statusCode: o.status,
        message: expect.any(String),
      });
    }

    // The store grew by exactly what was answered 201 as new.
    let appended = 0;
    for (const o of answered) {
      if (o.status !== 201) continue;
      const result = JSON.parse(o.body) as AppendResponse;
      if (!result.duplicate) appended += result.events.length;
    }
    const ready = await call(suite.api.url, 'GET', '/api/health/ready');
    expect(ready.status).toBe(200);
    expect(await head()).toBe(headBefore + appended);
    expect(suite.api.output().stdout).not.toContain('"level":"error"');
    expect(suite.api.output().stderr).toBe('');
  });
});
