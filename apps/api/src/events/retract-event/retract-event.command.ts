import { Command } from '@nestjs/cqrs';
import type { AppendResponse, Metadata } from '@timeline/shared-types';

export class RetractEventCommand extends Command<AppendResponse> {
  constructor(
    readonly targetEventId: string,
    /** The EventRetracted event's own id. */
    readonly eventId: string,
    readonly reason: string,
    readonly metadata: Metadata | undefined,
  ) {
    super();
  }
}
