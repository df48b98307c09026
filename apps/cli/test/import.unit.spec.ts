import { canonicalJson } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { detectFormat } from '../src/commands/import.js';
import { EXIT } from '../src/errors.js';
import { planBatches } from '../src/import/append-batches.js';
import { deterministicEventId, uuidV5 } from '../src/import/event-id.js';
import { validateJsonl } from '../src/import/jsonl.js';
import { plainText, validateTimelineJs } from '../src/import/timelinejs.js';
import { fakeFetch, json, memoryIo } from './support/memory-io.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const meeting = (title: string, extra: Record<string, unknown> = {}) => ({
  streamId: 'visit-lammy-delhi-2024',
  type: 'MeetingHeld',
  occurredAt: { start: '2024-07-24', precision: 'day' },
  data: { title, participants: ['David Lammy', 'S Jaishankar'] },
  ...extra,
});

const jsonl = (...records: unknown[]) =>
  records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

describe('the JSONL import validator', () => {
  it('accepts a good file whole, deriving stable ids for lines without one', () => {
    const result = validateJsonl(
      jsonl(
        meeting('Talks'),
        '',
        meeting('Call on Modi', { eventId: '0b6a3f52-8f1e-4c55-9a43-2b7f0d5c9e11' }),
      ),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events.map((e) => e.line)).toEqual([1, 3]);
    expect(result.events[1]!.event.eventId).toBe('0b6a3f52-8f1e-4c55-9a43-2b7f0d5c9e11');
    // Same content, other key order and spacing: the same id.
    const reordered = `{ "data": {"participants": ["David Lammy", "S Jaishankar"], "title": "Talks"}, "occurredAt": {"precision":"day","start":"2024-07-24"}, "type": "MeetingHeld", "streamId": "visit-lammy-delhi-2024" }`;
    const again = validateJsonl(reordered);
    expect(again.ok && again.events[0]!.event.eventId).toBe(result.events[0]!.event.eventId);
    expect(result.events[0]!.event.eventId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('names every bad line by number and failing path', () => {
    const result = validateJsonl(
      jsonl(
        meeting('Fine'),
        meeting('No participants', { data: { title: 'No participants' } }),
        '{"type": "MeetingHeld", oops}',
        meeting('Bad date', { occurredAt: { start: '2024-02-31', precision: 'day' } }),
        meeting('Unknown type', { type: 'MeetingHappened' }),
        meeting('Extra field', { colour: 'red' }),
        '[1, 2]',
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byLine = result.problems.map((p) => `${p.line} ${p.path}`);
    expect(byLine).toEqual(
      expect.arrayContaining([
        '2 data.participants',
        '3 (line)',
        '4 occurredAt.start',
        '5 type',
        '6 (line)',
        '7 (line)',
      ]),
    );
    expect(result.problems.find((p) => p.line === 6)!.message).toMatch(/colour/);
    expect(result.problems.some((p) => p.line === 1)).toBe(false);
  });

  it('needs a stream for every line, from the line or --stream, and refuses an id used twice', () => {
    const { streamId: _s, ...streamless } = meeting('Talks');
    const missing = validateJsonl(jsonl(streamless));
    expect(!missing.ok && missing.problems[0]).toMatchObject({ line: 1, path: 'streamId' });
    const given = validateJsonl(jsonl(streamless), { defaultStream: 'from-flag' });
    expect(given.ok && given.events[0]!.streamId).toBe('from-flag');
    const twice = validateJsonl(jsonl(meeting('Same'), meeting('Same')));
    expect(!twice.ok && twice.problems[0]).toMatchObject({ line: 2, path: 'eventId' });
  });

  it('a file with one bad line writes nothing and exits 2 naming the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timeline-cli-'));
    await writeFile(
      join(dir, 'events.jsonl'),
      jsonl(
        meeting('One'),
        meeting('Two'),
        meeting('Three', { occurredAt: { start: '24 July', precision: 'day' } }),
      ),
    );
    const io = memoryIo({ cwd: dir });
    const api = fakeFetch(() => json(201, {}));
    expect(await runCli(['import', 'events.jsonl'], io, { fetch: api.fetch })).toBe(EXIT.validation);
    expect(api.calls).toHaveLength(0);
    expect(io.err()).toMatch(/line 3: occurredAt\.start: must match precision 'day'/);
    expect(io.err()).toMatch(/nothing was imported/);
  });
});

describe('deterministic ids and batches', () => {
  it('is RFC 9562 UUID v5 (the RFC example: www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(deterministicEventId({ a: 1, eventId: 'ignored' }, 's')).toBe(
      uuidV5(canonicalJson({ a: 1, streamId: 's' })),
    );
  });

  it('cuts each stream into the same batches every time (at most 1,000 events)', () => {
    const events = Array.from({ length: 2500 }, (_, i) => ({
      line: i + 1,
      streamId: i % 2 === 0 ? 'even' : 'odd',
      event: { eventId: String(i), type: 'MeetingHeld', occurredAt: {}, data: { title: `t${i}` } },
    }));
    const batches = planBatches(events);
    expect(batches.map((b) => `${b.streamId}:${b.events.length}`)).toEqual([
      'even:1000',
      'even:250',
      'odd:1000',
      'odd:250',
    ]);
    expect(planBatches(events)).toEqual(batches);
    expect(batches[0]!.events[1]!.line).toBe(3);
  });
});

