import type { z } from 'zod';

/** One failing field: `path` is dotted (`events.0.data.title`), so a client can point at it. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

export class ValidationError extends Error {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[], what = 'value') {
    super(`invalid ${what}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

export function formatPath(
  path: ReadonlyArray<PropertyKey>,
  prefix: ReadonlyArray<PropertyKey> = [],
): string {
  return [...prefix, ...path].map((p) => String(p)).join('.');
}

export function toIssues(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path, prefix), message: issue.message }));
}

export function safeParseWith<T>(
  schema: z.ZodType<T>,
  input: unknown,
  prefix: ReadonlyArray<PropertyKey> = [],
): ParseResult<T> {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, issues: toIssues(result.error, prefix) };
}

export function parseWith<T>(schema: z.ZodType<T>, input: unknown, what?: string): T {
  const result = safeParseWith(schema, input);
  if (!result.ok) throw new ValidationError(result.issues, what);
  return result.value;
}
