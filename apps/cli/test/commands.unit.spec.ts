import { EVENT_TYPES } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { applySet } from '../src/commands/correct.js';
import { EXIT } from '../src/errors.js';
import { fakeFetch, json, memoryIo } from './support/memory-io.js';

const EVENT_ID = '7f0c6a52-3d0e-4b8e-9a43-2b7f0d5c9e11';
const env = { TIMELINE_API_URL: 'http://127.0.0.1:3999', TIMELINE_TOKEN: 'write-token-0123456789' };
const appended = {
  streamId: 'visit',
  streamVersion: 2,
  events: [{ eventId: 'c', position: 9 }],
  duplicate: false,
};
/** A terminal without colour, so the text can be matched as read. */
const terminal = () => {
  const io = memoryIo({ env: { ...env, NO_COLOR: '1' } });
  Object.assign(io.stdout, { isTTY: true });
  return io;
};
const body = (init: RequestInit) => JSON.parse(init.body as string) as Record<string, unknown>;
const lines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const envelope = (position: number, type: string, data: Record<string, unknown>) => ({
  eventId: position === 3 ? EVENT_ID : `00000000-0000-4000-8000-00000000000${position}`,
  streamId: 'visit',
  streamVersion: position,
  position,
  type,
  schemaVersion: 1,
  occurredAt: { start: '2024-07-24', precision: 'day' },
  recordedAt: `2024-07-2${position}T10:00:00.000Z`,
  data,
  metadata: { sources: [{ publisher: 'FCDO', title: 'Visit', quote: 'We met.' }] },
});

