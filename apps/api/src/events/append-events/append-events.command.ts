import { Command } from '@nestjs/cqrs';
import type {
  AppendResponse,
  ExpectedVersion,
  Metadata,
  NewEventSchema,
  OccurredAt,
} from '@timeline/shared-types';
import type { z } from 'zod';

/** One event as the client sent it, parsed, with its id settled (the client's, or one the server chose). */
export type EventToRecord = Omit<z.output<typeof NewEventSchema>, 'eventId' | 'metadata' | 'occurredAt'> & {
  eventId: string;
  occurredAt: OccurredAt;
  metadata?: Metadata;
};

export class AppendEventsCommand extends Command<AppendResponse> {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly events: readonly EventToRecord[],
  ) {
    super();
  }
}
