import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compareItems,
  currentSchemaVersion,
  type DomainEventEnvelope,
  type EventType,
  foldTimeline,
  mapCsvWithMap,
  mapTimelineJs,
  mapTimelineJsSheet,
  parseCsvMap,
  readCsvTable,
  TIMELINEJS_SHEET_HEADER,
  type TimelineItem,
  timelineJsSheetRow,
  timelineJsSheetTitleRow,
  toTimelineJs,
  upcastEnvelope,
} from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { EXIT } from '../src/errors.js';
import { validateMapped } from '../src/import/timelinejs.js';
import type { ImportEvent, ImportValidation } from '../src/import/validate-events.js';
import { fakeFetch, json, memoryIo } from './support/memory-io.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const read = (name: string) => readFile(join(fixtures, name), 'utf8');
const options = (fileName: string) => ({ streamId: 'harbour', fileName });

function events(validation: ImportValidation): ImportEvent['event'][] {
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return validation.events.map((e) => e.event);
}

const sourceOf = (event: ImportEvent['event']) =>
  (event.metadata as { sources: Record<string, unknown>[] }).sources[0]!;

/** The events as a log, folded the way the projector folds it. */
function fold(list: ImportEvent['event'][]): TimelineItem[] {
  const log = list.map((event, i) =>
    upcastEnvelope({
      ...event,
      streamId: 'harbour',
      streamVersion: i + 1,
      position: i + 1,
      schemaVersion: event.schemaVersion ?? currentSchemaVersion(event.type as EventType),
      recordedAt: '2026-12-02T10:00:00Z',
      metadata: { sources: [], ...(event.metadata as object) },
    } as never),
  ) as DomainEventEnvelope[];
  return [...foldTimeline(log).values()];
}

/** What a reader sees of an item: kind, title, when, group. */
const seen = (items: TimelineItem[]) =>
  items
    .map((i) => ({
      era: i.type === 'EraMarked',
      title: i.title,
      occurredAt: { start: i.occurredAt.start, end: i.occurredAt.end, precision: i.occurredAt.precision },
      group: (i.data as { group?: string }).group,
      pillars: i.pillars,
    }))
    .sort((a, b) => a.title.localeCompare(b.title));

describe('TimelineJS JSON as the tool writes it', () => {
  it('imports media-only slides, eras, the title, seconds, display dates, BCE years and empty strings', async () => {
    const validation = validateMapped(
      mapTimelineJs(JSON.parse(await read('harbour-history.timelinejs.json')), options('h.json')),
    );
    expect(validation.ok && validation.title).toBe('The Harbour Town: a history');
    const list = events(validation);
    expect(list).toHaveLength(8);
    const byTitle = new Map(list.map((e) => [e.data.title as string, e]));
    expect(byTitle.get('Ships beach on the shingle')).toMatchObject({
      type: 'FactNoted',
      occurredAt: { start: '-000055-08-26', precision: 'day' },
      data: { summary: 'The first recorded landing & a storm.' },
    });
    expect(byTitle.get('The new jetty, looking east')).toMatchObject({
      data: {
        group: 'Harbour works',
        inferred: { title: 'The slide has no headline or text: the title is its media caption.' },
      },
      metadata: { sources: [{ url: 'https://example.org/pictures/jetty-1851.jpg' }] },
    });
    expect(byTitle.get('Photo: A. Smith')!.data.inferred).toEqual({
      title: 'The slide has no headline or text: the title is its media credit.',
    });
    expect(byTitle.get('https://example.org/pictures/lighthouse.jpg')!.occurredAt).toEqual({
      start: '1853-02',
      precision: 'month',
    });
    const mast = byTitle.get('Radio mast picks up the landing broadcast')!;
    expect(mast.occurredAt).toEqual({
      start: '1969-07-20T20:17:40Z',
      precision: 'minute',
      derivation:
        'TimelineJS gives no time zone: the time is taken as UTC. Shown in TimelineJS as "The evening of 20 July 1969".',
    });
    expect(mast.data.pillars).toEqual(['telecom']);
    expect(byTitle.get('Roman anchorage')).toMatchObject({
      type: 'EraMarked',
      occurredAt: { start: '-000120', end: '0410', precision: 'year' },
    });
    expect(byTitle.get('Era 2')).toMatchObject({
      type: 'EraMarked',
      occurredAt: { start: '1850', end: '1914' },
    });
    // The title slide is the source's title, not an event.
    expect(list.every((e) => sourceOf(e).title === 'The Harbour Town: a history')).toBe(true);
    // The items fold (the BCE dates included) the way the projector folds them.
    expect(
      fold(list)
        .sort(compareItems)
        .map((i) => i.title)[0],
    ).toBe('Roman anchorage');
  });

  it('reports one bad slide with its number and reason; --skip-invalid leaves it out and counts it', async () => {
    const doc = JSON.parse(await read('harbour-history.timelinejs.json'));
    doc.events[2].media = { url: '', caption: '', credit: '' };
    doc.events[4].start_date.month = 13;
    const refused = validateMapped(mapTimelineJs(doc, options('h.json')));
    expect(!refused.ok && refused.problems.map((p) => `${p.unit} ${p.line} ${p.path}`)).toEqual([
      'slide 3 events.2.text.headline',
      'slide 5 events.4.start_date.month',
    ]);
    const skipped = validateMapped(mapTimelineJs(doc, options('h.json')), { skipInvalid: true });
    expect(skipped.ok && skipped.events).toHaveLength(6);
    expect(skipped.ok && skipped.skipped?.length).toBe(2);
  });

  it('the CLI imports nothing on a bad slide unless told to skip it', async () => {
    const io = memoryIo({ cwd: fixtures });
    const api = fakeFetch(() => json(201, {}));
    const bad = JSON.parse(await read('harbour-history.timelinejs.json'));
    bad.events[0].start_date.day = '31';
    bad.events[0].start_date.month = '2';
    const file = join(tmpdir(), `timelinejs-bad-${process.pid}.json`);
    await writeFile(file, JSON.stringify(bad));
    expect(await runCli(['import', file, '--stream', 'harbour'], io, { fetch: api.fetch })).toBe(
      EXIT.validation,
    );
    expect(api.calls).toHaveLength(0);
    expect(io.err()).toMatch(/slide 1: events\.0\.start_date\.day: is not a day of -55-2/);
    expect(io.err()).toMatch(/--skip-invalid/);
  });
});