describe('correct and retract', () => {
  it('sends a merge patch from --patch with each --set on top, and the reason', async () => {
    const io = memoryIo({ env });
    const api = fakeFetch(() => json(201, appended));
    const argv = ['correct', EVENT_ID, '--patch', '{"summary":null}', '--set', 'title=Talks in Delhi'];
    expect(
      await runCli([...argv, '--set', 'place.city="2024"', '--reason', 'typo'], io, { fetch: api.fetch }),
    ).toBe(EXIT.ok);
    expect(api.calls[0]!.url.pathname).toBe(`/api/events/${EVENT_ID}/corrections`);
    expect(api.calls[0]!.init.method).toBe('POST');
    expect(body(api.calls[0]!.init)).toEqual({
      reason: 'typo',
      patch: { summary: null, title: 'Talks in Delhi', place: { city: '2024' } },
    });
    expect(JSON.parse(io.out())).toEqual(appended);
    expect(io.err()).toMatch(/recorded at log position 9; see: timeline show/);
  });

  it('takes a corrected valid time, and refuses a correction that changes nothing', async () => {
    const api = fakeFetch(() => json(201, appended));
    const io = memoryIo({ env });
    expect(
      await runCli(['correct', EVENT_ID, '--occurred', '2024-07', '--reason', 'r'], io, { fetch: api.fetch }),
    ).toBe(EXIT.ok);
    expect(body(api.calls[0]!.init)).toEqual({
      reason: 'r',
      occurredAt: { start: '2024-07', precision: 'month' },
    });
    const nothing = memoryIo({ env });
    expect(await runCli(['correct', EVENT_ID, '--reason', 'r'], nothing, { fetch: api.fetch })).toBe(
      EXIT.usage,
    );
    expect(nothing.err()).toMatch(/--patch, --patch-file, --set or --occurred/);
    const both = memoryIo({ env });
    const argv = ['correct', EVENT_ID, '--patch', '{}', '--patch-file', 'p.json', '--reason', 'r'];
    expect(await runCli(argv, both, { fetch: api.fetch })).toBe(EXIT.usage);
    const notObject = memoryIo({ env });
    expect(await runCli(['correct', EVENT_ID, '--patch', '[1]', '--reason', 'r'], notObject)).toBe(
      EXIT.validation,
    );
    expect(api.calls).toHaveLength(1);
  });

  it('--set reads JSON values, else text, and refuses a path it cannot use', () => {
    const patch: Record<string, unknown> = { place: 'x' };
    applySet(patch, 'actors=["A","B"]');
    applySet(patch, 'place.city=New Delhi');
    applySet(patch, 'note=a=b');
    expect(patch).toEqual({ actors: ['A', 'B'], place: { city: 'New Delhi' }, note: 'a=b' });
    for (const bad of ['=1', 'title', 'a..b=1', '__proto__.x=1'])
      expect(() => applySet({}, bad)).toThrow(/--set/);
  });

  it('retract posts the reason; an already retracted event is a conflict (exit 3)', async () => {
    const io = memoryIo({ env });
    const api = fakeFetch(() => json(201, appended));
    expect(await runCli(['retract', EVENT_ID, '--reason', 'wrong'], io, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(api.calls[0]!.url.pathname).toBe(`/api/events/${EVENT_ID}/retraction`);
    expect(body(api.calls[0]!.init)).toEqual({ reason: 'wrong' });
    const again = memoryIo({ env });
    const refusing = fakeFetch(() => json(409, { error: 'Conflict', message: 'already retracted' }));
    expect(await runCli(['retract', EVENT_ID, '--reason', 'x'], again, { fetch: refusing.fetch })).toBe(
      EXIT.conflict,
    );
    expect(again.err()).toMatch(/conflict: already retracted/);
  });
});

describe('show', () => {
  const detail = {
    event: envelope(3, 'MeetingHeld', { title: 'Talks', participants: ['A', 'B'] }),
    corrections: [
      envelope(5, 'EventCorrected', {
        correctedEventId: EVENT_ID,
        patch: { title: 'Talks in Delhi' },
        reason: 'place',
      }),
    ],
    retraction: envelope(6, 'EventRetracted', { retractedEventId: EVENT_ID, reason: 'never happened' }),
    item: null,
  };

  it('prints the lineage as text on a terminal and the API answer as JSON when piped', async () => {
    const api = fakeFetch(() => json(200, detail));
    const tty = terminal();
    expect(await runCli(['show', EVENT_ID], tty, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(api.calls[0]!.url.pathname).toBe(`/api/events/${EVENT_ID}`);
    expect(tty.out()).toMatch(/^MeetingHeld v1 {2}#3 {2}stream visit v3/);
    expect(tty.out()).toMatch(
      /corrections \(1\)\n {2}#5 .* place\n {6}patch {5}\{"title":"Talks in Delhi"\}/,
    );
    expect(tty.out()).toMatch(/retracted {2}#6 .* never happened/);
    expect(tty.out()).toMatch(/FCDO, "Visit": We met\./);
    const piped = memoryIo({ env });
    expect(await runCli(['show', EVENT_ID], piped, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(JSON.parse(piped.out())).toEqual(detail);
    const json_ = terminal();
    expect(await runCli(['show', EVENT_ID, '--json'], json_, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(JSON.parse(json_.out())).toEqual(detail);
  });

  it('an unknown event is exit 1 with the API message', async () => {
    const io = memoryIo({ env });
    const api = fakeFetch(() => json(404, { error: 'Not Found', message: `no event ${EVENT_ID}` }));
    expect(await runCli(['show', EVENT_ID], io, { fetch: api.fetch })).toBe(EXIT.usage);
    expect(io.err()).toMatch(/not found: no event/);
    expect(io.err()).not.toMatch(/a Timeline API\?/);
  });
});

describe('streams', () => {
  const stream = (streamId: string) => ({
    streamId,
    version: 2,
    eventCount: 2,
    lastRecordedAt: '2024-07-24T10:00:00.000Z',
  });
  const pages = () =>
    fakeFetch((url) =>
      url.searchParams.get('after') === null
        ? json(200, { streams: [stream('a'), stream('b')], next: 'b' })
        : json(200, { streams: [stream('c')], next: null }),
    );

  it('follows the pages: NDJSON when piped, a table on a terminal', async () => {
    const piped = memoryIo({ env });
    const api = pages();
    expect(await runCli(['streams'], piped, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(api.calls.map((c) => c.url.searchParams.get('after'))).toEqual([null, 'b']);
    expect(lines(piped.out()).map((s) => s.streamId)).toEqual(['a', 'b', 'c']);
    const tty = terminal();
    expect(await runCli(['streams'], tty, { fetch: pages().fetch })).toBe(EXIT.ok);
    expect(tty.out().split('\n')[0]).toMatch(/^stream {2}version {2}events {2}last recorded$/);
    expect(tty.out()).toMatch(/\nc {7}2 {8}2 {7}2024-07-24T10:00:00.000Z\n$/);
  });
});

describe('types and schema, from the catalog without a server', () => {
  it('lists every type with its version and kind', async () => {
    const io = memoryIo();
    expect(await runCli(['types'], io)).toBe(EXIT.ok);
    const types = lines(io.out());
    expect(types.map((t) => t.type)).toEqual(EVENT_TYPES);
    expect(types.find((t) => t.type === 'FundingCallAnnounced')).toMatchObject({
      latestVersion: 2,
      kind: 'fact',
    });
    expect(types.find((t) => t.type === 'EventRetracted')).toMatchObject({ kind: 'lineage' });
    const tty = terminal();
    expect(await runCli(['types'], tty)).toBe(EXIT.ok);
    expect(tty.out()).toMatch(/^type +version +kind +description\n/);
  });

  it('prints the JSON Schema of a version, the current one by default', async () => {
    const current = memoryIo();
    expect(await runCli(['schema', 'FundingCallAnnounced'], current)).toBe(EXIT.ok);
    const first = memoryIo();
    expect(await runCli(['schema', 'FundingCallAnnounced', '--version', '1'], first)).toBe(EXIT.ok);
    expect(JSON.parse(current.out())).toMatchObject({ type: 'object' });
    expect(current.out()).not.toBe(first.out());
    const unknown = memoryIo();
    expect(await runCli(['schema', 'Nope'], unknown)).toBe(EXIT.usage);
    expect(unknown.err()).toMatch(/unknown event type 'Nope'\n.*MeetingHeld/);
    const noVersion = memoryIo();
    expect(await runCli(['schema', 'MeetingHeld', '--version', '7'], noVersion)).toBe(EXIT.usage);
    expect(noVersion.err()).toMatch(/MeetingHeld has no schema version 7\nversions: 1/);
  });
});

describe('dlq, against the contract', () => {
  const letter = {
    id: '0:17',
    partition: 0,
    offset: '17',
    reason: 'projection failed: boom',
    position: 42,
    eventId: EVENT_ID,
    type: 'MeetingHeld',
    streamId: 'visit',
    failedAt: '2024-07-24T10:00:00.000Z',
    redriven: false,
  };
  const dlqApi = () =>
    fakeFetch((url, init) => {
      if (url.pathname === '/api/admin/dlq') return json(200, { messages: [letter] });
      if (url.pathname === '/api/admin/dlq/0%3A17' || url.pathname === '/api/admin/dlq/0:17')
        return json(200, { ...letter, headers: { 'ce-type': 'MeetingHeld' }, value: '{"position":42}' });
      if (url.pathname.endsWith('/redrive') && init.method === 'POST')
        return url.pathname.includes('0%3A18') || url.pathname.includes('0:18')
          ? json(409, { error: 'Conflict', message: 'the event still fails: boom' })
          : json(202, { id: '0:17', position: 42 });
      return json(404, { error: 'Not Found', message: 'unknown dead letter' });
    });

  it('list: NDJSON when piped, a table on a terminal; --limit goes to the API', async () => {
    const api = dlqApi();
    const piped = memoryIo({ env });
    expect(await runCli(['dlq', 'list', '--limit', '5'], piped, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(api.calls[0]!.url.searchParams.get('limit')).toBe('5');
    expect(lines(piped.out())).toEqual([letter]);
    const tty = terminal();
    expect(await runCli(['dlq', 'list'], tty, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(tty.out()).toMatch(
      /^id +failed at +position +type +stream +redriven +reason\n0:17 .*#42 +MeetingHeld +visit +no +projection failed: boom\n$/,
    );
  });

  it('show prints headers and value; redrive posts and prints {id, position}; a refusal is exit 3', async () => {
    const api = dlqApi();
    const tty = terminal();
    expect(await runCli(['dlq', 'show', '0:17'], tty, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(tty.out()).toMatch(/dead letter 0:17[\s\S]*ce-type: MeetingHeld[\s\S]*\{"position":42\}/);
    const redrive = memoryIo({ env });
    expect(await runCli(['dlq', 'redrive', '0:17'], redrive, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(api.calls.at(-1)!.init.method).toBe('POST');
    expect(JSON.parse(redrive.out())).toEqual({ id: '0:17', position: 42 });
    const refused = memoryIo({ env });
    expect(await runCli(['dlq', 'redrive', '0:18'], refused, { fetch: api.fetch })).toBe(EXIT.conflict);
    expect(refused.err()).toMatch(/the event still fails: boom/);
    const unknown = memoryIo({ env });
    expect(await runCli(['dlq', 'show', '9:9'], unknown, { fetch: api.fetch })).toBe(EXIT.usage);
    expect(unknown.err()).toMatch(/unknown dead letter/);
  });
});
