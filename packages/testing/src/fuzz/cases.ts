import { enc, headersFor, json, queryString, streamSegment, targetId, uriEncode } from './request-parts.js';
import { baseEvent, mutate, NASTY_STRINGS, weirdValue } from './values.js';
import type { Prng } from './prng.js';

/** One malformed (or, by chance, valid) request. `body` is raw bytes, sent as they are. */
export interface FuzzCase {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/**
 * The deterministic list of fuzz cases for one seed. `knownEventIds` are events the store holds (the
 * seed's), so that some corrections and retractions reach a real target.
 */
export function fuzzCases(
  r: Prng,
  count: number,
  token: string,
  knownEventIds: readonly string[] = [],
): FuzzCase[] {
  const cases: FuzzCase[] = [];
  while (cases.length < count) {
    const choice = r.int(20);
    const streamPath = `/api/streams/${streamSegment(r)}/events`;
    if (choice < 7) {
      // A valid append, broken in one to three places.
      const request: Record<string, unknown> = { events: [baseEvent(r)] };
      if (r.chance(0.3)) request.expectedVersion = r.pick(['no_stream', 'any', 0, 3]);
      mutate(r, request);
      cases.push({
        kind: 'mutated-append',
        method: 'POST',
        path: r.chance(0.7) ? `/api/streams/fuzz-${r.int(1e9)}/events` : streamPath,
        headers: headersFor(r, token),
        body: json(request),
      });
    } else if (choice < 9) {
      // Bytes that are not JSON, or not UTF-8, or cut short.
      const valid = JSON.stringify({ events: [baseEvent(r)] });
      let body: Buffer;
      switch (r.int(5)) {
        case 0:
          body = enc(valid.slice(0, r.int(valid.length)));
          break;
        case 1: {
          const at = r.int(valid.length);
          body = Buffer.concat([
            enc(valid.slice(0, at)),
            r.bytes(r.between(1, 8)).map((b) => b | 0x80),
            enc(valid.slice(at)),
          ]);
          break;
        }
        case 2:
          body = r.bytes(r.between(1, 3000));
          break;
        case 3:
          body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), enc(valid)]);
          break;
        default:
          body = enc(
            r.pick([
              '',
              'null',
              '"events"',
              '[]',
              '42',
              'true',
              '{',
              '}',
              '{"events":[]}',
              '{"events":null}',
              '{"events":[{}]}',
              `{"events":[${'1,'.repeat(2000)}1]}`,
            ]),
          );
      }
      cases.push({
        kind: 'raw-bytes',
        method: 'POST',
        path: streamPath,
        headers: headersFor(r, token),
        body,
      });
    } else if (choice < 10) {
      // Deep nesting and huge bodies.
      const depth = r.pick([40, 1000, 100_000]);
      const body = r.chance(0.5)
        ? enc(
            `{"events":[{"type":"MeetingHeld","occurredAt":{"start":"2024","precision":"year"},"data":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]}`,
          )
        : r.chance(0.5)
          ? enc('['.repeat(depth) + ']'.repeat(depth))
          : enc(
              JSON.stringify({
                events: [{ ...baseEvent(r), data: { title: 'x'.repeat(r.pick([100_000, 1_100_000])) } }],
              }),
            );
      cases.push({
        kind: 'deep-or-huge',
        method: 'POST',
        path: streamPath,
        headers: headersFor(r, token),
        body,
      });
    } else if (choice < 11) {
      // The right JSON with the wrong framing: content types, charsets, encodings.
      const headers = headersFor(r, token, false);
      const contentType = r.pick([
        'text/plain',
        'text/html',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'application/vnd.api+json',
        'application/json; charset=utf-8',
        ';;;',
        '',
      ]);
      if (contentType) headers['content-type'] = contentType;
      if (r.chance(0.4))
        headers['content-encoding'] = r.pick(['gzip', 'deflate', 'br', 'compress', 'identity', 'x-unknown']);
      cases.push({
        kind: 'framing',
        method: 'POST',
        path: streamPath,
        headers,
        body: r.chance(0.5) ? json({ events: [baseEvent(r)] }) : enc('events=1&x=<b>'),
      });
    } else if (choice < 13) {
      // Corrections and retractions, of seed events or of nothing.
      const correction = r.chance(0.5);
      const body: Record<string, unknown> = correction
        ? { patch: r.chance(0.5) ? { place: 'New Delhi' } : { title: weirdValue(r) }, reason: 'fuzz' }
        : { reason: r.chance(0.7) ? 'fuzz' : weirdValue(r) };
      if (r.chance(0.5)) mutate(r, body);
      const path = `/api/events/${targetId(r, knownEventIds)}/${correction ? 'corrections' : 'retraction'}`;
      cases.push({ kind: 'lineage', method: 'POST', path, headers: headersFor(r, token), body: json(body) });
    } else if (choice < 16) {
      // Reads with strange query strings and Accept headers, on every read route.
      const path = r.pick([
        `/api/events${queryString(r, ['after', 'limit', 'types', 'streams', 'asOf'])}`,
        `/api/events${queryString(r, ['after', 'limit', 'types', 'streams', 'asOf'])}`,
        `/api/streams/${streamSegment(r)}${queryString(r, ['fromVersion', 'limit'])}`,
        `/api/timeline${queryString(r, ['from', 'to', 'pillars', 'actors', 'types', 'streams', 'q', 'asOf', 'includeRetracted'])}`,
        `/api/replay${queryString(r, ['mode', 'after', 'until', 'streams', 'types', 'pillars', 'actors', 'from', 'to', 'asOf'])}`,
        `/api/stats${queryString(r, ['asOf', 'format'])}`,
        `/api/export${queryString(r, ['format', 'asOf', 'title'])}`,
        `/api/admin/rebuild/${r.pick([targetId(r, knownEventIds), 'x', '%00'])}`,
      ]);
      cases.push({
        kind: 'read',
        method: r.pick(['GET', 'GET', 'HEAD']),
        path,
        headers: headersFor(r, token, false),
      });
    } else {
      // Random paths and methods.
      const path = r.pick([
        `/api/${r.pick(['streams', 'events', 'health', 'docs', 'admin', '..', '%2e%2e', 'timeline'])}/${streamSegment(r)}/${r.pick(['', 'events', 'x', '%00'])}`,
        `/${r.pick(NASTY_STRINGS.map(uriEncode))}`,
        `/api/events/${targetId(r, knownEventIds)}`,
        '/api/streams/',
        '//api//events',
        `/api/health/${r.pick(['live', 'ready', 'dead', '%ff'])}`,
        `/api/docs/${r.pick(['openapi.json', '..%2f..%2fpackage.json', 'x'])}`,
        `/${'a/'.repeat(r.between(1, 2000))}`,
      ]);
      const method = r.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']);
      const withBody = method !== 'GET' && method !== 'HEAD' && r.chance(0.5);
      cases.push({
        kind: 'random-route',
        method,
        path,
        headers: headersFor(r, token, withBody),
        ...(withBody ? { body: json({ events: [baseEvent(r)] }) } : {}),
      });
    }
  }
  return cases;
}

/** Bytes straight onto a socket: broken request lines, oversized headers, lying lengths. */
export function rawSocketCases(): Array<{ kind: string; bytes: Buffer }> {
  const longHeader = `X-Long: ${'a'.repeat(20_000)}`;
  return [
    'GARBAGE\r\n\r\n',
    'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
    'GET /api/events HTTP/1.1\r\n\r\n',
    `GET /api/events HTTP/1.1\r\nHost: x\r\n${longHeader}\r\n\r\n`,
    'POST /api/streams/x/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'POST /api/streams/x/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZ\r\nxx\r\n0\r\n\r\n',
    'POST /api/streams/x/events HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    'POST /api/streams/x/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    'FOO /api/events HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET http://evil.example/api/events HTTP/1.1\r\nHost: evil.example\r\n\r\n',
    'GET /api/events\x00 HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/events HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n',
    'GET /api/events HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n',
    'GET /api/events?after=1 HTTP/1.0\r\n\r\n',
    `GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    'POST /api/streams/x/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    'POST /api/streams/x/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"e\r\n0\r\n\r\n',
    '\r\n\r\n\r\n',
  ].map((text, i) => ({ kind: `raw-socket-${i}`, bytes: Buffer.from(text, 'latin1') }));
}
