/**
 * Canonical JSON: object keys sorted, no whitespace. Two requests carrying the same event compare
 * equal byte for byte, which is what idempotent appends, content hashes, derived event ids and
 * byte-identical replays rest on, so the output must never change. The rules, exactly:
 * - `null`, booleans, numbers and strings as `JSON.stringify` writes them (NaN and ±Infinity as
 *   `null`, -0 as `0`); `undefined`, functions and symbols as `null` wherever they stand, except
 *   that object members whose value is `undefined` are left out;
 * - arrays element by element (a hole in a sparse array writes nothing between its commas);
 * - every other object by its own enumerable string keys, sorted by UTF-16 code units, `toJSON`
 *   ignored (a `Date` is `{}`), so the form depends on the value's data alone;
 * - a bigint throws, as `JSON.stringify` does.
 *
 * This is the hot loop of a replay (every line of `/api/replay` goes through it), so it writes into
 * one string instead of building entry arrays, sorting pairs and joining at every level; the
 * straightforward version it replaced is kept in `canonical.unit.spec.ts` and compared with
 * this one on many generated values.
 */
export function canonicalJson(value: unknown): string {
  return write(value);
}

function write(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return scalar(value);
  if (Array.isArray(value)) return writeArray(value);
  return writeObject(value as Record<string, unknown>);
}

function scalar(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // null, undefined, functions, symbols; a bigint throws here as it does in JSON.stringify.
  const encoded = JSON.stringify(value);
  return encoded === undefined ? 'null' : encoded;
}

function writeArray(array: readonly unknown[]): string {
  const length = array.length;
  if (length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < length; i += 1) {
    if (i > 0) out += ',';
    // A hole is skipped, not written as null: what `map` + `join` made of it.
    if (i in array) out += write(array[i]);
  }
  return `${out}]`;
}

function writeObject(object: Record<string, unknown>): string {
  const keys = Object.keys(object);
  if (keys.length > 1) sortKeys(keys);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    if (first) first = false;
    else out += ',';
    out += quotedKey(key);
    out += ':';
    out += write(member);
  }
  return `${out}}`;
}

/**
 * Insertion sort by UTF-16 code units (what `<` compares): objects here have a handful of keys and
 * often arrive nearly sorted, where this beats `Array.prototype.sort` and its comparator calls.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 32) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i += 1) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j -= 1;
    }
    keys[j + 1] = key;
  }
}

/**
 * Keys repeat on every line of a replay; their quoted form is remembered. Bounded, because keys come
 * from user data (`data` is an open record) and a long run must not grow without limit.
 */
const QUOTED_KEYS = new Map<string, string>();
const QUOTED_KEYS_MAX = 2048;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (QUOTED_KEYS.size >= QUOTED_KEYS_MAX) QUOTED_KEYS.clear();
    QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}
