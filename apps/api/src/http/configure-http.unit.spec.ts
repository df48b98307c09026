import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/config.js';
import { configureHttp, httpServerOptions } from './configure-http.js';
import { toErrorReply } from './errors/error-reply.js';
import { testPolicy, WRITE_TOKEN } from './security/access-policy.fixture.js';

/** The real pipeline on a bare Fastify server standing in for Nest's, with one route behind it. */
async function pipeline(env: NodeJS.ProcessEnv) {
  const config = loadConfig(env);
  const server = Fastify(httpServerOptions(config));
  const policy = testPolicy({ failuresPerMinute: 10, writesPerMinute: 1000 });
  configureHttp(server, policy, config);
  server.post('/api/streams/:id/events', async (request, reply) => {
    policy.authorize(request);
    return reply.code(201).send({ received: Array.isArray(request.body) ? 'array' : typeof request.body });
  });
  server.get('/api/timeline', async (request) => ({ bodyParsed: request.body !== undefined }));
  server.setErrorHandler((error, _request, reply) => {
    const answer = toErrorReply(error);
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return { url, close: () => server.close() };
}

const deepArray = (bytes: number) => `${'['.repeat(bytes / 2)}${']'.repeat(bytes / 2)}`;

describe('the HTTP pipeline', () => {
  let api: Awaited<ReturnType<typeof pipeline>>;
  beforeAll(async () => {
    api = await pipeline({ TIMELINE_BODY_LIMIT: '2mb' });
  });
  afterAll(async () => {
    await api.close();
  });

  it('refuses a 1 MB [[[…]]] without a token before reading it: 401, nothing parsed, and the refusals count', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const send = () =>
        fetch(`${api.url}/api/streams/s/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.1' },
          body: deepArray(1024 * 1024),
        });
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await send()).status);
      expect(statuses).toEqual([...Array(10).fill(401), 429]);
      expect(parse.mock.calls.filter(([text]) => String(text).startsWith('[['))).toEqual([]);
      const refused = await send();
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      parse.mockRestore();
    }
  });

  it('refuses nesting past the limit before parsing, even with a token', async () => {
    const other = await pipeline({});
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const res = await fetch(`${other.url}/api/streams/s/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${WRITE_TOKEN}` },
        body: deepArray(1000),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/nesting is deeper than 32/);
      expect(parse.mock.calls.filter(([text]) => String(text).startsWith('[['))).toEqual([]);
      const ok = await fetch(`${other.url}/api/streams/s/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${WRITE_TOKEN}` },
        body: '[[1]]',
      });
      expect(ok.status).toBe(201);
    } finally {
      parse.mockRestore();
      await other.close();
    }
  });

  it('never parses the body of a read (no route reads one, and reads are not authenticated before it)', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const { request } = await import('node:http');
      const body = deepArray(1024 * 1024);
      const answer = await new Promise<string>((resolve, reject) => {
        const req = request(`${api.url}/api/timeline`, {
          method: 'GET',
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        });
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end(body);
      });
      expect(answer).toBe('{"bodyParsed":false}');
      expect(parse.mock.calls.filter(([text]) => String(text).startsWith('[['))).toEqual([]);
    } finally {
      parse.mockRestore();
    }
  });

  it('answers 421 to a Host that is not ours (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${api.url}/api/streams/s/events`, {
        method: 'POST',
        headers: { host: 'rebind.attacker.example:3000', authorization: `Bearer ${WRITE_TOKEN}` },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});
