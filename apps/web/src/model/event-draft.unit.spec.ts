import type { TimelineItem } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { type AddDraft, checkAdd, checkCorrection, formPath } from './event-draft.ts';
import { valuesFromData } from './form-values.ts';
import { fieldsOfType } from './schema-fields.ts';

const EVENT_ID = '0b6f1f7e-8c1a-4d55-9a57-3e0f5b1d2c3a';
const SOURCE = { publisher: 'Gazette', title: 'Remarks', quote: 'We agree.', url: '', attribution: '' };
const DRAFT: AddDraft = {
  streamId: 'tsi-2024',
  type: 'StatementIssued',
  values: new Map([
    ['data.title', 'A statement'],
    ['data.speaker', 'Minister'],
    ['data.channel', 'remarks'],
  ]),
  occurredAt: { start: '2024-07-24', end: '', precision: 'day', derivation: '' },
  sources: [SOURCE],
};

describe('checkAdd', () => {
  it('builds the event the API takes, with the current schema version and the sources', () => {
    const checked = checkAdd(DRAFT, EVENT_ID);
    expect(checked).toEqual({
      ok: true,
      value: {
        streamId: 'tsi-2024',
        event: {
          eventId: EVENT_ID,
          type: 'StatementIssued',
          schemaVersion: 1,
          occurredAt: { start: '2024-07-24', precision: 'day' },
          data: { title: 'A statement', speaker: 'Minister', channel: 'remarks' },
          metadata: { sources: [{ publisher: 'Gazette', title: 'Remarks', quote: 'We agree.' }] },
        },
      },
    });
  });

  it('names every failing field: stream, data, valid time, sources', () => {
    const checked = checkAdd(
      {
        ...DRAFT,
        streamId: 'has space',
        values: new Map([['data.channel', 'remarks']]),
        occurredAt: { start: '2024-07', end: '', precision: 'day', derivation: '' },
        sources: [{ ...SOURCE, quote: ' ', url: 'javascript:alert(1)' }],
      },
      EVENT_ID,
    );
    expect(checked.ok).toBe(false);
    const paths = checked.ok ? [] : checked.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'streamId',
        'occurredAt.start',
        'sources.0.quote',
        'sources.0.url',
        'data.title',
        'data.speaker',
      ]),
    );
  });

  it('needs a source and a type', () => {
    expect(checkAdd({ ...DRAFT, sources: [] }, EVENT_ID)).toMatchObject({
      ok: false,
      issues: [{ path: 'sources.0.quote' }],
    });
    expect(checkAdd({ ...DRAFT, type: 'EventCorrected' }, EVENT_ID)).toMatchObject({
      ok: false,
      issues: [{ path: 'type' }],
    });
  });
});

describe('checkCorrection', () => {
  const item = {
    id: EVENT_ID,
    type: 'StatementIssued',
    schemaVersion: 1,
    title: 'A statement',
    occurredAt: { start: '2024-07-24', precision: 'day' },
    data: { title: 'A statement', actors: [], pillars: [], speaker: 'Minister', channel: 'remarks' },
  } as unknown as TimelineItem;
  const fields = fieldsOfType('StatementIssued', 1);
  const at = { start: '2024-07-24', end: '', precision: 'day', derivation: '' };

  it('sends a patch of only the changed fields (defaults are not changes)', () => {
    const values = new Map(valuesFromData(fields, item.data));
    values.set('data.title', 'A better title');
    expect(checkCorrection(item, values, at, ' typo ')).toEqual({
      ok: true,
      value: { reason: 'typo', patch: { title: 'A better title' } },
    });
  });

  it('sends the valid time only when it changed, and refuses a correction that changes nothing', () => {
    const values = valuesFromData(fields, item.data);
    expect(checkCorrection(item, values, { ...at, start: '2024-07-25' }, 'date')).toEqual({
      ok: true,
      value: { reason: 'date', occurredAt: { start: '2024-07-25', precision: 'day' } },
    });
    expect(checkCorrection(item, values, at, 'nothing')).toMatchObject({
      ok: false,
      issues: [{ path: 'reason' }],
    });
    expect(checkCorrection(item, values, at, '')).toMatchObject({ ok: false });
  });
});

describe('formPath', () => {
  it.each([
    ['events.0.data.title', 'data.title'],
    ['events.0.metadata.sources.1.url', 'sources.1.url'],
    ['patch.title', 'data.title'],
    ['reason', 'reason'],
  ])('reads the API path %s as the form field %s', (apiPath, field) => {
    expect(formPath(apiPath)).toBe(field);
  });
});
