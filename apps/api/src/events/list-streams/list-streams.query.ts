import { Query } from '@nestjs/cqrs';
import { StreamIdSchema } from '@timeline/shared-types';
import { z } from 'zod';
import type { StreamSummary } from '../../event-store/event-store.port.js';

/** `GET /api/streams?after=&limit=`: `after` is the `next` of the page before. */
export const ListStreamsQuerySchema = z.strictObject({
  after: StreamIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type ListStreamsParameters = z.output<typeof ListStreamsQuerySchema>;

export interface StreamList {
  streams: StreamSummary[];
  /** The `after` of the next page; null on the last one. */
  next: string | null;
}

export class ListStreamsQuery extends Query<StreamList> {
  constructor(readonly page: ListStreamsParameters) {
    super();
  }
}
