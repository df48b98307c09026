import { describe, expect, it } from 'vitest';
import {
  AppendRequestSchema,
  applyMergePatch,
  canonicalJson,
  NewEventSchema,
  OccurredAtSchema,
  safeParseWith,
  validateEventData,
  validTimeBounds,
} from '../src/index.js';

const meeting = { title: 'Talks', participants: ['S Jaishankar', 'David Lammy'] };
const newEvent = {
  type: 'MeetingHeld',
  occurredAt: { start: '2024-07-24', precision: 'day' },
  data: meeting,
};

const paths = (result: { ok: boolean; issues?: { path: string }[] }) =>
  result.ok ? [] : result.issues!.map((i) => i.path);

describe('envelope validation names the failing path', () => {
  it('accepts a well-formed new event', () => {
    expect(safeParseWith(NewEventSchema, newEvent).ok).toBe(true);
  });

  it('accepts only http: and https: source URLs, naming metadata.sources.N.url', () => {
    const withUrl = (url: string) => ({
      ...newEvent,
      metadata: {
        sources: [
          { publisher: 'P', title: 'T', quote: 'Q' },
          { publisher: 'P', title: 'T', quote: 'Q', url },
        ],
      },
    });
    expect(safeParseWith(NewEventSchema, withUrl('https://www.gov.uk/a?b=1')).ok).toBe(true);
    expect(safeParseWith(NewEventSchema, withUrl('http://example.org')).ok).toBe(true);
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,<script>x</script>',
      'JavaScript:alert(1)',
      'ftp://x.example/f',
      'file:///etc/passwd',
    ]) {
      const result = safeParseWith(NewEventSchema, withUrl(url));
      expect(paths(result), url).toEqual(['metadata.sources.1.url']);
    }
  });

  it('rejects a start that does not match its precision: occurredAt.start', () => {
    const result = safeParseWith(NewEventSchema, {
      ...newEvent,
      occurredAt: { start: '2024-7-24', precision: 'day' },
    });
    expect(paths(result)).toEqual(['occurredAt.start']);
  });

  it('rejects a day precision given a year, and a year precision given a day', () => {
    expect(paths(safeParseWith(OccurredAtSchema, { start: '2021', precision: 'day' }))).toEqual(['start']);
    expect(paths(safeParseWith(OccurredAtSchema, { start: '2021-01-01', precision: 'year' }))).toEqual([
      'start',
    ]);
  });

  it('rejects a day that is not in the calendar', () => {
    expect(paths(safeParseWith(OccurredAtSchema, { start: '2024-02-30', precision: 'day' }))).toEqual([
      'start',
    ]);
    expect(paths(safeParseWith(OccurredAtSchema, { start: '2023-02-29', precision: 'day' }))).toEqual([
      'start',
    ]);
    expect(safeParseWith(OccurredAtSchema, { start: '2024-02-29', precision: 'day' }).ok).toBe(true);
  });

  it('rejects an end before the start: occurredAt.end', () => {
    const result = safeParseWith(NewEventSchema, {
      ...newEvent,
      occurredAt: { start: '2024-07', end: '2024-06', precision: 'month' },
    });
    expect(paths(result)).toEqual(['occurredAt.end']);
  });

  it('rejects a minute without an offset', () => {
    expect(
      paths(safeParseWith(OccurredAtSchema, { start: '2024-07-24T09:30', precision: 'minute' })),
    ).toEqual(['start']);
    expect(safeParseWith(OccurredAtSchema, { start: '2024-07-24T09:30+05:30', precision: 'minute' }).ok).toBe(
      true,
    );
  });

  it('rejects an unknown precision and an unknown envelope field', () => {
    expect(paths(safeParseWith(OccurredAtSchema, { start: '2024', precision: 'decade' }))).toEqual([
      'precision',
    ]);
    const result = safeParseWith(NewEventSchema, { ...newEvent, streamVersion: 3 });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.issues[0]?.message).toMatch(/streamVersion/);
  });

  it('prefixes paths inside an append request', () => {
    const result = safeParseWith(AppendRequestSchema, {
      events: [newEvent, { ...newEvent, type: 'meeting held' }],
    });
    expect(paths(result)).toEqual(['events.1.type']);
  });
});

