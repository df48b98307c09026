import { ValidationError } from '@timeline/shared-types';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { inspectJsonValue, jsonDepthExceeds, MAX_JSON_DEPTH, registerJsonBody } from './json-body.js';

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

describe('registerJsonBody', () => {
  /** The parsers on a real server: the status each body gets (the error handler stands in for Nest's). */
  async function statusOf(bodies: Array<{ body: string; type?: string }>): Promise<number[]> {
    const server = Fastify();
    registerJsonBody(server, 64 * 1024);
    server.post('/', async (_request, reply) => reply.code(201).send());
    server.setErrorHandler((error, _request, reply) =>
      reply
        .code(
          error instanceof ValidationError
            ? 422
            : ((error as { getStatus?: () => number }).getStatus?.() ?? 500),
        )
        .send(),
    );
    try {
      const statuses: number[] = [];
      for (const { body, type = 'application/json' } of bodies) {
        const response = await server.inject({
          method: 'POST',
          url: '/',
          headers: { 'content-type': type },
          body,
        });
        statuses.push(response.statusCode);
      }
      return statuses;
    } finally {
      await server.close();
    }
  }
  const json = (body: string) => ({ body });

  it('walks the parsed body only when its text holds a \\u escape, which alone can bring NUL or a lone surrogate', async () => {
    expect(
      await statusOf([
        json('{"title":"Lammy in Delhi 🇮🇳","n":[1,{"a":null}]}'),
        json('{"title":"a\\u0000b"}'),
        json('{"place":"x\\uD800"}'),
        json('{"bad\\u0000key":1}'),
        json('{"title":"paired \\ud83d\\ude00 and \\u00e9"}'),
        json('{"title":"an escaped backslash then u: \\\\u0000"}'),
      ]),
    ).toEqual([201, 422, 422, 422, 201, 201]);
  });

  it('takes JSON types only, in UTF-8, strict, within the limit', async () => {
    expect(
      await statusOf([
        { body: '{"a":1}', type: 'application/cloudevents+json; charset=utf-8' },
        { body: '{"a":1}', type: 'text/plain' },
        { body: '{"a":1}', type: 'application/json; charset=latin1' },
        json('"a string"'),
        json('{"a":'),
        json(`{"a":"${'x'.repeat(70 * 1024)}"}`),
      ]),
    ).toEqual([201, 415, 415, 400, 400, 413]);
  });
});
