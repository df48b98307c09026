import { z } from 'zod';

/** `"a, b,,c"` → `['a', 'b', 'c']`: the one reading of a comma-separated list (query strings, CLI flags, env). */
export function splitCommaList(text: string): string[] {
  return text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** A comma-separated list in a query string, bounded so a request cannot ask for unbounded work. */
export const commaListSchema = <T extends z.ZodType<string, string>>(item: T) =>
  z.string().max(4000).transform(splitCommaList).pipe(z.array(item).max(100));
