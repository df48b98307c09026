import { AppendRequestSchema, LogQuerySchema, ValidationError } from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { ZodValidationPipe } from './zod-validation.pipe.js';

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('ZodValidationPipe', () => {
  it('names unknown fields at their own path', () => {
    const pipe = new ZodValidationPipe(AppendRequestSchema);
    const issues = issuesOf(() =>
      pipe.transform({
        events: [
          { type: 'MeetingHeld', occurredAt: { start: '2024', precision: 'year' }, data: {}, colour: 'red' },
        ],
        x: 1,
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'events.0.colour', message: 'unknown field' },
        { path: 'x', message: 'unknown field' },
      ]),
    );
  });

  it('prefixes parameter paths and treats a missing body as {}', () => {
    expect(issuesOf(() => new ZodValidationPipe(LogQuerySchema).transform({ limit: '0' }))).toEqual([
      expect.objectContaining({ path: 'limit' }),
    ]);
    expect(issuesOf(() => new ZodValidationPipe(AppendRequestSchema).transform(undefined))).toEqual([
      expect.objectContaining({ path: 'events' }),
    ]);
  });
});
