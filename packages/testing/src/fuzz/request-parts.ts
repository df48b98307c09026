import { NASTY_STRINGS } from './values.js';
import type { Prng } from './prng.js';

/** Fuzz building blocks for the rest of a request: path segments, query strings, headers. */

/** encodeURIComponent, except that a lone surrogate becomes its (invalid) UTF-8 bytes instead of throwing. */
export function uriEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text
      .replace(/[\uD800-\uDFFF]/g, '%ED%A0%80')
      .replace(/[^A-Za-z0-9%_.~-]/g, (c) => encodeURIComponent(c));
  }
}

export const enc = (text: string) => Buffer.from(text, 'utf8');
export const json = (value: unknown) => enc(JSON.stringify(value) ?? 'null');

export function streamSegment(r: Prng): string {
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

/** An event id for a path: one of `knownIds` (events the store holds), a random uuid, or nonsense. */
export function targetId(r: Prng, knownIds: readonly string[]): string {
  switch (knownIds.length > 0 ? r.int(4) : 1 + r.int(3)) {
    case 0:
      return r.pick(knownIds);
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
export function uuidFrom(r: Prng): string {
  const hex = r.bytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function queryString(r: Prng, keys: readonly string[]): string {
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

export function headersFor(r: Prng, token: string, json = true): Record<string, string> {
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
