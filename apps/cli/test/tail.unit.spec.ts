import { describe, expect, it } from 'vitest';
import { textLine } from '../src/commands/tail.js';
import { Progress, renderProgress } from '../src/progress.js';
import { runCli } from '../src/cli.js';
import { fakeFetch, json, memoryIo } from './support/memory-io.js';

const envelope = {
  eventId: '7f0c6a52-3d0e-4b8e-9a43-2b7f0d5c9e11',
  streamId: 'visit',
  streamVersion: 1,
  position: 12,
  type: 'MeetingHeld',
  schemaVersion: 1,
  occurredAt: { start: '2024-07-24', precision: 'day' as const },
  recordedAt: '2024-07-24T10:00:00.000Z',
  data: { title: 'Talks\nin Delhi \u001b[31mred\u001b[0m', actors: ['David Lammy'], pillars: ['telecom'] },
  metadata: { sources: [] },
};

describe('tail text format', () => {
  it('prints one readable line per event, with terminal escapes and line breaks blanked', () => {
    expect(textLine(envelope)).toBe(
      '#12  2024-07-24  MeetingHeld  visit  Talks in Delhi [31mred [0m [telecom] (David Lammy)',
    );
    expect(
      textLine({ ...envelope, type: 'EventRetracted', data: { retractedEventId: 'abc', reason: 'wrong' } }),
    ).toBe('#12  2024-07-24  EventRetracted  visit  retracts abc: wrong');
  });
});

describe('progress', () => {
  it('draws on a terminal and stays silent in a pipe', () => {
    const pipe = memoryIo();
    new Progress(pipe, 'replay', 10).update(10);
    expect(pipe.err()).toBe('');
    const tty = memoryIo();
    Object.assign(tty.stderr, { isTTY: true, columns: 80 });
    const bar = new Progress(tty, 'replay', 10);
    bar.update(5);
    bar.done();
    expect(tty.err()).toContain('replay [');
    expect(renderProgress('import', 50, 100, 'events', 80)).toMatch(
      /^import \[#+-+\] {2}50% 50\/100 events$/,
    );
  });
});

describe('tail over SSE', () => {
  const sse = (positions: number[], extra = '') =>
    new Response(
      `retry: 2000\n\n${positions.map((p) => `id: ${p}\ndata: ${JSON.stringify({ ...envelope, position: p })}\n\n`).join('')}${extra}`,
      { status: 200, headers: { 'content-type': 'text/event-stream' } },
    );

  it('resumes with Last-Event-ID after a drop, with no duplicate, and warns on a gap', async () => {
    const io = memoryIo({ env: { TIMELINE_API_URL: 'http://127.0.0.1:3999' } });
    const lastEventIds: Array<string | null> = [];
    const api = fakeFetch((url, init) => {
      if (url.pathname === '/api/events') return json(200, { events: [], nextAfter: 0, head: 7 });
      lastEventIds.push(new Headers(init.headers).get('last-event-id'));
      // First connection: 8, 9, then the connection ends. Second: 9 again (a duplicate), 10, then 12.
      return lastEventIds.length === 1
        ? sse([8, 9])
        : sse([9, 10, 12], 'event: heartbeat\nid: 12\ndata: {}\n\n');
    });
    expect(await runCli(['tail', '--limit', '4'], io, { fetch: api.fetch })).toBe(0);
    expect(lastEventIds).toEqual(['7', '9']);
    expect(
      io
        .out()
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { position: number }).position),
    ).toEqual([8, 9, 10, 12]);
    expect(io.err()).toMatch(/reconnected, resuming after position 9/);
    expect(io.err()).toMatch(/gap in the log: positions 11\.\.11 never arrived/);
  });

  it('a filtered tail does not warn about the positions it filtered out', async () => {
    const io = memoryIo({ env: { TIMELINE_API_URL: 'http://127.0.0.1:3999' } });
    const api = fakeFetch(() => sse([3, 9]));
    expect(
      await runCli(['tail', '--after', '0', '--type', 'MeetingHeld', '--limit', '2'], io, {
        fetch: api.fetch,
      }),
    ).toBe(0);
    expect(api.calls[0]!.url.searchParams.get('types')).toBe('MeetingHeld');
    expect(io.err()).not.toMatch(/gap/);
  });
});

describe('output for a terminal or a pipe', () => {
  const sseOf = (positions: number[]) =>
    new Response(
      positions.map((p) => `id: ${p}\ndata: ${JSON.stringify({ ...envelope, position: p })}\n\n`).join(''),
      {
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
      },
    );
  const terminal = () => {
    const io = memoryIo({ env: { TIMELINE_API_URL: 'http://127.0.0.1:3999', NO_COLOR: '1' } });
    Object.assign(io.stdout, { isTTY: true });
    Object.assign(io.stderr, { isTTY: true, columns: 80 });
    return io;
  };

  it('tail prints readable lines on a terminal, NDJSON with --json', async () => {
    const tty = terminal();
    expect(
      await runCli(['tail', '--after', '0', '--limit', '1'], tty, {
        fetch: fakeFetch(() => sseOf([1])).fetch,
      }),
    ).toBe(0);
    expect(tty.out()).toBe(`${textLine({ ...envelope, position: 1 })}\n`);
    const json = terminal();
    const argv = ['tail', '--after', '0', '--limit', '1', '--json'];
    expect(await runCli(argv, json, { fetch: fakeFetch(() => sseOf([1])).fetch })).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({ position: 1 });
  });

  it('export shows its progress on a terminal only, and the data on stdout', async () => {
    const rows = '{"id":"a"}\n{"id":"b"}\n';
    const answer = () =>
      new Response(rows, {
        status: 200,
        headers: { 'content-type': 'application/x-ndjson', 'timeline-position': '7' },
      });
    const tty = terminal();
    expect(await runCli(['export'], tty, { fetch: fakeFetch(answer).fetch })).toBe(0);
    expect(tty.out()).toBe(rows);
    expect(tty.err()).toMatch(/export jsonl 2 rows/);
    const pipe = memoryIo({ env: { TIMELINE_API_URL: 'http://127.0.0.1:3999' } });
    expect(await runCli(['export'], pipe, { fetch: fakeFetch(answer).fetch })).toBe(0);
    expect(pipe.err()).toBe('export: jsonl of the timeline at log position 7\n');
  });
});
