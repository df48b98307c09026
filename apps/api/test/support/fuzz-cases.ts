import { SEED_EVENTS } from '@timeline/shared-types/seed';
import type { Prng } from './prng.js';

/** One malformed (or, by chance, valid) request. `body` is raw bytes, sent as they are. */
export interface FuzzCase {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export const NASTY_STRINGS = [
  "'; DROP TABLE events; --",
  "1' OR '1'='1",
  "'); DELETE FROM streams; --",
  '<img src=x onerror=alert(1)>',
  '<script>alert(document.cookie)</script>',
  '"><svg onload=alert(1)>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell probe, literally
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\u202Egnp.exe',
  '🇮🇳🇬🇧',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '',
  ' ',
  '\r\n\r\nHTTP/1.1 200 OK',
  '\\',
  '\\u0000',
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '0x7fffffff',
];

const EVENT_TYPES = [
  'MeetingHeld',
  'VisitStarted',
  'StatementIssued',
  'FundingCallAnnounced',
  'EventCorrected',
  'EventRetracted',
  'RoadmapAdopted',
];

function baseEvent(r: Prng): Record<string, unknown> {
  switch (r.int(4)) {
    case 0:
      return {
        type: 'MeetingHeld',
        occurredAt: { start: '2024-07-24', precision: 'day' },
        data: { title: 'Talks in Delhi', participants: ['David Lammy', 'S Jaishankar'], format: 'talks' },
      };
    case 1:
      return {
        type: 'VisitStarted',
        occurredAt: { start: '2024-07-24T09:30+05:30', precision: 'minute' },
        data: { title: 'Lammy arrives', visitor: 'David Lammy', hostCountry: 'India', city: 'New Delhi' },
        metadata: { sources: [{ publisher: 'News', title: 'Report', quote: 'Lammy arrived this morning' }] },
      };
    case 2:
      return {
        type: 'FundingCallAnnounced',
        schemaVersion: 1,
        occurredAt: { start: '2024-07', precision: 'month' },
        data: { title: 'Call', amountGbp: 7_000_000, funders: ['UKRI'], topic: 'future telecoms' },
      };
    default:
      return {
        type: 'StatementIssued',
        occurredAt: { start: '2024', precision: 'year' },
        data: { title: 'A post on X', speaker: 'S Jaishankar', channel: 'social-post', text: 'Good talks' },
      };
  }
}

function deep(r: Prng, depth: number): unknown {
  let value: unknown = r.pick(['leaf', 1, null]);
  for (let i = 0; i < depth; i++)
    value = r.chance(0.5) ? [value] : { [r.pick(['a', 'data', '__proto__', 'x'])]: value };
  return value;
}

function weirdValue(r: Prng): unknown {
  switch (r.int(12)) {
    case 0:
      return null;
    case 1:
      return r.pick([true, false]);
    case 2:
      return r.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, -0, 2_147_483_648]);
    case 3:
    case 4:
      return r.pick(NASTY_STRINGS);
    case 5:
      return r.pick(NASTY_STRINGS).repeat(r.between(1, 20_000));
    case 6:
      return [];
    case 7:
      return {};
    case 8:
      return [r.pick(NASTY_STRINGS), r.int(100)];
    case 9:
      return deep(r, r.between(20, 300));
    case 10:
      return { [r.pick(NASTY_STRINGS)]: r.pick(NASTY_STRINGS) };
    default:
      return r.pick(['2024-02-30', '2024-13', '99999', '2024-07-24T25:00Z', 'yesterday', 'day', 'minute']);
  }
}

/** Every path into a JSON value, for picking one to break. */
function pathsOf(
  value: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return out;
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    pathsOf(child, path, out);
  }
  return out;
}

/** Sets (or removes) the value at `path`; a path an earlier mutation broke is left alone. */
function setAt(root: unknown, path: Array<string | number>, value: unknown, remove = false): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const child = node[key];
    if (child === null || typeof child !== 'object') return;
    node = child as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
}

function mutate(r: Prng, request: Record<string, unknown>): void {
  const mutations = r.between(1, 3);
  for (let i = 0; i < mutations; i++) {
    const paths = pathsOf(request);
    if (paths.length === 0) return;
    const path = r.pick(paths);
    switch (r.int(5)) {
      case 0:
      case 1:
        setAt(request, path, weirdValue(r));
        break;
      case 2:
        setAt(request, path, undefined, true);
        break;
      case 3: {
        const objects = paths.filter((p) => {
          let node: unknown = request;
          for (const key of p) node = (node as Record<string | number, unknown> | undefined)?.[key];
          return node !== null && typeof node === 'object' && !Array.isArray(node);
        });
        if (objects.length > 0)
          setAt(
            request,
            [...r.pick(objects), r.pick(['colour', 'isAdmin', "'; DROP TABLE events; --", 'sql'])],
            weirdValue(r),
          );
        break;
      }
      default:
        setAt(
          request,
          ['events', 0, 'type'],
          r.pick([...EVENT_TYPES, ...NASTY_STRINGS, 'teaServed', 'X'.repeat(200)]),
        );
    }
  }
}

