import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ValidationError } from '@timeline/shared-types';
import express, { type NextFunction, type Request, type Response } from 'express';
import { describe, expect, it } from 'vitest';
import { inspectJsonValue, jsonBody, jsonDepthExceeds, MAX_JSON_DEPTH } from './json-body.js';

describe('inspectJsonValue', () => {
  it('accepts ordinary JSON, including paired surrogates (emoji)', () => {
    expect(
      inspectJsonValue({ events: [{ data: { title: 'Lammy in Delhi 🇮🇳', n: 1, ok: true, none: null } }] }),
    ).toEqual([]);
  });

  it('names a NUL character and a lone surrogate by path', () => {
    expect(inspectJsonValue({ events: [{ data: { title: 'a\u0000b', place: 'x\uD800' } }] })).toEqual(
      expect.arrayContaining([
        { path: 'events.0.data.title', message: 'must not contain the NUL character' },
        { path: 'events.0.data.place', message: 'must not contain unpaired UTF-16 surrogates' },
      ]),
    );
  });

  it('checks keys too', () => {
    expect(inspectJsonValue({ 'bad\u0000key': 1 })).toEqual([
      { path: 'bad\u0000key', message: 'key must not contain the NUL character' },
    ]);
  });

  it('refuses nesting deeper than the limit without recursing', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const issues = inspectJsonValue(deep);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toBe(`nesting is deeper than ${MAX_JSON_DEPTH} levels`);
  });
});

describe('jsonDepthExceeds', () => {
  const bytes = (text: string) => Buffer.from(text, 'utf8');

  it('measures nesting from the bytes, the same limit the parsed walk applies', () => {
    const nested = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
    expect(jsonDepthExceeds(bytes(nested(MAX_JSON_DEPTH)), MAX_JSON_DEPTH)).toBe(false);
    expect(inspectJsonValue(JSON.parse(nested(MAX_JSON_DEPTH)))).toEqual([]);
    expect(jsonDepthExceeds(bytes(nested(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH)).toBe(true);
    expect(inspectJsonValue(JSON.parse(nested(MAX_JSON_DEPTH + 1)))).toHaveLength(1);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(bytes(JSON.stringify({ a: '[[[[[[', b: 'x\\"[[[[' })), 2)).toBe(false);
    expect(jsonDepthExceeds(bytes('{"a":[{"b":[1]}]}'), 3)).toBe(true);
  });
});

describe('jsonBody', () => {
  /** The pipeline on a real server: the status each body gets (the error handler stands in for Nest's). */
  async function statusOf(bodies: string[]): Promise<number[]> {
    const app = express();
    app.use(jsonBody(64 * 1024));
    app.post('/', (_request, response) => void response.status(201).end());
    app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
      response.status(error instanceof ValidationError ? 422 : 500).end();
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const statuses: number[] = [];
      for (const body of bodies) {
        const response = await fetch(`http://127.0.0.1:${port}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        statuses.push(response.status);
      }
      return statuses;
    } finally {
      server.close();
    }
  }

  it('walks the parsed body only when its text holds a \\u escape, which alone can bring NUL or a lone surrogate', async () => {
    expect(
      await statusOf([
        '{"title":"Lammy in Delhi 🇮🇳","n":[1,{"a":null}]}',
        '{"title":"a\\u0000b"}',
        '{"place":"x\\uD800"}',
        '{"bad\\u0000key":1}',
        '{"title":"paired \\ud83d\\ude00 and \\u00e9"}',
        '{"title":"an escaped backslash then u: \\\\u0000"}',
      ]),
    ).toEqual([201, 422, 422, 422, 201, 201]);
  });
});