describe('the TimelineJS spreadsheet and other CSV', () => {
  it('reads the template in any column order, with BOM, CRLF, quotes, commas and line breaks', async () => {
    const mapped = mapTimelineJsSheet(readCsvTable(await read('harbour-sheet.csv')), options('h.csv'));
    const validation = validateMapped(mapped);
    expect(validation.ok && validation.title).toBe('The Harbour Town');
    const list = events(validation);
    expect(list.map((e) => [e.type, e.data.title, e.occurredAt])).toEqual([
      ['EraMarked', 'Roman anchorage', { start: '-000120', end: '0410', precision: 'year' }],
      ['FactNoted', 'Ships beach on the shingle', { start: '-000055-08-26', precision: 'day' }],
      ['FactNoted', 'The new jetty, looking east', { start: '1851-05-01', precision: 'day' }],
      [
        'FactNoted',
        'Radio mast picks up the broadcast',
        {
          start: '1969-07-20T20:17:40Z',
          precision: 'minute',
          derivation:
            'TimelineJS gives no time zone: the time is taken as UTC. Shown in TimelineJS as "The evening of 20 July 1969".',
        },
      ],
      [
        'FactNoted',
        'Container quay built',
        {
          start: '1990-03-01T09:30Z',
          end: '1991-06-30T17:00Z',
          precision: 'minute',
          derivation: 'TimelineJS gives no time zone: the time is taken as UTC.',
        },
      ],
    ]);
    expect(list[1]!.data.summary).toBe('The first landing, and a storm.');
    expect(list[2]!.data).toMatchObject({ group: 'Harbour works', inferred: { title: expect.any(String) } });
    expect(list[4]!.data.summary).toBe('She said: "two phases"');
    expect(sourceOf(list[0]!)).toMatchObject({
      publisher: 'TimelineJS spreadsheet h.csv',
      title: 'The Harbour Town',
    });
  });

  it('names a bad row by its spreadsheet number and column', async () => {
    const text = (await read('harbour-sheet.csv')).replace('8:17:40 PM', '25:99');
    const validation = validateMapped(mapTimelineJsSheet(readCsvTable(text), options('h.csv')));
    expect(!validation.ok && validation.problems.map((p) => `${p.unit} ${p.line} ${p.path}`)).toEqual([
      'row 6 Time',
    ]);
  });

  it('maps a CSV of any shape with --map', async () => {
    const parsed = parseCsvMap('title=Vessel,start=Date,quote=What happened,url=Link');
    if ('error' in parsed) throw new Error(parsed.error);
    const mapped = mapCsvWithMap(readCsvTable(await read('shipping-log.csv')), parsed.map, options('s.csv'));
    expect(mapped.problems.map((p) => `${p.line} ${p.path}`)).toEqual(['4 Date']);
    expect(mapped.records.map((r) => [r.record.data.title, r.record.occurredAt.start])).toEqual([
      ['SS Example', '1901-03-04'],
      ['SS Other', '1901-03-05T14:30Z'],
    ]);
    expect(mapped.records[0]!.record.metadata.sources[0]).toMatchObject({
      quote: 'Arrived with coal, "late"',
      url: 'https://example.org/log/1',
    });
    expect(parseCsvMap('title=A,colour=B')).toEqual({
      error: expect.stringMatching(/unknown field 'colour'/),
    });
    expect(parseCsvMap('title=A')).toEqual({ error: 'title and start must be mapped' });
  });

  it('asks for --map when a CSV is not the template', async () => {
    const io = memoryIo({ cwd: fixtures });
    const api = fakeFetch(() => json(201, {}));
    expect(await runCli(['import', 'shipping-log.csv', '--stream', 's'], io, { fetch: api.fetch })).toBe(
      EXIT.usage,
    );
    expect(io.err()).toMatch(/--map title=Headline,start=Date/);
  });
});

describe('round trip', () => {
  it('an export as TimelineJS JSON or as the spreadsheet imports back to the same timeline', async () => {
    const original = fold(
      events(
        validateMapped(
          mapTimelineJs(JSON.parse(await read('harbour-history.timelinejs.json')), options('h.json')),
        ),
      ),
    );
    const asJson = JSON.parse(JSON.stringify(toTimelineJs(original, 'The Harbour Town: a history')));
    expect(asJson.events).toHaveLength(6);
    expect(asJson.eras).toHaveLength(2);
    const fromJson = validateMapped(mapTimelineJs(asJson, options('export.json')));
    expect(fromJson.ok && fromJson.title).toBe('The Harbour Town: a history');
    expect(seen(fold(events(fromJson)))).toEqual(seen(original));

    const sheet =
      TIMELINEJS_SHEET_HEADER +
      timelineJsSheetTitleRow('The Harbour Town') +
      original.map(timelineJsSheetRow).join('');
    const fromSheet = validateMapped(mapTimelineJsSheet(readCsvTable(sheet), options('export.csv')));
    expect(fromSheet.ok && fromSheet.title).toBe('The Harbour Town');
    expect(seen(fold(events(fromSheet)))).toEqual(seen(original));
  });
});