/** encodeURIComponent, except that a lone surrogate becomes its (invalid) UTF-8 bytes instead of throwing. */
function uriEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text
      .replace(/[\uD800-\uDFFF]/g, '%ED%A0%80')
      .replace(/[^A-Za-z0-9%_.~-]/g, (c) => encodeURIComponent(c));
  }
}

const enc = (text: string) => Buffer.from(text, 'utf8');
const json = (value: unknown) => enc(JSON.stringify(value) ?? 'null');

function streamSegment(r: Prng): string {
  switch (r.int(6)) {
    case 0:
      return `fuzz-${r.int(1e9)}`;
    case 1:
      return uriEncode(r.pick(NASTY_STRINGS)) || 'x';
    case 2:
      return r.pick(['%', '%zz', '%E0%A4%A', '%00', '%2e%2e', '..', '.', '%2F', 'a%2Fb', '%C0%AF']);
    case 3:
      return 'a'.repeat(r.between(150, 5000));
    case 4:
      return r
        .pick(['-leading-dash', '_x', 'x y', 'x;y', "x'y", 'x"y', 'x<y>'])
        .replace(/[ "<>]/g, uriEncode);
    default:
      return `s${r.int(100)}:${r.int(100)}.v`;
  }
}

function targetId(r: Prng): string {
  switch (r.int(4)) {
    case 0:
      return r.pick(SEED_EVENTS).eventId;
    case 1:
      return uuidFrom(r);
    case 2:
      return uriEncode(r.pick(NASTY_STRINGS)) || 'x';
    default:
      return r.pick([
        'not-a-uuid',
        '00000000-0000-0000-0000-000000000000',
        'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
        '%',
        '123',
      ]);
  }
}

/** A version-4 UUID from the PRNG, so the run stays reproducible. */
function uuidFrom(r: Prng): string {
  const hex = r.bytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function queryString(r: Prng, keys: readonly string[]): string {
  const parts: string[] = [];
  const count = r.int(5);
  for (let i = 0; i < count; i++) {
    const key = r.chance(0.8)
      ? r.pick(keys)
      : r.pick(['colour', '__proto__', 'constructor[prototype]', "a'b", 'after[]', 'limit[x]']);
    const raw = r.pick([
      String(r.int(100)),
      String(-r.int(100)),
      '1e400',
      '9007199254740993',
      '0x10',
      r.pick(NASTY_STRINGS),
      'MeetingHeld,EventCorrected',
      `${'a,'.repeat(r.between(1, 2000))}`,
      '2024-08-01',
      '+275760-09-13T00:00:00Z',
      '1',
      'Tuesday',
      // Right shape, no such instant: each once reached a handler as an Invalid Date.
      '2024-13',
      '2024-00-10',
      '2024-07-32T10:00:00Z',
      'July 4 2024',
      'events',
      'timeline',
      'kafka',
      'csv',
    ]);
    parts.push(
      `${uriEncode(key)}=${r.chance(0.9) ? uriEncode(raw) : r.pick(['%', '%zz', '%00', raw.replace(/[^\x21-\x7e]/g, '')])}`,
    );
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function headersFor(r: Prng, token: string, json = true): Record<string, string> {
  const headers: Record<string, string> = {};
  if (json) headers['content-type'] = 'application/json';
  switch (r.int(8)) {
    case 0:
      break;
    case 1:
      headers.authorization = `Bearer ${r.pick(['wrong-token-0123456789', "'; DROP TABLE events; --", 'x'.repeat(5000), ''])}`;
      break;
    case 2:
      headers.authorization = r.pick([
        'Basic YWRtaW46YWRtaW4=',
        'Bearer',
        'bearer  ',
        token,
        `Bearer ${token}x`,
      ]);
      break;
    default:
      headers.authorization = `Bearer ${token}`;
  }
  if (r.chance(0.2))
    headers.accept = r.pick([
      'application/x-ndjson',
      'text/html',
      '*/*',
      'application/x-ndjson;q=0.1, application/json',
      'garbage',
    ]);
  if (r.chance(0.1)) headers['x-request-id'] = r.pick(['abc', 'x'.repeat(500), "'; DROP TABLE events; --"]);
  if (r.chance(0.1)) headers.origin = r.pick(['http://evil.example', 'null', 'http://allowed.example']);
  return headers;
}

/** The deterministic list of fuzz cases for one seed. */
export function fuzzCases(r: Prng, count: number, token: string): FuzzCase[] {
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
      const path = `/api/events/${targetId(r)}/${correction ? 'corrections' : 'retraction'}`;
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
        `/api/admin/rebuild/${r.pick([targetId(r), 'x', '%00'])}`,
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
        `/api/events/${targetId(r)}`,
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