describe('TimelineJS import', () => {
  const doc = {
    title: { text: { headline: 'India &amp; UK' } },
    events: [
      {
        start_date: { year: '2021' },
        text: { headline: 'Roadmap 2030', text: '<p>Adopted in <b>2021</b>.</p>' },
        unique_id: 'roadmap',
      },
      { start_date: { year: 2024, month: 7, day: 24, hour: 9, minute: 30 }, text: { headline: 'Talks' } },
      {
        start_date: { year: 2024, month: 7 },
        end_date: { year: 2024, month: 7, day: 26 },
        text: { text: 'Only text' },
      },
    ],
  };
  const options = {
    streamId: 'imported',
    type: 'CooperationDiscussed',
    extraData: { area: 'technology security' },
    fileName: 'tl.json',
  };

  it('maps slides to events of the given type, dates at their precision, text as plain text', () => {
    const result = validateTimelineJs(doc, options);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [roadmap, talks, period] = result.events.map((e) => e.event);
    expect(roadmap).toMatchObject({
      type: 'CooperationDiscussed',
      occurredAt: { start: '2021', precision: 'year' },
      data: { title: 'Roadmap 2030', summary: 'Adopted in 2021.', area: 'technology security' },
      metadata: {
        sources: [{ publisher: 'TimelineJS file tl.json', title: 'India & UK', quote: 'Adopted in 2021.' }],
      },
    });
    expect(roadmap!.eventId).toBe(uuidV5('timelinejs:imported:roadmap'));
    expect(talks!.occurredAt).toMatchObject({ start: '2024-07-24T09:30Z', precision: 'minute' });
    expect(period!.occurredAt).toMatchObject({ start: '2024-07', end: '2024-07', precision: 'month' });
    expect(period!.data.title).toBe('Only text');
  });

  it('reports a slide that does not fit the type by its number and path', () => {
    const result = validateTimelineJs(doc, { ...options, extraData: {} });
    expect(!result.ok && result.problems.map((p) => `${p.line} ${p.path}`)).toEqual([
      '1 events.0 → data.area',
      '2 events.1 → data.area',
      '3 events.2 → data.area',
    ]);
    const broken = validateTimelineJs({ events: [{ start_date: { month: 7 } }] }, options);
    expect(!broken.ok && broken.problems[0]).toMatchObject({ line: 1, path: 'events.0.start_date.year' });
  });

  it('strips markup and decodes entities, and tells the formats apart', () => {
    expect(plainText('<p>A &lt;b&gt; &#x41;&#66; &amp;</p><p>next</p>')).toBe('A <b> AB & next');
    expect(plainText('<script>x</script>')).toBe('x');
    expect(detectFormat('a.jsonl', '{"events":[]}')).toBe('jsonl');
    expect(detectFormat('a.json', '')).toBe('timelinejs');
    expect(detectFormat('a.txt', '{"title":{}, "events": [ ]}')).toBe('timelinejs');
  });
});
