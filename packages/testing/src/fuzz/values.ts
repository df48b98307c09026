import type { Prng } from './prng.js';

/** Fuzz building blocks for JSON bodies: nasty strings, odd values, and mutations of a valid request. */

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

export const EVENT_TYPES = [
  'MeetingHeld',
  'VisitStarted',
  'StatementIssued',
  'FundingCallAnnounced',
  'EventCorrected',
  'EventRetracted',
  'RoadmapAdopted',
];

export function baseEvent(r: Prng): Record<string, unknown> {
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

export function deep(r: Prng, depth: number): unknown {
  let value: unknown = r.pick(['leaf', 1, null]);
  for (let i = 0; i < depth; i++)
    value = r.chance(0.5) ? [value] : { [r.pick(['a', 'data', '__proto__', 'x'])]: value };
  return value;
}

export function weirdValue(r: Prng): unknown {
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
export function pathsOf(
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
export function setAt(root: unknown, path: Array<string | number>, value: unknown, remove = false): void {
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

export function mutate(r: Prng, request: Record<string, unknown>): void {
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
