import { describe, expect, it } from 'vitest';
import { type FieldSpec, fieldsOfSchema, fieldsOfType } from './schema-fields.ts';

const byKey = (fields: FieldSpec[]) => Object.fromEntries(fields.map((f) => [f.key, f]));

describe('fieldsOfType', () => {
  it('reads every kind of field from the catalog schema, with required markers', () => {
    const fields = byKey(fieldsOfType('MeetingHeld', 1));
    expect(fields.title).toMatchObject({ kind: 'text', path: 'data.title', required: true, long: false });
    expect(fields.summary).toMatchObject({ kind: 'text', required: false, long: true });
    expect(fields.participants).toMatchObject({ kind: 'list', required: true });
    expect(fields.actors).toMatchObject({ kind: 'list', required: false });
    expect(fields.pillars).toMatchObject({
      kind: 'choices',
      required: false,
      options: expect.arrayContaining(['quantum']),
    });
    expect(fields.format).toMatchObject({ kind: 'select', defaultValue: 'talks', required: false });
    expect(fields.inferred).toMatchObject({ kind: 'json' });
  });

  it('nests objects as groups and reads numbers', () => {
    const amount = byKey(fieldsOfType('FundingCallAnnounced', 2)).amount!;
    expect(amount).toMatchObject({ kind: 'group', required: true, path: 'data.amount' });
    const inner = byKey((amount as { fields: FieldSpec[] }).fields);
    expect(inner.value).toMatchObject({ kind: 'number', path: 'data.amount.value', required: true });
    expect(inner.currency).toMatchObject({ kind: 'text', required: true });
  });

  it('knows no fields of an unknown type', () => {
    expect(fieldsOfType('NoSuchType', 1)).toEqual([]);
  });

  it('takes any JSON Schema, as GET /api/catalog serves it', () => {
    const fields = fieldsOfSchema(
      {
        type: 'object',
        properties: { n: { type: 'integer' }, tags: { type: 'array', items: { type: 'number' } } },
      },
      'x',
    );
    expect(fields).toEqual([
      { key: 'n', path: 'x.n', required: false, kind: 'number', integer: true },
      { key: 'tags', path: 'x.tags', required: false, kind: 'json' },
    ]);
  });
});
