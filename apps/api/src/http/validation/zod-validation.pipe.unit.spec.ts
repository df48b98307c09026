import {
  AppendRequestSchema,
  LogQuerySchema,
  TimelineQuerySchema,
  ValidationError,
} from '@timeline/shared-types';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../test/assertions/thrown.js';
import { ZodValidationPipe } from './zod-validation.pipe.js';

const issuesOf = (run: () => unknown) => thrownBy(run, ValidationError).issues;

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

  it('refuses dates that have no instant, so no handler meets an Invalid Date (400, never 500)', () => {
    const timeline = new ZodValidationPipe(TimelineQuerySchema);
    for (const asOf of ['2024-13', '2024-07-32', 'July 4 2024', '24/07/2024', '+275760-09-13T00:00:00Z'])
      expect(issuesOf(() => timeline.transform({ asOf }))).toEqual([
        expect.objectContaining({ path: 'asOf' }),
      ]);
    expect(issuesOf(() => timeline.transform({ from: '2024-00' }))).toEqual([
      expect.objectContaining({ path: 'from' }),
    ]);
    expect(
      timeline.transform({ asOf: '2024-07', from: '2021', to: '2024-07-24T09:30:00+05:30' }),
    ).toMatchObject({
      asOf: '2024-07',
    });
    expect(issuesOf(() => new ZodValidationPipe(LogQuerySchema).transform({ asOf: '2024-13' }))).toEqual([
      expect.objectContaining({ path: 'asOf' }),
    ]);
  });
});
