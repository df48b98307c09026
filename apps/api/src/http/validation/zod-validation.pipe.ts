import type { PipeTransform } from '@nestjs/common';
import { formatPath, ValidationError, type ValidationIssue } from '@timeline/shared-types';
import type { z } from 'zod';

/**
 * Parses a body, a path parameter or the query string with a shared-types zod schema. Failures are
 * ValidationErrors whose paths start at `prefix` (`events.0.occurredAt.start`, `eventId`, `limit`),
 * so a client can point at the field.
 */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(
    private readonly schema: Schema,
    private readonly prefix: readonly string[] = [],
  ) {}

  transform(value: unknown): z.output<Schema> {
    // A POST without a body arrives as undefined; judge it as the empty object it stands for.
    const result = this.schema.safeParse(value ?? {});
    if (!result.success) throw new ValidationError(toFieldIssues(result.error, this.prefix), 'request');
    return result.data;
  }
}

/** Like shared-types' `toIssues`, but an unknown field is reported at its own path (`events.0.colour`), not its parent's. */
export function toFieldIssues(error: z.ZodError, prefix: readonly string[] = []): ValidationIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: formatPath([...issue.path, key], prefix),
          message: 'unknown field',
        }))
      : [{ path: formatPath(issue.path, prefix), message: issue.message }],
  );
}
