import pg from 'pg';

/**
 * Values up to this size in all are written into the text. A round trip saved is worth ~40 µs of the
 * process's CPU here; a large value written as a literal costs more than that to build, and the server
 * more to parse than as a parameter: a projector batch of 100 events inlined ran 10-15 % slower
 * (docs/benchmarks.md, "BEGIN and COMMIT in the statements' messages").
 */
export const INLINE_VALUE_CHARS = 8 * 1024;

/**
 * A parameterised statement written out with its values as SQL literals, so it can travel in one
 * simple-protocol message together with other statements (`BEGIN; <statement>`): `pg` sends one
 * statement per round trip and has no pipelining, and on this kind of machine a round trip to the
 * database costs more CPU than most statements (docs/benchmarks.md, "What a round trip costs").
 *
 * Each value is prepared exactly as `pg` prepares a parameter (`pg.utils.prepareValue`: arrays become
 * array literals, objects JSON, dates ISO text); NULL stays NULL. A quoted literal is of type
 * "unknown" until its context or cast resolves it, as an untyped parameter is. Values are
 * dollar-quoted (`$v$…$v$`), so nothing in them is escaped or scanned but for the tag. Placeholders
 * are replaced outside quoted text only (single-quoted strings, quoted identifiers, comments).
 * Returns undefined when the text cannot be handled safely (a dollar-quoted body, a placeholder with
 * no value) or the values are large: the caller then sends the statement with its parameters, as
 * before.
 */
export function inlineParams(
  text: string,
  params: readonly unknown[],
  /** Above this many characters of values in all, parameters are cheaper. */
  maxValueChars = INLINE_VALUE_CHARS,
): string | undefined {
  const literals: string[] = [];
  let chars = 0;
  for (const param of params) {
    const prepared = literalText(param);
    chars += prepared?.length ?? 4;
    if (chars > maxValueChars) return undefined;
    literals.push(prepared === undefined ? 'NULL' : dollarQuoted(prepared));
  }
  let out = '';
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return undefined;
      // A doubled quote inside the string is its escape: the scan simply goes on past it.
      i = end + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (c === '$') {
      // `name$1` is an identifier in PostgreSQL, not a placeholder: leave such text alone.
      if (i > 0 && /[\p{L}\p{N}_$]/u.test(text[i - 1]!)) return undefined;
      const match = /^\$(\d+)/.exec(text.slice(i, i + 12));
      if (!match) return undefined; // `$$` or `$tag$`: a dollar-quoted body, not for this scanner
      const index = Number(match[1]) - 1;
      if (index < 0 || index >= literals.length) return undefined;
      out += text.slice(from, i) + literals[index];
      i += match[0].length;
      from = i;
    } else i++;
  }
  return out + text.slice(from);
}

/** `pg`'s own preparation of a parameter's value (exported by `pg` at run time, absent from its types). */
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils
  .prepareValue;

/** The value's text as `pg` would send it, or undefined for NULL. */
function literalText(value: unknown): string | undefined {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return undefined;
  // prepareValue gives strings, or Buffers for bytea: `\\x` hex text is how bytea is written as a literal.
  return Buffer.isBuffer(prepared) ? `\\x${prepared.toString('hex')}` : String(prepared);
}

/**
 * The text between dollar quotes, whose content PostgreSQL takes as it is (no escapes to write, so no
 * pass over a large JSON value but one search): the tag is one the text does not contain, checked
 * with the closing tag in place so that the text's end and the tag cannot form an earlier one.
 */
function dollarQuoted(text: string): string {
  for (let n = 0; ; n++) {
    const tag = n === 0 ? '$v$' : `$v${n}$`;
    if ((text + tag).indexOf(tag) === text.length) return tag + text + tag;
  }
}
