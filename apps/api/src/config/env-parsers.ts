import { isIP } from 'node:net';
import { splitCommaList } from '@timeline/shared-types';
import { z } from 'zod';

export const MIN_TOKEN_LENGTH = 16;

/** `VAR=` in a shell or a .env file means "not set", not "set to nothing". */
export const optionalText = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().optional(),
);

export function csvOf<T>(item: z.ZodType<T, string>) {
  return z.string().transform(splitCommaList).pipe(z.array(item));
}

export const tokenList = csvOf(
  z
    .string()
    .min(MIN_TOKEN_LENGTH, `each token must be at least ${MIN_TOKEN_LENGTH} characters`)
    .max(512, 'each token must be at most 512 characters')
    .regex(/^[\x21-\x7e]+$/, 'tokens are printable ASCII without spaces'),
);

export const brokerAddress = z.string().refine((broker) => {
  const match = /^(.+):(\d{1,5})$/.exec(broker);
  if (!match) return false;
  const host = match[1]!.replace(/^\[(.*)\]$/, '$1');
  const port = Number(match[2]);
  return port >= 1 && port <= 65_535 && (isIP(host) !== 0 || /^[A-Za-z0-9.-]+$/.test(host));
}, 'each broker must be host:port');

export const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}, 'each origin must be scheme://host[:port] with no path or trailing slash, e.g. https://timeline.example.org');

export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: "must be 'true' or 'false'" })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A whole number from the environment, with a default, checked against a range. */
export function wholeNumber(fallback: string, what: string, min: number, max: number) {
  return z.preprocess(
    (v) => (v === undefined || v === '' ? fallback : v),
    z
      .string()
      .regex(/^\d{1,9}$/, `must be ${what} (a whole number)`)
      .transform(Number)
      .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)),
  );
}