describe('catalog validation names the failing path', () => {
  it('accepts valid data and applies defaults', () => {
    const result = validateEventData('MeetingHeld', 1, meeting);
    expect(result).toEqual({
      ok: true,
      value: { ...meeting, actors: [], pillars: [], format: 'talks', topics: [] },
    });
  });

  it('rejects a missing title: data.title', () => {
    expect(paths(validateEventData('MeetingHeld', 1, { participants: ['David Lammy'] }))).toEqual([
      'data.title',
    ]);
  });

  it('rejects a blank title, since titles are trimmed', () => {
    expect(paths(validateEventData('MeetingHeld', 1, { ...meeting, title: '   ' }))).toEqual(['data.title']);
  });

  it('rejects an unknown type: type', () => {
    expect(paths(validateEventData('MeetingCancelled', 1, meeting))).toEqual(['type']);
  });

  it('rejects an unknown schema version: schemaVersion', () => {
    const result = validateEventData('MeetingHeld', 7, meeting);
    expect(paths(result)).toEqual(['schemaVersion']);
    expect(result.ok ? '' : result.issues[0]?.message).toMatch(/known: 1/);
  });

  it('rejects an unknown field, naming it', () => {
    const result = validateEventData('MeetingHeld', 1, { ...meeting, venue: 'Hyderabad House' });
    expect(paths(result)).toEqual(['data']);
    expect(result.ok ? '' : result.issues[0]?.message).toMatch(/venue/);
  });

  it('rejects a pillar outside the closed list: data.pillars.0', () => {
    expect(paths(validateEventData('MeetingHeld', 1, { ...meeting, pillars: ['space'] }))).toEqual([
      'data.pillars.0',
    ]);
  });

  it('puts a caller prefix in front of the path', () => {
    expect(paths(validateEventData('MeetingHeld', 1, { participants: ['x'] }, ['events', 2]))).toEqual([
      'events.2.data.title',
    ]);
  });

  it('needs a patch or an occurredAt in a correction', () => {
    const result = validateEventData('EventCorrected', 1, {
      correctedEventId: '8fc42fa1-c8a2-4720-9906-446872d4462a',
      reason: 'typo',
    });
    expect(paths(result)).toEqual(['data.patch']);
  });
});

describe('validTimeBounds honours precision', () => {
  // Date-only ISO strings parse as UTC midnight.
  const utc = (iso: string) => Date.parse(iso);

  it.each([
    ['a whole year', { start: '2021', precision: 'year' }, '2021-01-01', '2022-01-01'],
    ['a whole month', { start: '2024-07', precision: 'month' }, '2024-07-01', '2024-08-01'],
    ['December to the new year', { start: '2024-12', precision: 'month' }, '2024-12-01', '2025-01-01'],
    ['a whole day', { start: '2024-07-24', precision: 'day' }, '2024-07-24', '2024-07-25'],
    [
      'one minute (offset honoured)',
      { start: '2024-07-24T09:30+05:30', precision: 'minute' },
      '2024-07-24T04:00Z',
      '2024-07-24T04:01Z',
    ],
    [
      'a range to its last period',
      { start: '2021', end: '2030', precision: 'year' },
      '2021-01-01',
      '2031-01-01',
    ],
  ] as const)('covers %s', (_name, at, start, end) => {
    expect(validTimeBounds(at)).toEqual({ startMs: utc(start), endMs: utc(end) });
  });
});

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { type: 'X', data: { b: 1, a: [{ y: 2, x: 1 }] }, metadata: { sources: [] } };
    const b = { metadata: { sources: [] }, data: { a: [{ x: 1, y: 2 }], b: 1 }, type: 'X' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe(
      '{"data":{"a":[{"x":1,"y":2}],"b":1},"metadata":{"sources":[]},"type":"X"}',
    );
  });

  it('keeps array order, which is meaningful', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('drops undefined fields as JSON does, and distinguishes values', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson(null)).toBe('null');
  });
});

describe('applyMergePatch follows RFC 7396', () => {
  // The examples of RFC 7396, appendix A.
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];

  it.each(cases)('%j patched with %j is %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('never mutates the target', () => {
    const target = { title: 'a', nested: { keep: 1, drop: 2 } };
    applyMergePatch(target, { title: 'b', nested: { drop: null } });
    expect(target).toEqual({ title: 'a', nested: { keep: 1, drop: 2 } });
  });
});
