import { describe, expect, it } from 'vitest';
import { inspectJsonValue, jsonDepthExceeds, MAX_JSON_DEPTH } from './json-body.js';

describe('inspectJsonValue', () => {
  it('accepts ordinary JSON, including paired surrogates (emoji)', () => {
    expect(
      inspectJsonValue({ events: [{ data: { title: 'Lammy in Delhi 🇮🇳', n: 1, ok: true, none: null } }] }),
    ).toEqual([]);
  });

  it('names a NUL character and a lone surrogate by path', () => {
    expect(inspectJsonValue({ events: [{ data: { title: 'a\u0000b', place: 'x\uD800' } }] })).toEqual(
      expect.arrayContaining([
        { path: 'events.0.data.title', message: 'must not contain the NUL character' },
        { path: 'events.0.data.place', message: 'must not contain unpaired UTF-16 surrogates' },
      ]),
    );
  });

  it('checks keys too', () => {
    expect(inspectJsonValue({ 'bad\u0000key': 1 })).toEqual([
      { path: 'bad\u0000key', message: 'key must not contain the NUL character' },
    ]);
  });

  it('refuses nesting deeper than the limit without recursing', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const issues = inspectJsonValue(deep);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toBe(`nesting is deeper than ${MAX_JSON_DEPTH} levels`);
  });
});

describe('jsonDepthExceeds', () => {
  const bytes = (text: string) => Buffer.from(text, 'utf8');

  it('measures nesting from the bytes, the same limit the parsed walk applies', () => {
    const nested = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;
    expect(jsonDepthExceeds(bytes(nested(MAX_JSON_DEPTH)), MAX_JSON_DEPTH)).toBe(false);
    expect(inspectJsonValue(JSON.parse(nested(MAX_JSON_DEPTH)))).toEqual([]);
    expect(jsonDepthExceeds(bytes(nested(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH)).toBe(true);
    expect(inspectJsonValue(JSON.parse(nested(MAX_JSON_DEPTH + 1)))).toHaveLength(1);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(bytes(JSON.stringify({ a: '[[[[[[', b: 'x\\"[[[[' })), 2)).toBe(false);
    expect(jsonDepthExceeds(bytes('{"a":[{"b":[1]}]}'), 3)).toBe(true);
  });
});
