import {
  csvField,
  csvRow,
  EXPORT_CSV_COLUMNS,
  EXPORT_CSV_HEADER,
  exportCsvRow,
  parseCsv,
  statsToCsv,
  type TimelineItem,
  timelineStats,
} from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { statsTable } from '../src/commands/stats.js';

const item = (overrides: Partial<TimelineItem> = {}): TimelineItem => ({
  id: '7f0c6a52-3d0e-4b8e-9a43-2b7f0d5c9e11',
  streamId: 'visit',
  streamVersion: 1,
  position: 4,
  type: 'MeetingHeld',
  schemaVersion: 1,
  title: 'Talks',
  actors: ['David Lammy', 'S Jaishankar'],
  pillars: ['telecom'],
  occurredAt: { start: '2024-07-24', precision: 'day' },
  recordedAt: '2024-07-24T10:00:00.000Z',
  data: { title: 'Talks' },
  sources: [],
  lineage: [
    {
      kind: 'recorded',
      eventId: '7f0c6a52-3d0e-4b8e-9a43-2b7f0d5c9e11',
      position: 4,
      recordedAt: '2024-07-24T10:00:00.000Z',
    },
  ],
  retracted: false,
  lastPosition: 4,
  ...overrides,
});

describe('CSV escaping (RFC 4180)', () => {
  // Formulas: a leading quote neutralises them (OWASP CSV injection); only the first character counts,
  // so text merely containing a starter is data.
  it.each<[string, unknown, string]>([
    ['plain text', 'plain', 'plain'],
    ['a comma', 'a,b', '"a,b"'],
    ['quotes, doubled', 'say "hi"', '"say ""hi"""'],
    ['a line feed', 'two\nlines', '"two\nlines"'],
    ['a carriage return', 'cr\rlf', '"cr\rlf"'],
    ['an edge space', ' padded', '" padded"'],
    ['nothing', undefined, ''],
    ['a number', 0, '0'],
    ['an object, as canonical JSON', { b: 1, a: 'x,y' }, '"{""a"":""x,y"",""b"":1}"'],
    ['a formula (=)', '=SUM(A1)', "'=SUM(A1)"],
    ['a formula (+)', '+1+cmd|calc', "'+1+cmd|calc"],
    ['a formula (-)', '-2+3', "'-2+3"],
    ['a formula (@)', '@SUM(A1)', "'@SUM(A1)"],
    ['a formula after a tab', '\t=1', "'\t=1"],
    ['a formula after a carriage return', '\r=1', '"\'\r=1"'],
    ['a formula with quotes', '=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ['a starter inside', 'a=b', 'a=b'],
    ['a dash inside', 'Talks - day 2', 'Talks - day 2'],
    ['a starter after a space', ' =1', '" =1"'],
  ])('writes %s as RFC 4180 text', (_case, value, text) => {
    expect(csvField(value)).toBe(text);
  });

  it('joins a row with commas and ends it with CRLF', () => {
    expect(csvRow(['a', 'b,c', ''])).toBe('a,"b,c",\r\n');
  });

  it('leaves plain numbers and ISO dates alone', () => {
    for (const plain of [
      '-3',
      '+3',
      '-3.5',
      '-.5',
      '+1e21',
      '-1e+21',
      '0',
      '2024',
      '-000044-03-15',
      '+275760-09-13T00:00:00.000Z',
    ])
      expect(csvField(plain)).toBe(plain);
    expect(csvField(-3)).toBe('-3');
    expect(csvField(-1e21)).toBe('-1e+21');
    expect(csvField('2024-07-24')).toBe('2024-07-24');
    expect(csvField('2024-07-24T09:30+05:30')).toBe('2024-07-24T09:30+05:30');
    expect(csvField('-3 apples')).toBe("'-3 apples");
    expect(csvField('-Infinity')).toBe("'-Infinity");
  });

  it('neutralises formulas in exported items and statistics, which come from appended data', () => {
    const [, row] = parseCsv(
      EXPORT_CSV_HEADER + exportCsvRow(item({ title: '=cmd|" /C calc"!A0', actors: ['@evil'] })),
    );
    const field = (name: (typeof EXPORT_CSV_COLUMNS)[number]) => row![EXPORT_CSV_COLUMNS.indexOf(name)];
    expect(field('title')).toBe('\'=cmd|" /C calc"!A0');
    expect(field('actors')).toBe("'@evil");
    expect(parseCsv(statsToCsv(timelineStats([item({ actors: ['-1+1'] })])))).toContainEqual([
      'actor',
      "'-1+1",
      '1',
    ]);
  });

  it('round-trips awkward values through the parser', () => {
    const nasty = ['', ',', '"', '""', 'a\r\nb', ' x ', 'naïve — “quoted”', '\n'];
    expect(parseCsv(csvRow(nasty) + csvRow(['end']))).toEqual([nasty, ['end']]);
  });

  it('exports one row per item with every column, sources and data lossless', () => {
    const tricky = item({
      title: 'Talks, "frank"\nand long',
      summary: undefined,
      sources: [{ publisher: 'MEA, India', title: 'Readout', quote: 'He said: "yes, and"' }],
      lineage: [
        ...item().lineage,
        {
          kind: 'corrected',
          eventId: 'c',
          position: 9,
          recordedAt: '2024-07-25T00:00:00.000Z',
          reason: 'typo',
        },
      ],
    });
    const [header, row] = parseCsv(EXPORT_CSV_HEADER + exportCsvRow(tricky));
    expect(header).toEqual([...EXPORT_CSV_COLUMNS]);
    const field = (name: (typeof EXPORT_CSV_COLUMNS)[number]) => row![EXPORT_CSV_COLUMNS.indexOf(name)];
    expect(field('title')).toBe('Talks, "frank"\nand long');
    expect(field('summary')).toBe('');
    expect(field('actors')).toBe('David Lammy; S Jaishankar');
    expect(field('corrections')).toBe('1');
    expect(JSON.parse(field('sources')!)).toEqual(tricky.sources);
  });
});

describe('statistics', () => {
  const stats = timelineStats([
    item(),
    item({
      id: 'b',
      actors: ['David Lammy'],
      pillars: ['ai', 'telecom'],
      occurredAt: { start: '2021', precision: 'year' },
    }),
    item({ id: 'c', retracted: true }),
    item({
      id: 'd',
      type: 'StatementIssued',
      occurredAt: { start: '2024-07-31T23:30-02:00', precision: 'minute' },
      pillars: [],
    }),
  ]);

  it('counts items on the timeline by pillar, actor, type and month (year-precision under its year)', () => {
    expect(stats).toEqual({
      byPillar: { ai: 1, telecom: 2 },
      byActor: { 'David Lammy': 3, 'S Jaishankar': 2 },
      byType: { MeetingHeld: 2, StatementIssued: 1 },
      byMonth: { '2021': 1, '2024-07': 2 },
      total: 3,
    });
  });

  it('renders CSV and a table', () => {
    expect(parseCsv(statsToCsv(stats))).toContainEqual(['actor', 'David Lammy', '3']);
    expect(parseCsv(statsToCsv(stats))[0]).toEqual(['dimension', 'key', 'count']);
    const table = statsTable({ ...stats, position: 12 });
    expect(table).toMatch(/^3 items on the timeline at log position 12/);
    expect(table).toMatch(/by actor\n {2}David Lammy {2}\s+3\n {2}S Jaishankar\s+2/);
  });
});
