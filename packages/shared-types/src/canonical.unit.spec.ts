import { seededRandom } from '@timeline/testing';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';

/**
 * The straightforward canonical form the fast one replaced, kept verbatim as the definition: content
 * hashes and derived event ids already stored were computed with it, so any difference is a bug.
 */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const encoded = JSON.stringify(value);
    return encoded === undefined ? 'null' : encoded;
  }
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  3,
  -3,
  0.1,
  1e21,
  -1e21,
  1e-7,
  123456789012345680000,
  5e-324,
  Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 53 + 2,
  1 / 3,
  7000000,
];
const STRINGS = [
  '',
  'a',
  'title',
  'Talks, "frank"\nand long',
  'back\\slash',
  'tab\there',
  '\u0000\u0001\u001f\u007f',
  '\u2028\u2029',
  'naïve — “quoted”',
  'संवाद',
  '😀',
  '\ud83d',
  '\ude00x',
  '</script>',
  '=SUM(A1)',
  '2024-07-24T09:30+05:30',
  '__proto__',
  'constructor',
  '10',
  '2',
  '-1',
  'B',
  'b',
  'é',
  'e\u0301',
];

function generate(random: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const roll = random();
  if (depth <= 0 || roll < 0.45) {
    const kind = Math.floor(random() * 9);
    if (kind === 0) return pick(NUMBERS);
    if (kind === 1) return (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
    if (kind === 2) return Math.floor((random() - 0.5) * 1e6);
    if (kind === 3) return random() < 0.5;
    if (kind === 4) return null;
    if (kind === 5) return undefined;
    if (kind === 6) return pick(STRINGS) + String.fromCharCode(Math.floor(random() * 0x10000));
    return pick(STRINGS);
  }
  if (roll < 0.7) {
    const length = Math.floor(random() * 6);
    const array: unknown[] = [];
    for (let i = 0; i < length; i += 1) array.push(generate(random, depth - 1));
    if (random() < 0.05) array[length + 2] = 1; // a sparse array: holes at length, length + 1
    return array;
  }
  if (roll < 0.73) return new Date(Math.floor(random() * 2e12));
  // Built with defineProperty so keys such as `__proto__` become own data properties.
  const object: Record<string, unknown> = {};
  const size = Math.floor(random() * 8);
  for (let i = 0; i < size; i += 1) {
    const key =
      random() < 0.6
        ? pick(STRINGS)
        : String.fromCharCode(
            ...Array.from({ length: 1 + Math.floor(random() * 4) }, () => 32 + Math.floor(random() * 0x2ff)),
          );
    Object.defineProperty(object, key, {
      value: generate(random, depth - 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

describe('canonicalJson', () => {
  it('writes what the reference writes for generated values (nested, unicode, odd numbers, undefined)', () => {
    for (let seed = 1; seed <= 3000; seed += 1) {
      const value = generate(seededRandom(seed), 5);
      const expected = reference(value);
      if (canonicalJson(value) !== expected)
        expect({ seed, got: canonicalJson(value) }).toEqual({ seed, got: expected });
    }
  });

  it('keeps the documented edge cases', () => {
    const cases: unknown[] = [
      undefined,
      null,
      -0,
      1e21,
      Number.NaN,
      'line\u2028sep',
      { b: 1, a: undefined, c: [undefined, () => 1, Symbol('s')] },
      // biome-ignore lint/suspicious/noSparseArray: the hole is the point
      [1, , 3],
      new Date(0),
      { z: { y: { x: [] } }, Z: {}, '': 0, '10': 1, '9': 2 },
      JSON.parse('{"__proto__": {"b": 2, "a": 1}}'),
      Object.create(null),
      new Map([['a', 1]]),
      new String('ab'),
      Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${(i * 7) % 40}`, i])),
    ];
    for (const value of cases) expect(canonicalJson(value)).toBe(reference(value));
    expect(canonicalJson({ b: 1, a: undefined, c: [undefined] })).toBe('{"b":1,"c":[null]}');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(1e21)).toBe('1e+21');
  });

  it('throws on a bigint, as the reference does', () => {
    expect(() => reference({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });
});
