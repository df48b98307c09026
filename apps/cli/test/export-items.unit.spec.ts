import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { EXIT } from '../src/errors.js';
import { planBatches } from '../src/import/append-batches.js';
import { isExportItem, itemAsEvent } from '../src/import/export-items.js';
import { validateJsonl } from '../src/import/jsonl.js';
import { fakeFetch, json, memoryIo } from './support/memory-io.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const source = { publisher: 'MEA', title: 'Joint statement', quote: 'The two sides agreed.' };

/** A line of `GET /api/export?format=jsonl`: a TimelineItem as the read model holds it. */
const item = (id: string, position: number, extra: Record<string, unknown> = {}) => ({
  id,
  streamId: 'visit-lammy-delhi-2024',
  streamVersion: position,
  position,
  type: 'MeetingHeld',
  schemaVersion: 1,
  title: `Talks ${position}`,
  actors: [],
  pillars: [],
  occurredAt: { start: '2024-07-24', precision: 'day' },
  recordedAt: '2024-07-25T10:00:00.000Z',
  data: { title: `Talks ${position}`, participants: ['David Lammy', 'S Jaishankar'] },
  sources: [source],
  lineage: [
    { kind: 'recorded', eventId: id, position, recordedAt: '2024-07-25T10:00:00.000Z' },
    { kind: 'corrected', eventId: '9d3f1c2a-0000-4000-8000-000000000001', position: 9, reason: 'typo' },
  ],
  retracted: false,
  lastPosition: 9,
  ...extra,
});

const ID_A = '0b6a3f52-8f1e-4c55-9a43-2b7f0d5c9e11';
const ID_B = '1c7b4063-9f2f-4d66-8b54-3c801e6daf22';
const lines = (...records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n');

describe('a timeline export as an import file', () => {
  it('tells an item line from an event line by its shape', () => {
    expect(isExportItem(item(ID_A, 1))).toBe(true);
    expect(isExportItem({ eventId: ID_A, streamId: 's', type: 'MeetingHeld', sources: [] })).toBe(false);
    expect(isExportItem({ streamId: 's', type: 'MeetingHeld', metadata: { sources: [] } })).toBe(false);
  });

  it('maps an item to the event of its current state, under the item id', () => {
    expect(itemAsEvent(item(ID_A, 1))).toEqual({
      streamId: 'visit-lammy-delhi-2024',
      eventId: ID_A,
      type: 'MeetingHeld',
      schemaVersion: 1,
      occurredAt: { start: '2024-07-24', precision: 'day' },
      data: { title: 'Talks 1', participants: ['David Lammy', 'S Jaishankar'] },
      metadata: { sources: [source] },
    });
  });

  it('validates the items as events, in the order of the first log, and says it is an export', () => {
    const result = validateJsonl(lines(item(ID_B, 7), item(ID_A, 2)));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.items).toBe(true);
    expect(result.events.map((e) => [e.line, e.event.eventId])).toEqual([
      [2, ID_A],
      [1, ID_B],
    ]);
    expect(result.events[0]!.event.metadata).toEqual({ sources: [source] });
    const events = validateJsonl(lines(itemAsEvent(item(ID_A, 1))));
    expect(events.ok && events.items).toBeFalsy();
  });

  it('refuses a file mixing items and events, a bad item by its own field names, and a retracted item', () => {
    const result = validateJsonl(
      lines(
        item(ID_A, 1),
        itemAsEvent(item(ID_B, 2)),
        item(ID_B, 3, { sources: [{ publisher: 'MEA', title: 'No quote' }] }),
        item('not-a-uuid', 4),
        item('2d8c5174-a030-4e77-9c65-4d912f7eb033', 5, { retracted: true }),
        item(ID_A, 6),
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.line} ${p.path}`)).toEqual([
      '2 (line)',
      '3 sources.0.quote',
      '4 id',
      '5 retracted',
      '6 eventId',
    ]);
    expect(result.problems[0]!.message).toMatch(/event line .* line 1 is a timeline item/);
  });

  it('keeps the log order across streams when batching an export', () => {
    const event = (line: number, streamId: string) => ({
      line,
      streamId,
      event: { eventId: String(line), type: 'MeetingHeld', occurredAt: {}, data: {} },
    });
    const events = [event(1, 'a'), event(2, 'b'), event(3, 'b'), event(4, 'a')];
    expect(planBatches(events, 'as-listed').map((b) => `${b.streamId}:${b.events.length}`)).toEqual([
      'a:1',
      'b:2',
      'a:1',
    ]);
    expect(planBatches(events).map((b) => `${b.streamId}:${b.events.length}`)).toEqual(['a:2', 'b:2']);
  });

  it('`timeline import` of an export says what it carries and appends each item once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timeline-cli-'));
    await writeFile(join(dir, 'timeline.jsonl'), `${lines(item(ID_A, 1), item(ID_B, 2))}\n`);
    const io = memoryIo({ cwd: dir, env: { TIMELINE_TOKEN: 'from-env-token-0123456789' } });
    const api = fakeFetch(() =>
      json(201, { streamId: 'visit-lammy-delhi-2024', streamVersion: 2, events: [], duplicate: false }),
    );
    expect(await runCli(['import', 'timeline.jsonl'], io, { fetch: api.fetch })).toBe(EXIT.ok);
    expect(io.err()).toMatch(/timeline export: its 2 item\(s\) are imported as their current state/);
    expect(io.err()).toMatch(/lineage .* is not carried/);
    const bodies = api.calls.map(
      (c) => JSON.parse(c.init.body as string) as { events: Array<{ eventId: string }> },
    );
    expect(bodies.flatMap((b) => b.events.map((e) => e.eventId))).toEqual([ID_A, ID_B]);
  });
});
